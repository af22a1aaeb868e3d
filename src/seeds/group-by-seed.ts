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
  /**
   * target accuracy per distinct training (copies counted once), in runIds order; runs without a number are in
   * runIds but not here
   */
  values: number[];
  /**
   * runs that are copies of another run of the group (same seed, same headline metrics): the same training read
   * twice (a text log and its CSV, a copied folder). Each list starts with the run kept; the interval counts it once.
   */
  duplicates: string[][];
  metric: SeedMetric;
  interval: MeanInterval;
}

function configOf(run: RunReport): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  for (const k of Object.keys(run.hyperparameters).sort()) if (!isNonConfigKey(k)) out[k] = run.hyperparameters[k];
  return out;
}

/**
 * Headline numbers that identify one training's outcome: the target evaluations, which every logger of a training
 * records from the same measurement. (Source and domain accuracy are training-batch statistics that a text log
 * averages per epoch and a Lightning CSV takes from the last step: the same training shows different values there.)
 */
const OUTCOME_KEYS = ['finalTargetAcc', 'bestTargetAcc', 'testAcc'] as const;
/** Most decimals a logger prints; beyond this a value is float noise (0.8577777743339539 as a percent). */
const MAX_DECIMALS = 3;

/** Decimals `x` was printed with (85.8 -> 1, 85.778 -> 3), capped at MAX_DECIMALS. */
function decimalsOf(x: number): number {
  for (let d = 0; d < MAX_DECIMALS; d++) if (Math.abs(x - Number(x.toFixed(d))) < 1e-9) return d;
  return MAX_DECIMALS;
}

/** Equal at the precision of the less precise of the two (a log's 85.8 is a CSV's 85.7777774). */
function samePrinted(x: number, y: number): boolean {
  const d = Math.min(decimalsOf(x), decimalsOf(y));
  return x.toFixed(d) === y.toFixed(d);
}
/** With no seed to compare, this many equal headline numbers are needed to call two runs one training. */
const MIN_EQUAL_METRICS_WITHOUT_SEED = 2;

/**
 * Is `b` the same training as `a`? Same seed and every target number both have equal (at the printed precision);
 * or (a seed missing on one side, e.g. a CSV export without the config) at least MIN_EQUAL_METRICS_WITHOUT_SEED
 * equal and none different.
 */
export function sameTraining(a: RunReport, b: RunReport): boolean {
  const sa = seedOf(a);
  const sb = seedOf(b);
  if (sa !== '?' && sb !== '?' && sa !== sb) return false;
  let equal = 0;
  for (const k of OUTCOME_KEYS) {
    const x = a.metrics[k];
    const y = b.metrics[k];
    if (x === undefined || y === undefined) continue;
    if (!samePrinted(x, y)) return false;
    equal++;
  }
  return sa !== '?' && sb !== '?' ? equal >= 1 : equal >= MIN_EQUAL_METRICS_WITHOUT_SEED;
}

/**
 * The runs with copies of one training removed (the first of each kept), and the copies found (each list starts
 * with the run kept). Copies are one sample, not n: fifty copies would otherwise give "85.8 +- 0.0, n=50".
 * Two runs with different known seeds are never copies, so a run is compared only with the kept runs of its own seed
 * and those without one (all kept runs when it has none): O(runs) for a seed sweep, where comparing with every kept
 * run cost 1 ms per run at 1,000 runs. The first match in kept order wins, as a scan of all kept runs would find.
 */
