// The noise model of one curve (per-epoch values): a robust trend, the epoch-to-epoch noise around it, and the
// warm-up span. Computed once per series and shared by the rules, so every rule judges a change against the same
// yardstick: the run's own noise.

export interface NoiseModel {
  /** values given (finite or not) */
  n: number;
  /** finite values used */
  finite: number;
  /**
   * Robust trend, same length as the input: running median (window 5, or 3 below 7 values) followed by a
   * 1/4-1/2-1/4 Hanning pass. Windows shrink symmetrically at the ends, so the first and last trend values are the
   * raw first and last values: a peak in the first epoch stays visible. NaN where the input is non-finite.
   */
  trend: number[];
  /** value - trend (NaN where the input is non-finite) */
  residual: number[];
  /**
   * Robust epoch-to-epoch noise, as a standard deviation of one value: 1.4826 x the median absolute deviation of
   * the first differences around their median, divided by sqrt 2 (a difference carries the noise of two values).
   * Centring on the median difference makes a steady climb or decline cost nothing; a single jump or spike
   * barely moves a median. NaN with fewer than 3 finite values.
   */
  sigma: number;
  /** 1.4826 x the median absolute residual around the trend (interior values only; the ends equal the trend) */
  residualSigma: number;
  /**
   * Index of the first value after the warm-up: the initial stretch in which the curve moves in one direction by
   * more than WARMUP_STEP_SIGMAS x sigma every epoch (a fast initial climb of accuracy, a falling domain accuracy).
   * 0 when the curve does not start with such a move.
   */
  warmupEnd: number;
}

/** 1.4826 turns a median absolute deviation into a standard deviation for Gaussian noise. */
const MAD_TO_SD = 1.4826;
/** A warm-up step moves more than twice the noise: noise alone does that in under 5% of steps, twice in a row in 0.2%. */
export const WARMUP_STEP_SIGMAS = 2;

/**
 * Median of finite numbers (the input is left alone). Sorted as a Float64Array: a native numeric sort, no comparator
 * call per comparison; every median here runs over finite values (non-finite ones are skipped before), where this
 * order is the comparator's order.
 */
function median(xs: ArrayLike<number>): number {
  return xs.length === 0 ? NaN : sortedMedian(new Float64Array(xs).sort());
}

/** Median of an array of ours, sorted in place. */
function medianInPlace(xs: Float64Array): number {
  return xs.length === 0 ? NaN : sortedMedian(xs.sort());
}

function sortedMedian(s: Float64Array): number {
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Running median with symmetric windows that shrink at the ends (the ends are kept as they are). Windows are odd
 * and small (3 or 5): each is insertion-sorted in one scratch buffer instead of sliced, copied and sorted.
 */
function runningMedian(v: ArrayLike<number>, window: number): Float64Array {
  const h = window >> 1;
  const n = v.length;
  const w = new Float64Array(2 * h + 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.min(h, i, n - 1 - i);
    const len = 2 * r + 1;
    for (let k = 0; k < len; k++) {
      const x = v[i - r + k];
      let j = k;
      while (j > 0 && w[j - 1] > x) {
        w[j] = w[j - 1];
        j--;
      }
      w[j] = x;
    }
    out[i] = w[r];
  }
  return out;
}

function hanning(v: Float64Array): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i === 0 || i === n - 1 ? v[i] : v[i - 1] / 4 + v[i] / 2 + v[i + 1] / 4;
  return out;
}

/** Indices of the finite values of `values`, in order. */
function finiteIndices(values: readonly number[], from = 0): Int32Array {
  let m = 0;
  for (let i = from; i < values.length; i++) if (Number.isFinite(values[i])) m++;
  const idx = new Int32Array(m);
  for (let i = from, k = 0; i < values.length; i++) if (Number.isFinite(values[i])) idx[k++] = i;
  return idx;
}

/**
 * Robust trend of a sequence (see NoiseModel.trend). Non-finite values are skipped (the trend runs over the
 * finite ones) and get NaN.
 *
 * Cost: O(n w log w) with w = 5. NaN/Inf policy: skipped; NaN at their positions.
 *
 * @example robustTrend([83, 97, 83, 97, 83, 97, 83]) // [83, 86.5, 90, 90, 90, 93.5, 83]: the zig-zag is smoothed out
 */
