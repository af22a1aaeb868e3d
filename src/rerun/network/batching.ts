// How many images one engine call takes: as many as fit a memory budget for the activations, so a ResNet-50 at
// 224x224 runs in dozens while LeNet runs in a thousand (per-call overhead then vanishes).
import type { NetworkIR } from './ir.js';
import { inferShapes } from './shapes.js';

/** Activation memory one call may use. An engine holds a few maps alive at once (input, output, a skip branch). */
export const ACTIVATION_BUDGET_BYTES = 512 * 1024 * 1024;
/** Maps alive at the same time, counted at the largest map's size (block input, its output, the residual). */
const LIVE_MAPS = 3;
/** Past this many rows per call nothing is gained (call overhead is already < 1%). */
export const MAX_ROWS_PER_CALL = 1024;

export function rowsPerCall(ir: NetworkIR, height: number, width: number, budget = ACTIVATION_BUDGET_BYTES): number {
  const shapes = inferShapes(ir.ops, [ir.input.channels, height, width]);
  let largest = ir.input.channels * height * width;
  for (const s of shapes.values()) largest = Math.max(largest, s.reduce((p, d) => p * d, 1));
  return Math.max(1, Math.min(MAX_ROWS_PER_CALL, Math.floor(budget / (largest * 4 * LIVE_MAPS))));
}