export function distinctTrainings(runs: readonly RunReport[]): { kept: RunReport[]; duplicates: string[][] } {
  const kept: RunReport[] = [];
  const copiesOf = new Map<RunReport, string[]>();
  // positions in `kept`, by seed ('?' = no seed): ascending, since kept only grows
  const keptBySeed = new Map<string, number[]>();
  const firstMatch = (list: number[] | undefined, r: RunReport): number => {
    for (const i of list ?? []) if (sameTraining(kept[i]!, r)) return i;
    return -1;
  };
  for (const r of runs) {
    const seed = seedOf(r);
    let at: number;
    if (seed === '?') at = kept.findIndex((k) => sameTraining(k, r));
    else {
      const a = firstMatch(keptBySeed.get(seed), r);
      const b = firstMatch(keptBySeed.get('?'), r);
      at = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }
    if (at >= 0) copiesOf.get(kept[at]!)!.push(r.id);
    else {
      const list = keptBySeed.get(seed);
      if (list) list.push(kept.length);
      else keptBySeed.set(seed, [kept.length]);
      kept.push(r);
      copiesOf.set(r, [r.id]);
    }
  }
  return { kept, duplicates: [...copiesOf.values()].filter((ids) => ids.length > 1) };
}

/**
 * The seed's text per hyperparameter object: asked twice per comparison of two runs and once per group member, and a
 * tllib Namespace is a ~40-key object to walk each time.
 */
const seedCache = new WeakMap<object, string>();

function seedOf(run: RunReport): string {
  const hp = run.hyperparameters;
  let seed = seedCache.get(hp);
  if (seed === undefined) seedCache.set(hp, (seed = findSeed(hp)));
  return seed;
}

function findSeed(hp: RunReport['hyperparameters']): string {
  for (const [k, v] of Object.entries(hp)) if (SEED_KEYS.has(k.toLowerCase())) return hyperText(v);
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
    const { kept, duplicates } = distinctTrainings(g.runs);
    const values = kept.map((r) => targetAccOf(r, metric)).filter((v): v is number => v !== undefined);
    const distinct = keysInAll.filter((k) => hyperText(g.config[k]) !== modal.get(k));
    const shown = distinct.slice(0, MAX_LABEL_KEYS).map((k) => `${k}=${hyperText(g.config[k])}`);
    if (distinct.length > MAX_LABEL_KEYS) shown.push('…');
    const label = [g.algorithm, ...shown].join(' ');
    return {
      signature, label, algorithm: g.algorithm, config: g.config,
      runIds: g.runs.map((r) => r.id), seeds: g.runs.map(seedOf), values, duplicates, metric, interval: meanInterval(values),
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
    const { kept, duplicates } = distinctTrainings(runs);
    const values = kept.map((r) => targetAccOf(r, metric)).filter((v): v is number => v !== undefined);
    return { signature: label, label, algorithm: runs[0]?.algorithm ?? 'unknown', config: {}, runIds: runs.map((r) => r.id), seeds: runs.map(seedOf), values, duplicates, metric, interval: meanInterval(values) };
  };
  return compareSeedGroups(mk(current, 'current'), mk(baseline, 'baseline'), alpha);
}

/** "50 runs are copies of 1 training (same seed, same metrics: a, b, c, …)" or '' when there are none. */
export function duplicatesText(g: Pick<SeedGroup, 'duplicates'>): string {
  if (!g.duplicates.length) return '';
  const copies = g.duplicates.reduce((n, d) => n + d.length, 0);
  const shown = g.duplicates.map((d) => (d.length > 4 ? `${d.slice(0, 3).join(' = ')} = … (${d.length})` : d.join(' = '))).slice(0, 3);
  const more = g.duplicates.length > 3 ? `; ${g.duplicates.length - 3} more` : '';
  return `${copies} runs are copies of ${g.duplicates.length} training${g.duplicates.length > 1 ? 's' : ''} (same seed, same metrics; counted once): ${shown.join('; ')}${more}`;
}

/** "85.7 +- 1.8 (95% CI, n=3)" or "85.8 (n=1, no CI)". */
export function formatInterval(i: MeanInterval): string {
  if (i.n === 0) return 'no value';
  if (i.n < 2) return `${fmt(i.mean)} (n=1, no CI)`;
  return `${fmt(i.mean)} +- ${fmt((i.high - i.low) / 2)} (${Math.round(i.confidence * 100)}% CI, n=${i.n})`;
}