export function robustTrend(values: readonly number[]): number[] {
  const idx = finiteIndices(values);
  const out = new Array<number>(values.length).fill(NaN);
  if (idx.length === 0) return out;
  const fin = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) fin[k] = values[idx[k]];
  const smooth = hanning(runningMedian(fin, fin.length >= 7 ? 5 : 3));
  for (let k = 0; k < idx.length; k++) out[idx[k]] = smooth[k];
  return out;
}

/** The part of a curve's noise model that needs no trend: its epoch-to-epoch noise and warm-up (see NoiseModel). */
export type NoiseLevel = Pick<NoiseModel, 'n' | 'finite' | 'sigma' | 'warmupEnd'>;

/**
 * sigma and warmupEnd of a curve, as noiseModel gives them, without the running-median trend (curve-jump needs
 * only these, on several curves per run).
 *
 * Cost: O(n log n) time, O(n) memory. NaN/Inf policy: non-finite values are skipped.
 *
 * @example noiseLevel([58, 69, 77, 88, 89, 88, 90, 89, 90]).warmupEnd // 3
 */
export function noiseLevel(values: readonly number[]): NoiseLevel {
  const idx = finiteIndices(values);
  const finite = idx.length;
  const diffs = new Float64Array(Math.max(0, finite - 1));
  for (let i = 0; i + 1 < finite; i++) diffs[i] = values[idx[i + 1]] - values[idx[i]];
  let sigma = NaN;
  if (finite >= 3) {
    const md = median(diffs);
    const dev = new Float64Array(diffs.length);
    for (let i = 0; i < diffs.length; i++) dev[i] = Math.abs(diffs[i] - md);
    sigma = (MAD_TO_SD * medianInPlace(dev)) / Math.SQRT2;
  }
  let warmupEnd = 0;
  if (Number.isFinite(sigma) && diffs.length) {
    const dir = Math.sign(diffs[0]);
    const step = Math.max(WARMUP_STEP_SIGMAS * sigma, 0);
    let k = 0;
    while (k < diffs.length && dir !== 0 && Math.sign(diffs[k]) === dir && Math.abs(diffs[k]) > step) k++;
    // Two or more such steps make a warm-up; one step is just a first move.
    warmupEnd = k >= 2 && k < diffs.length ? k : 0;
    // Positions are over finite values; map back to the input index.
    if (warmupEnd) warmupEnd = idx[warmupEnd];
  }
  return { n: values.length, finite, sigma, warmupEnd };
}

/**
 * The noise model of a curve (see NoiseModel).
 *
 * Cost: O(n log n) time, O(n) memory.
 * NaN/Inf policy: non-finite values are skipped (the model describes the finite curve); their trend and residual
 * are NaN. Callers that must treat a NaN as a symptom check `firstNonFinite` first.
 *
 * @example noiseModel([58, 69, 77, 88, 89, 88, 90, 89, 90]).warmupEnd // 3: the climb to 88 is the warm-up
 */
export function noiseModel(values: readonly number[]): NoiseModel {
  const level = noiseLevel(values);
  const trend = robustTrend(values);
  const residual = new Array<number>(values.length);
  const interior = new Float64Array(Math.max(0, level.finite - 2));
  let seen = 0;
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const r = Number.isFinite(v) ? v - trend[i] : NaN;
    residual[i] = r;
    if (!Number.isFinite(r)) continue;
    seen++;
    if (seen > 1 && seen < level.finite) interior[m++] = Math.abs(r);
  }
  const residualSigma = m ? MAD_TO_SD * medianInPlace(m === interior.length ? interior : interior.subarray(0, m)) : NaN;
  return { n: level.n, finite: level.finite, trend, residual, sigma: level.sigma, residualSigma, warmupEnd: level.warmupEnd };
}

export interface PeakToEnd {
  /** index of the highest trend value (the smoothed peak) */
  peakIndex: number;
  peakLevel: number;
  /** level at the end: median of the last `endCount` finite values (3, or 5 from 20 values on; only those at or after the peak) */
  endLevel: number;
  endCount: number;
  /** index of the first of those values */
  endFrom: number;
  /** peakLevel - endLevel */
  drop: number;
  /**
   * drop / (sigma x sqrt(1/m + 1/endCount)), with m = 1 when the peak is the first (raw) value and
   * PEAK_SPAN otherwise: the drop in units of its own noise. Infinity when sigma is 0 and drop > 0.
   */
  z: number;
  /** the single highest raw value and its index (a lucky draw on a noisy curve, a peak on a clean one) */
  bestIndex: number;
  bestValue: number;
}

