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

function sameTask(a: Run, b: Run): boolean {
  return TASK_KEYS.every((k) => JSON.stringify(a.hyperparameters[k] ?? null) === JSON.stringify(b.hyperparameters[k] ?? null));
}

/** The source-only run among `candidates` on the same task as `run`, if any (never the run itself). */
export function pickBaseline(run: Run, candidates: readonly Run[]): Run | undefined {
  if (isSourceOnly(run)) return undefined;
  return candidates.find((c) => c !== run && isSourceOnly(c) && sameTask(c, run));
}
