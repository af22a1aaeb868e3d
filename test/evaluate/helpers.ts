// Shared bits of the evaluation tests: a minimal Run for a shared run directory, truth.json, the test backend.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Run } from '../../src/model/types.js';
import { SHARED_RUNS } from '../helpers/shared.js';

/** The fastest rung that exists everywhere CI runs (tfjs-node may be absent; wasm ships with the package). */
export const TEST_BACKEND = 'wasm';

export function runAt(path: string, over: Partial<Run> = {}): Run {
  return {
    id: path, path, formats: [], files: [], earlierAttempts: [], status: 'unknown', algorithm: 'unknown',
    hyperparameters: {}, series: {}, evaluations: [], perClass: [], checkpoints: [], notes: [], ...over,
  };
}

export interface TruthRun {
  source_acc: number;
  final_target_acc: number;
  per_class_target_acc: Record<string, number>;
  target_pred_histogram: number[];
  target_label_histogram: number[];
}

export function readTruth(): Record<string, TruthRun> {
  return JSON.parse(readFileSync(resolve(SHARED_RUNS, 'truth.json'), 'utf8')) as Record<string, TruthRun>;
}

/** Absolute path of a shared run directory. */
export function sharedRun(name: string): string {
  return resolve(SHARED_RUNS, name);
}
