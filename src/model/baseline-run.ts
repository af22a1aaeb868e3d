// Recognises source-only (no adaptation) runs and picks the one that is a fair baseline for an adapted run.
import type { Run } from './types.js';

/** Names scripts give the adversarial weight; any of them at exactly 0 means no adaptation. */
const TRADE_OFF_KEYS = ['trade_off', 'tradeoff', 'lambda_adv', 'adv_weight', 'lambda', 'trade_off_weight'];

/** A source-only run: algorithm 'erm' (tllib erm.py / src_only), or an adversarial weight of exactly 0. */
export function isSourceOnly(run: Pick<Run, 'algorithm' | 'hyperparameters'>): boolean {
  if (run.algorithm === 'erm') return true;
  for (const k of TRADE_OFF_KEYS) {
    const v = run.hyperparameters[k];
    if (v === 0 || v === '0' || v === '0.0') return true;
  }
  return false;
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
