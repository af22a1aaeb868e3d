// Recognises source-only (no adaptation) runs and picks the one that is a fair baseline for an adapted run.
import { dirname } from 'node:path';
import type { Run } from '../model/types.js';
import { HYPER_NAMES, hyperLookup, hyperValueNumber } from './hyper-aliases.js';

/**
 * A source-only run: algorithm 'erm' (tllib erm.py / src_only), or an adversarial weight (any spelling in the one
 * alias table: trade_off, da_weight, adv_weight, lambda ...) of exactly 0.
 */
export function isSourceOnly(run: Pick<Run, 'algorithm' | 'hyperparameters'>): boolean {
  if (run.algorithm === 'erm') return true;
  const hit = hyperLookup(run.hyperparameters, HYPER_NAMES.tradeOff);
  return hit !== undefined && hyperValueNumber(hit.value) === 0;
}

/**
 * Keys that must match for two runs to be on the same task: the dataset and domains, and every setting scripts use
 * to train on part of the data (a subset, a fraction, a fold, a scenario). A source-only run on another subset is
 * no baseline: its accuracy says nothing about this run's gain (a "-41.2 points" gain came from exactly that).
 * A key one run has and the other lacks counts as different: nothing says the data matched.
 */
export const TASK_KEYS = [
  'data', 'dataset', 'source', 'target', 'task', 'scenario', 'benchmark', 'domain', 'domains',
  // short spellings of the domains: SHOT/SFDA `--s 0 --t 1`, `--src/--tgt`, DomainBed's held-out `test_envs`
  's', 't', 'src', 'tgt', 'source_domain', 'target_domain', 'src_domain', 'tgt_domain', 'test_envs', 'dset',
  'subset', 'data_subset', 'class_subset', 'split', 'fold', 'percent', 'data_fraction', 'train_fraction', 'fraction',
  'sample_ratio', 'subset_ratio', 'num_samples', 'n_samples', 'max_samples', 'labeled_ratio', 'num_labeled',
  'byte_size', 'image_size', 'resize_size', 'num_classes',
];

/**
 * Folder levels above a run that still count as "its experiment" when the run logs no task setting at all. Scripts
 * keep one experiment's variants side by side (`outputs/<variant>`, `models/<variant>/<arch>`); two levels cover
 * both, while runs of two unrelated projects passed in one command sit further apart (a Kedro MNIST->telegrams
 * source-only run was taken as the baseline of a coloured-MNIST CORAL run: -1.0 points, a false warning).
 */
export const TASKLESS_SCOPE_LEVELS = 2;

/** What a run must share with a baseline when neither says what it trained on: the experiment folder and how it logs. */
type Placed = Pick<Run, 'hyperparameters'> & { path?: string; formats?: readonly string[]; inRunBaseline?: unknown };

function experimentFolder(path: string): string {
  let p = path;
  for (let i = 0; i < TASKLESS_SCOPE_LEVELS; i++) p = dirname(p);
  return p;
}

/**
 * Identity of a run's task (dataset, source and target domains): runs with equal keys compare with each other. A run
 * with none of the task settings (many scripts log only lr and epochs) is only comparable with runs of the same
 * experiment folder written by the same kind of logger: without data settings, that is all that says the data matched.
 */
export function taskKey(r: Placed): string {
  const values = TASK_KEYS.map((k) => r.hyperparameters[k] ?? null);
  if (r.path === undefined || values.some((v) => v !== null)) return JSON.stringify(values);
  return JSON.stringify({ taskless: experimentFolder(r.path), formats: [...(r.formats ?? [])].sort() });
}

