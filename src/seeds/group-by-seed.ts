// Groups runs that differ only by seed (and by where they were written) and summarises each group's target accuracy.
import type { HyperValue } from '../model/types.js';
import type { RunReport } from '../report/schema.js';
import { meanInterval, welchTest, noiseVerdict, DEFAULT_ALPHA, type MeanInterval, type DifferenceTest, type NoiseVerdict } from './seed-stats.js';

/** Hyperparameter names that hold the random seed (tllib `seed`, Lightning `seed_everything`, common spellings). */
export const SEED_KEYS = new Set(['seed', 'random_seed', 'rng_seed', 'manual_seed', 'seed_everything']);

/**
 * Keys that say where a run wrote or read files, or how it was scheduled, not what it trained: two seeds of one
 * config always differ here (tllib's `log=logs/dann/seed1`), so they must not split a group.
 */
export const LOCATION_KEYS = new Set([
  'log', 'log_dir', 'logdir', 'logs', 'root', 'data_root', 'data_dir', 'datadir', 'dataset_root', 'output_dir', 'out_dir',
  'output', 'save_dir', 'save_path', 'checkpoint_dir', 'ckpt_dir', 'ckpt_path', 'resume', 'exp_name', 'experiment',
  'run_name', 'name', 'version', 'workers', 'num_workers', 'print_freq', 'log_every', 'gpu', 'gpus', 'device',
]);

/**
 * Hyperparameters a domain-adaptation reader looks at first (the knobs a sweep usually turns); others follow in the
 * order they were first seen.
 */
export const HYPER_PRIORITY = [
  'trade_off', 'lr', 'seed', 'batch_size', 'disc_batch_norm', 'disc_hidden', 'disc_lr_mult', 'grl_hi', 'grl_max_iters',
  'bottleneck_dim', 'arch', 'epochs', 'iters_per_epoch', 'data', 'source', 'target', 'lr_gamma', 'weight_decay', 'wd',
];

/** `keys` with HYPER_PRIORITY ones first (in that order), the rest in their given order. */
export function orderByPriority(keys: string[]): string[] {
  const rank = (k: string) => {
    const i = HYPER_PRIORITY.indexOf(k.toLowerCase());
    return i === -1 ? HYPER_PRIORITY.length : i;
  };
  return keys.map((k, i) => ({ k, i })).sort((a, b) => rank(a.k) - rank(b.k) || a.i - b.i).map((x) => x.k);
}

/** Longest group label: a few distinctive settings say which config it is; the run ids say the rest. */
export const MAX_LABEL_KEYS = 4;

/** True for keys that do not define the configuration (seed, paths, logging, device). */
export function isNonConfigKey(key: string): boolean {
  const k = key.toLowerCase();
  return SEED_KEYS.has(k) || LOCATION_KEYS.has(k);
}

export type SeedMetric = 'finalTargetAcc' | 'bestTargetAcc' | 'testAcc';

/** The number a seed group is judged on: the requested metric, else the nearest one the run has. */
export function targetAccOf(run: RunReport, metric: SeedMetric = 'finalTargetAcc'): number | undefined {
  const m = run.metrics;
  const v = m[metric] ?? m.finalTargetAcc ?? m.testAcc ?? m.bestTargetAcc;
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** Deterministic text for a hyperparameter value (object key order and number formatting independent). */
export function hyperText(v: HyperValue | undefined): string {
  if (v === undefined) return '-';
  if (v === null) return 'None';
  if (Array.isArray(v)) return `[${v.map(hyperText).join(', ')}]`;
  return String(v);
}

export interface SeedGroup {
  /** configuration signature: algorithm + every config hyperparameter (sorted), seeds and paths left out */
  signature: string;
  /** short label from the config keys that vary between groups, e.g. "dann trade_off=1 lr=0.01" */
  label: string;
  algorithm: string;
  config: Record<string, HyperValue>;
  runIds: string[];
  seeds: string[];
  /** target accuracy per run, same order as runIds; runs without a number are in runIds but not here */
  values: number[];
  metric: SeedMetric;
  interval: MeanInterval;
}

function configOf(run: RunReport): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  for (const k of Object.keys(run.hyperparameters).sort()) if (!isNonConfigKey(k)) out[k] = run.hyperparameters[k];
  return out;
}

function seedOf(run: RunReport): string {
  for (const [k, v] of Object.entries(run.hyperparameters)) if (SEED_KEYS.has(k.toLowerCase())) return hyperText(v);
  return '?';
}

/**
 * Partition runs into groups with equal algorithm and equal config hyperparameters. Cost O(runs * keys).
 * Groups keep input order (first run seen first). A run with no hyperparameters forms a group of its own
 * (nothing says it shares a config with anything).
 */
