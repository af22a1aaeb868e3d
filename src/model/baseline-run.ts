// Recognises source-only (no adaptation) runs and picks the one that is a fair baseline for an adapted run.
import type { Run } from './types.js';

/** A source-only run: tllib erm.py / src_only, or an adversarial script with trade_off = 0. */
export function isSourceOnly(run: Run): boolean {
  if (run.algorithm === 'erm') return true;
  const t = run.hyperparameters['trade_off'];
  return typeof t === 'number' && t === 0;
}

/** Keys that must match for two runs to be on the same task (dataset and domains). */
const TASK_KEYS = ['data', 'source', 'target'];

function sameTask(a: Run, b: Run): boolean {
  return TASK_KEYS.every((k) => JSON.stringify(a.hyperparameters[k] ?? null) === JSON.stringify(b.hyperparameters[k] ?? null));
}

/** The source-only run among `candidates` on the same task as `run`, if any (never the run itself). */
export function pickBaseline(run: Run, candidates: readonly Run[]): Run | undefined {
  if (isSourceOnly(run)) return undefined;
  return candidates.find((c) => c !== run && isSourceOnly(c) && sameTask(c, run));
}
