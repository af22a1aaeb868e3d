// Unicode sparklines (▁▂▃▄▅▆▇█) for series in the terminal, with non-finite values shown, never hidden.

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** Shown where a bucket holds a NaN or ±Inf: in a training log that is the symptom. */
export const NON_FINITE_MARK = '×';

export interface SparklineOptions {
  /** characters; the values are bucketed (mean of each bucket) when there are more */
  width?: number;
  /** fixed scale, e.g. 0..100 for accuracies, so two sparklines compare */
  min?: number;
  max?: number;
}

/**
 * One character per value (or per bucket of values when `width` is smaller): the bucket mean scaled between min
 * and max. A bucket with any non-finite value shows NON_FINITE_MARK. Example: sparkline([1, 2, 3, 4]) === '▁▃▆█'.
 */
export function sparkline(values: readonly number[], opts: SparklineOptions = {}): string {
  const n = values.length;
  if (n === 0) return '';
  const width = Math.max(1, Math.min(opts.width ?? n, n));
  const buckets: number[] = [];
  for (let b = 0; b < width; b++) {
    const a = Math.floor((b * n) / width);
    const z = Math.max(a + 1, Math.floor(((b + 1) * n) / width));
    let sum = 0;
    let bad = false;
    for (let i = a; i < z; i++) {
      if (!Number.isFinite(values[i])) bad = true;
      else sum += values[i];
    }
    buckets.push(bad ? NaN : sum / (z - a));
  }
  let lo = opts.min ?? Infinity;
  let hi = opts.max ?? -Infinity;
  if (opts.min === undefined || opts.max === undefined) {
    for (const v of buckets) {
      if (!Number.isFinite(v)) continue;
      if (opts.min === undefined && v < lo) lo = v;
      if (opts.max === undefined && v > hi) hi = v;
    }
  }
  return buckets
    .map((v) => {
      if (!Number.isFinite(v)) return NON_FINITE_MARK;
      if (!(hi > lo)) return BARS[3];
      const t = Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
      return BARS[Math.min(BARS.length - 1, Math.round(t * (BARS.length - 1)))];
    })
    .join('');
}
