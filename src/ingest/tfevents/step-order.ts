// What to do with a tag whose steps go back inside one file when no restart marker says to purge. TensorBoard keeps
// every point (it purges only on SessionLog START, or for pre-v2 files on an out-of-order step), so do we. The usual
// cause is one tag written at two scales: per-step values at the global step and per-epoch values at step = epoch
// (`writer.add_scalar('acc', v, epoch)` beside `add_scalar('acc', v, global_step)`). Those become two series.
import type { Point } from '../../model/types.js';

/**
 * The backward points are on an epoch scale when their steps stay below this fraction of the forward chain's
 * largest step (an epoch counter is far smaller than a step counter after the first few epochs); otherwise the
 * points are the same scale written out of order, and are merged in step order.
 */
export const EPOCH_SCALE_FRACTION = 0.5;
/** Fewer backward points than this are stragglers of the same scale, not a second series. */
const MIN_SECOND_SCALE_POINTS = 2;

export interface StepOrderSplit {
  /** the forward chain (or every point in step order when no second scale was found) */
  main: Point[];
  /** per-epoch values written at step = epoch, when found */
  epochScale?: Point[];
  /** how many points came out of step order */
  backward: number;
}

/** Splits a tag's points (in write order) into the forward chain and the points that went back. Linear. */
export function splitStepOrder(points: Point[]): StepOrderSplit {
  let maxStep = -Infinity;
  let back = 0;
  for (const p of points) {
    if (p.step < maxStep) back++;
    else maxStep = p.step;
  }
  if (back === 0) return { main: points, backward: 0 };
  const main: Point[] = [];
  const second: Point[] = [];
  let fwd = -Infinity;
  for (const p of points) {
    if (p.step >= fwd) { main.push(p); fwd = p.step; } else second.push(p);
  }
  // the first per-epoch point (step 0 or 1) usually lands before the forward chain passed it; take the small steps
  // that head the forward chain and match the second chain's scale back out of it
  const secondMonotone = second.every((p, i) => i === 0 || p.step >= second[i - 1].step);
  const mainMax = main[main.length - 1].step;
  const smallScale = second.length >= MIN_SECOND_SCALE_POINTS && secondMonotone && second[second.length - 1].step < mainMax * EPOCH_SCALE_FRACTION;
  if (!smallScale) {
    const sorted = points.map((p, i) => ({ p, i })).sort((a, b) => a.p.step - b.p.step || a.i - b.i).map((x) => x.p);
    return { main: sorted, backward: back };
  }
  return { main, epochScale: second, backward: back };
}