/** Epochs averaged for the end level: 3, or 5 on curves of 20 or more epochs (a median of 3 outvotes one bad epoch). */
const END_WINDOW = (n: number): number => (n >= 20 ? 5 : 3);

/** The Hanning pass over a median-5 averages roughly three values' worth of noise. */
export const PEAK_SPAN = 3;

/**
 * How far a curve ended below its smoothed peak, and how large that is against the curve's noise.
 * Null with fewer than 3 finite values.
 *
 * Cost: O(n) given the model. NaN/Inf policy: non-finite values are skipped.
 *
 * @example peakToEnd([29.5, 12, 9, 15, 8, 13, 17, 11, 16, 17.3], noiseModel(...)) // peak 29.5 at 0 (the first epoch counts), end 16
 */
export function peakToEnd(values: readonly number[], model: NoiseModel = noiseModel(values)): PeakToEnd | null {
  const idx = finiteIndices(values);
  if (idx.length < 3) return null;
  let peakIndex = idx[0];
  let bestIndex = idx[0];
  for (const i of idx) {
    if (model.trend[i] > model.trend[peakIndex]) peakIndex = i;
    if (values[i] > values[bestIndex]) bestIndex = i;
  }
  // The end level counts only values at or after the peak: a value before the peak cannot show a fall from it. When
  // the peak lies inside the end window (a curve still climbing, e.g. a run in progress whose last epoch is its
  // best), a median over the whole window would lag behind the climb and read as a drop below the peak.
  const tail = Array.from(idx.subarray(-END_WINDOW(idx.length))).filter((i) => i >= peakIndex);
  const endCount = tail.length;
  const endLevel = median(tail.map((i) => values[i]));
  const peakLevel = model.trend[peakIndex];
  const drop = peakLevel - endLevel;
  const m = peakIndex === idx[0] || peakIndex === idx[idx.length - 1] ? 1 : PEAK_SPAN;
  const se = model.sigma * Math.sqrt(1 / m + 1 / endCount);
  const z = se > 0 ? drop / se : drop > 0 ? Infinity : 0;
  return { peakIndex, peakLevel, endLevel, endCount, endFrom: tail[0], drop, z, bestIndex, bestValue: values[bestIndex] };
}

export interface Swing {
  /** median |v[i+1] - v[i]| over the values judged */
  medianSwing: number;
  /** median |trend[i+1] - trend[i]|: how much the level itself moves per epoch */
  trendStep: number;
  /** fraction of consecutive non-zero differences that reverse direction */
  reversalRate: number;
  /** robust spread of the residual around the trend (residualSigma over the values judged) */
  amplitude: number;
  steps: number;
}

/**
 * Swing of a curve against its trend: how far it goes back and forth each epoch, compared with how far its level
 * moves. Judged from index `from` on (e.g. after the warm-up). Null with fewer than 4 finite values judged.
 *
 * Cost: O(n log n). NaN/Inf policy: non-finite values are skipped.
 *
 * @example swing([83, 97, 84, 96, 85, 97, 83], noiseModel(...)) // medianSwing ~12, trendStep ~2, reversalRate 1
 */
export function swing(values: readonly number[], model: NoiseModel = noiseModel(values), from = 0): Swing | null {
  const idx = finiteIndices(values, Math.max(0, from));
  if (idx.length < 4) return null;
  const steps = idx.length - 1;
  const absD = new Float64Array(steps);
  const t = new Float64Array(steps);
  // direction reversals between consecutive non-zero moves
  let moves = 0;
  let rev = 0;
  let lastSign = 0;
  for (let k = 0; k < steps; k++) {
    const d = values[idx[k + 1]] - values[idx[k]];
    absD[k] = Math.abs(d);
    t[k] = Math.abs(model.trend[idx[k + 1]] - model.trend[idx[k]]);
    if (d === 0) continue;
    const sign = Math.sign(d);
    if (moves > 0 && sign !== lastSign) rev++;
    lastSign = sign;
    moves++;
  }
  const inner = new Float64Array(idx.length - 2);
  for (let k = 1; k + 1 < idx.length; k++) inner[k - 1] = Math.abs(model.residual[idx[k]]);
  return {
    medianSwing: medianInPlace(absD),
    trendStep: medianInPlace(t),
    reversalRate: moves > 1 ? rev / (moves - 1) : 0,
    amplitude: inner.length ? MAD_TO_SD * medianInPlace(inner) : 0,
    steps,
  };
}
