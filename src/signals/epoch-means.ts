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
  const { points } = series;
  // Logs print epochs in order, so a series is almost always runs of points of one epoch in increasing order: cut
  // it into those runs in one pass. A point that goes back to an earlier epoch (an appended restart, interleaved
  // files) falls back to grouping by epoch, which gives the same groups for in-order input.
  const bounds: number[] = [];
  const epochs: number[] = [];
  let cur = NaN;
  for (let i = 0; i < points.length; i++) {
    const e = epochOf(points[i], series.granularity, itersPerEpoch);
    if (e === undefined) return [];
    if (i > 0 && e === cur) continue;
    if (i > 0 && !(e > cur)) return epochMeansGrouped(series, itersPerEpoch);
    bounds.push(i);
    epochs.push(e);
    cur = e;
  }
  bounds.push(points.length);
  const out: EpochMean[] = [];
  for (let g = 0; g < epochs.length; g++) out.push(meanOf(epochs[g], points.slice(bounds[g], bounds[g + 1]), series.granularity));
  return out;
}

function epochOf(p: Point, granularity: Series['granularity'], itersPerEpoch: number | undefined): number | undefined {
  let e: number | undefined = p.epoch;
  if (e === undefined && granularity === 'epoch') e = p.step;
  if (e === undefined && itersPerEpoch && itersPerEpoch > 0) e = Math.floor(p.step / itersPerEpoch);
  return e;
}

function epochMeansGrouped(series: Pick<Series, 'points' | 'granularity'>, itersPerEpoch?: number): EpochMean[] {
  const groups = new Map<number, Point[]>();
  for (const p of series.points) {
    const e = epochOf(p, series.granularity, itersPerEpoch);
    if (e === undefined) return [];
    let g = groups.get(e);
    if (!g) groups.set(e, (g = []));
    g.push(p);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((epoch) => meanOf(epoch, groups.get(epoch)!, series.granularity));
}

/** One epoch's mean from its points, in order (see epochMeans). */
function meanOf(epoch: number, pts: Point[], granularity: Series['granularity']): EpochMean {
  let anyBad = false;
  for (const p of pts) if (!Number.isFinite(p.value)) { anyBad = true; break; }
  const last = pts[pts.length - 1];
  let mean: number;
  let from: EpochMean['from'];
  if (last.avg !== undefined) {
    from = 'running-avg';
    mean = anyBad && Number.isFinite(last.avg) ? NaN : last.avg;
  } else if (pts.length === 1 && granularity === 'epoch') {
    from = 'value';
    mean = last.value;
  } else {
    from = 'mean';
    mean = pts.reduce((a, p) => a + p.value, 0) / pts.length;
  }
  return { epoch, mean, n: pts.length, from, firstStep: pts[0].step, lastStep: last.step, firstLine: pts[0].line, lastLine: last.line, points: pts };
}

/**
 * epochMeans, computed once per series and iters/epoch: the rules, the cause ranking and the report's series
 * summaries all ask for the same series' means. A series whose points array was replaced or grew (a run being
 * watched) is computed afresh. Callers must not mutate the returned array or its entries.
 */
const memo = new WeakMap<object, { points: readonly Point[]; length: number; byIpe: Map<number | undefined, EpochMean[]> }>();

export function epochMeansCached(series: Pick<Series, 'points' | 'granularity'>, itersPerEpoch?: number): EpochMean[] {
  let m = memo.get(series);
  if (!m || m.points !== series.points || m.length !== series.points.length) memo.set(series, (m = { points: series.points, length: series.points.length, byIpe: new Map() }));
  let ems = m.byIpe.get(itersPerEpoch);
  if (!ems) m.byIpe.set(itersPerEpoch, (ems = epochMeans(series, itersPerEpoch)));
  return ems;
}
