// Recognises source-only (no adaptation) runs and picks the one that is a fair baseline for an adapted run.
import type { Run } from './types.js';
import { HYPER_NAMES, hyperLookup, hyperValueNumber } from '../understand/hyper-aliases.js';

/**
 * A source-only run: algorithm 'erm' (tllib erm.py / src_only), or an adversarial weight (any spelling in the one
 * alias table: trade_off, da_weight, adv_weight, lambda ...) of exactly 0.
 */
export function isSourceOnly(run: Pick<Run, 'algorithm' | 'hyperparameters'>): boolean {
  if (run.algorithm === 'erm') return true;
  const hit = hyperLookup(run.hyperparameters, HYPER_NAMES.tradeOff);
  return hit !== undefined && hyperValueNumber(hit.value) === 0;
}

/** Keys that must match for two runs to be on the same task (dataset and domains). */
const TASK_KEYS = ['data', 'source', 'target'];

function taskKey(r: Pick<Run, 'hyperparameters'>): string {
  return JSON.stringify(TASK_KEYS.map((k) => r.hyperparameters[k] ?? null));
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
export function pickBaselines(runs: readonly Pick<Run, 'algorithm' | 'hyperparameters'>[]): (number | undefined)[] {
  const firstOfTask = new Map<string, number>();
  runs.forEach((r, i) => {
    if (!isSourceOnly(r)) return;
    const k = taskKey(r);
    if (!firstOfTask.has(k)) firstOfTask.set(k, i);
  });
  return runs.map((r) => (isSourceOnly(r) ? undefined : firstOfTask.get(taskKey(r))));
}