function show(v: unknown): string {
  return v === undefined || v === null ? 'unset' : typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

/**
 * Why no source-only run was taken as `run`'s baseline, when there are source-only runs but none on the same task:
 * the closest one and the settings it differs in. Undefined when a baseline was found, the run is source-only, or
 * there is no source-only run at all (nothing to explain).
 */
export function whyNoBaseline(run: Pick<Run, 'algorithm'> & Placed, sourceOnly: readonly (Pick<Run, 'algorithm'> & Placed & { id: string })[]): string | undefined {
  if (isSourceOnly(run) || sourceOnly.length === 0) return undefined;
  if (sourceOnly.some((c) => taskKey(c) === taskKey(run))) return undefined;
  const diffs = sourceOnly.map((c) => ({ c, keys: TASK_KEYS.filter((k) => JSON.stringify(c.hyperparameters[k] ?? null) !== JSON.stringify(run.hyperparameters[k] ?? null)) }));
  const unplaced = diffs.find((d) => d.keys.length === 0);
  if (unplaced) {
    return `no source-only baseline picked: neither this run nor ${unplaced.c.id} logs its dataset or domains, and ${unplaced.c.id} is in another experiment folder or logged another way; give one with --baseline`;
  }
  const best = diffs.sort((a, b) => a.keys.length - b.keys.length)[0];
  const what = best.keys.slice(0, 3).map((k) => `${k} ${show(run.hyperparameters[k])} vs ${show(best.c.hyperparameters[k])}`).join(', ');
  return `no source-only baseline picked: ${best.c.id} trained on other data (${what}${best.keys.length > 3 ? ', …' : ''}); give one with --baseline`;
}

/**
 * whyNoBaseline for every run at once: `result[i]` is run i's reason, or undefined (it has a baseline, is source-only,
 * or there is nothing to explain). The same answer as calling whyNoBaseline per run, in O(runs + tasks^2) instead of
 * O(runs x source-only runs): source-only runs of one task differ from a run in the same keys, so only the first of
 * each task can be the closest one (ties go to the first, as the per-run sort keeps), and runs of one task share
 * their reason. A 1,000-run sweep with 111 source-only seeds spent 0.5 ms per run here before.
 */
export function whyNoBaselines(
  runs: readonly (Pick<Run, 'algorithm'> & Placed)[],
  sourceOnly: readonly (Pick<Run, 'algorithm'> & Placed & { id: string })[],
): (string | undefined)[] {
  const firstOfTask = new Map<string, (typeof sourceOnly)[number]>();
  for (const c of sourceOnly) {
    const k = taskKey(c);
    if (!firstOfTask.has(k)) firstOfTask.set(k, c);
  }
  const candidates = [...firstOfTask.values()];
  const picked = pickBaselines(runs);
  const byTask = new Map<string, string | undefined>();
  return runs.map((r, i) => {
    // a run that states its own source-only result is compared with that: nothing is missing
    if (picked[i] !== undefined || isSourceOnly(r) || r.inRunBaseline) return undefined;
    const k = taskKey(r);
    if (!byTask.has(k)) byTask.set(k, whyNoBaseline(r, candidates));
    return byTask.get(k);
  });
}

function sameTask(a: Run, b: Run): boolean {
  return taskKey(a) === taskKey(b);
}

/** The source-only run among `candidates` on the same task as `run`, if any (never the run itself). */
export function pickBaseline(run: Run, candidates: readonly Run[]): Run | undefined {
  if (isSourceOnly(run)) return undefined;
  return candidates.find((c) => c !== run && isSourceOnly(c) && sameTask(c, run));
}

/**
 * pickBaseline for every run at once, in O(runs) instead of O(runs^2) (a 100,000-run sweep): the first source-only
 * run of each task, given to every adapted run of that task. `result[i]` is the index of run i's baseline in `runs`.
 */
export function pickBaselines(runs: readonly (Pick<Run, 'algorithm'> & Placed)[]): (number | undefined)[] {
  const firstOfTask = new Map<string, number>();
  runs.forEach((r, i) => {
    if (!isSourceOnly(r)) return;
    const k = taskKey(r);
    if (!firstOfTask.has(k)) firstOfTask.set(k, i);
  });
  return runs.map((r) => (isSourceOnly(r) ? undefined : firstOfTask.get(taskKey(r))));
}