export function groupBySeed(runs: RunReport[], metric: SeedMetric = 'finalTargetAcc'): SeedGroup[] {
  const bySig = new Map<string, { algorithm: string; config: Record<string, HyperValue>; runs: RunReport[] }>();
  for (const run of runs) {
    const config = configOf(run);
    const sig = Object.keys(run.hyperparameters).length === 0
      ? `run:${run.id}`
      : `${run.algorithm}|${Object.entries(config).map(([k, v]) => `${k}=${hyperText(v)}`).join('|')}`;
    let g = bySig.get(sig);
    if (!g) bySig.set(sig, (g = { algorithm: run.algorithm, config, runs: [] }));
    g.runs.push(run);
  }
  const groups = [...bySig.entries()];
  // Label each group by what sets it apart: the config values that differ from the most common value among groups.
  // A key only some scripts have (a fork's extra flag) is not what sets a group apart, so only keys every group has count.
  const keysInAll = orderByPriority(Object.keys(groups[0]?.[1].config ?? {}).filter((k) => groups.every(([, g]) => k in g.config)));
  const modal = new Map<string, string>();
  for (const k of keysInAll) {
    const counts = new Map<string, number>();
    for (const [, g] of groups) counts.set(hyperText(g.config[k]), (counts.get(hyperText(g.config[k])) ?? 0) + 1);
    modal.set(k, [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0]);
  }
  const out = groups.map(([signature, g]) => {
    const values: number[] = [];
    for (const r of g.runs) {
      const v = targetAccOf(r, metric);
      if (v !== undefined) values.push(v);
    }
    const distinct = keysInAll.filter((k) => hyperText(g.config[k]) !== modal.get(k));
    const shown = distinct.slice(0, MAX_LABEL_KEYS).map((k) => `${k}=${hyperText(g.config[k])}`);
    if (distinct.length > MAX_LABEL_KEYS) shown.push('…');
    const label = [g.algorithm, ...shown].join(' ');
    return {
      signature, label, algorithm: g.algorithm, config: g.config,
      runIds: g.runs.map((r) => r.id), seeds: g.runs.map(seedOf), values, metric, interval: meanInterval(values),
    };
  });
  // two groups can look alike on the shared keys (they differ in a key only one script has): name them by a run
  const seen = new Map<string, number>();
  for (const g of out) seen.set(g.label, (seen.get(g.label) ?? 0) + 1);
  for (const g of out) if ((seen.get(g.label) ?? 0) > 1) g.label = `${g.label} (${g.runIds[0]})`;
  return out;
}

export interface GroupComparison {
  a: string;
  b: string;
  test: DifferenceTest;
  verdict: NoiseVerdict;
  /** one line a person reads */
  summary: string;
}

function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** Is group a's mean target accuracy different from group b's beyond seed noise? (Welch, two-sided, alpha 0.05) */
export function compareSeedGroups(a: SeedGroup, b: SeedGroup, alpha = DEFAULT_ALPHA): GroupComparison {
  const test = welchTest(a.values, b.values);
  const verdict = noiseVerdict(test, alpha);
  const sign = test.diff >= 0 ? '+' : '';
  const what =
    verdict === 'unknown' ? `cannot tell (${test.note ?? 'no test'})`
    : verdict === 'within-noise' ? `within seed noise (p=${fmt(test.p, 3)})`
    : `${verdict} beyond seed noise (p=${test.p < 0.001 ? '<0.001' : fmt(test.p, 3)})`;
  const ci = Number.isFinite(test.low) ? `, 95% CI [${fmt(test.low)}, ${fmt(test.high)}]` : '';
  return {
    a: a.label, b: b.label, test, verdict,
    summary: `${a.label} (n=${a.values.length}) vs ${b.label} (n=${b.values.length}): ${sign}${fmt(test.diff)} points${ci}: ${what}`,
  };
}

/**
 * Regression check of current runs against baseline runs of the same config (e.g. last release's seeds):
 * 'worse' means the drop is outside seed noise.
 */
export function regressionAgainstBaseline(current: RunReport[], baseline: RunReport[], metric: SeedMetric = 'finalTargetAcc', alpha = DEFAULT_ALPHA): GroupComparison {
  const mk = (runs: RunReport[], label: string): SeedGroup => {
    const values = runs.map((r) => targetAccOf(r, metric)).filter((v): v is number => v !== undefined);
    return { signature: label, label, algorithm: runs[0]?.algorithm ?? 'unknown', config: {}, runIds: runs.map((r) => r.id), seeds: runs.map(seedOf), values, metric, interval: meanInterval(values) };
  };
  return compareSeedGroups(mk(current, 'current'), mk(baseline, 'baseline'), alpha);
}

/** "85.7 +- 1.8 (95% CI, n=3)" or "85.8 (n=1, no CI)". */
export function formatInterval(i: MeanInterval): string {
  if (i.n === 0) return 'no value';
  if (i.n < 2) return `${fmt(i.mean)} (n=1, no CI)`;
  return `${fmt(i.mean)} +- ${fmt((i.high - i.low) / 2)} (${Math.round(i.confidence * 100)}% CI, n=${i.n})`;
}
