// Per-epoch means of a metric series; for tllib meters the last running average of an epoch is that epoch's mean.
import type { Point, Series } from '../model/types.js';

export interface EpochMean {
  epoch: number;
  mean: number;
  /** points in the epoch */
  n: number;
  /** 'running-avg': last tllib AverageMeter avg; 'mean': mean of the logged values; 'value': one value per epoch */
  from: 'running-avg' | 'mean' | 'value';
  firstStep: number;
  lastStep: number;
  /** source lines of the first and last point, when known */
  firstLine?: number;
  lastLine?: number;
  /** the points of this epoch, in order */
  points: Point[];
}

/**
 * Groups a series by epoch and returns one mean per epoch, in epoch order.
 *
 * - Epoch of a point: `point.epoch`; else `floor(step / itersPerEpoch)` when `itersPerEpoch` is given; for
 *   epoch-granularity series the step is the epoch. Without any of these the series has no epoch structure and
 *   the result is empty.
 * - tllib prints `val (avg)` where avg is the running mean since the start of the epoch (meters are rebuilt in
 *   every `train()` call), so the last printed avg of an epoch is the mean over that epoch (up to the last
 *   printed iteration). Single printed values are batch values and far noisier; they are used (arithmetic mean)
 *   only when no running average exists (Lightning/CSV/TensorBoard step values).
 *
 * Cost: O(n) time and memory.
 * NaN/Inf policy: kept. A non-finite value (or running average) in an epoch makes that epoch's mean non-finite,
 * so a divergence is never averaged away.
 *
 * @example epochMeans({ ..., points: [{step:0, epoch:0, value:60, avg:60}, {step:50, epoch:0, value:50, avg:55}] }) // [{ epoch: 0, mean: 55, from: 'running-avg', ... }]
 */
export function epochMeans(series: Pick<Series, 'points' | 'granularity'>, itersPerEpoch?: number): EpochMean[] {
  const groups = new Map<number, Point[]>();
  for (const p of series.points) {
    let e: number | undefined = p.epoch;
    if (e === undefined && series.granularity === 'epoch') e = p.step;
    if (e === undefined && itersPerEpoch && itersPerEpoch > 0) e = Math.floor(p.step / itersPerEpoch);
    if (e === undefined) return [];
    let g = groups.get(e);
    if (!g) groups.set(e, (g = []));
    g.push(p);
  }
  const out: EpochMean[] = [];
  for (const epoch of [...groups.keys()].sort((a, b) => a - b)) {
    const pts = groups.get(epoch)!;
    const anyBad = pts.some((p) => !Number.isFinite(p.value));
    const last = pts[pts.length - 1];
    let mean: number;
    let from: EpochMean['from'];
    if (last.avg !== undefined) {
      from = 'running-avg';
      mean = anyBad && Number.isFinite(last.avg) ? NaN : last.avg;
    } else if (pts.length === 1 && series.granularity === 'epoch') {
      from = 'value';
      mean = last.value;
    } else {
      from = 'mean';
      mean = pts.reduce((a, p) => a + p.value, 0) / pts.length;
    }
    out.push({
      epoch,
      mean,
      n: pts.length,
      from,
      firstStep: pts[0].step,
      lastStep: last.step,
      firstLine: pts[0].line,
      lastLine: last.line,
      points: pts,
    });
  }
  return out;
}
