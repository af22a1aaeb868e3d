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
  const g = groupByEpoch(series, itersPerEpoch);
  const out: EpochMean[] = [];
  for (let k = 0; k < g.epochs.length; k++) {
    const pts = g.points.slice(g.bounds[k], g.bounds[k + 1]);
    const last = pts[pts.length - 1];
    const mean = meanOf(pts, 0, pts.length, series.granularity);
    const from: EpochMean['from'] = last.avg !== undefined ? 'running-avg' : pts.length === 1 && series.granularity === 'epoch' ? 'value' : 'mean';
    out.push({ epoch: g.epochs[k], mean, n: pts.length, from, firstStep: pts[0].step, lastStep: last.step, firstLine: pts[0].line, lastLine: last.line, points: pts });
  }
  return out;
}

/**
 * Only the epoch and mean of each epoch (what the report's series summaries show), without EpochMean's point lists:
 * the same numbers as epochMeans.
 */
export function epochMeanValues(series: Pick<Series, 'points' | 'granularity'>, itersPerEpoch?: number): { epoch: number; mean: number }[] {
  const g = groupByEpoch(series, itersPerEpoch);
  const out: { epoch: number; mean: number }[] = [];
  for (let k = 0; k < g.epochs.length; k++) out.push({ epoch: g.epochs[k], mean: meanOf(g.points, g.bounds[k], g.bounds[k + 1], series.granularity) });
  return out;
}

/** Points in epoch order; epoch k holds points[bounds[k] .. bounds[k + 1]), in their logged order. No epochs: none. */
interface EpochGroups {
  points: readonly Point[];
  bounds: number[];
  epochs: number[];
}

const NO_EPOCHS: EpochGroups = { points: [], bounds: [0], epochs: [] };

function groupByEpoch(series: Pick<Series, 'points' | 'granularity'>, itersPerEpoch: number | undefined): EpochGroups {
  const { points } = series;
  // Logs print epochs in order, so a series is almost always runs of points of one epoch in increasing order: cut
  // it into those runs in one pass. A point that goes back to an earlier epoch (an appended restart, interleaved
  // files) falls back to grouping by epoch, which gives the same groups for in-order input.
  const bounds: number[] = [];
  const epochs: number[] = [];
  let cur = NaN;
  for (let i = 0; i < points.length; i++) {
    const e = epochOf(points[i], series.granularity, itersPerEpoch);
    if (e === undefined) return NO_EPOCHS;
    if (i > 0 && e === cur) continue;
    if (i > 0 && !(e > cur)) return groupOutOfOrder(series, itersPerEpoch);
    bounds.push(i);
    epochs.push(e);
    cur = e;
  }
  bounds.push(points.length);
  return { points, bounds, epochs };
}

function epochOf(p: Point, granularity: Series['granularity'], itersPerEpoch: number | undefined): number | undefined {
  let e: number | undefined = p.epoch;
  if (e === undefined && granularity === 'epoch') e = p.step;
  if (e === undefined && itersPerEpoch && itersPerEpoch > 0) e = Math.floor(p.step / itersPerEpoch);
  return e;
}

function groupOutOfOrder(series: Pick<Series, 'points' | 'granularity'>, itersPerEpoch: number | undefined): EpochGroups {
  const groups = new Map<number, Point[]>();
  for (const p of series.points) {
    const e = epochOf(p, series.granularity, itersPerEpoch);
    if (e === undefined) return NO_EPOCHS;
    let g = groups.get(e);
    if (!g) groups.set(e, (g = []));
    g.push(p);
  }
  const epochs = [...groups.keys()].sort((a, b) => a - b);
  const points: Point[] = [];
  const bounds: number[] = [];
  for (const e of epochs) {
    bounds.push(points.length);
    for (const p of groups.get(e)!) points.push(p);
  }
  bounds.push(points.length);
  return { points, bounds, epochs };
}

/** The mean of one epoch, points[a .. b) (see epochMeans: its `from` names which of the three cases below). */
function meanOf(points: readonly Point[], a: number, b: number, granularity: Series['granularity']): number {
  let anyBad = false;
  for (let i = a; i < b; i++) if (!Number.isFinite(points[i].value)) { anyBad = true; break; }
  const last = points[b - 1];
  if (last.avg !== undefined) return anyBad && Number.isFinite(last.avg) ? NaN : last.avg;
  if (b - a === 1 && granularity === 'epoch') return last.value;
  let sum = 0;
  for (let i = a; i < b; i++) sum += points[i].value;
  return sum / (b - a);
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
