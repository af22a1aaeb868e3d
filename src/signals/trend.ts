// Robust trend of a curve: the Theil-Sen slope (median of pairwise slopes), insensitive to a few spikes.

export interface Trend {
  slope: number;
  /** median(y) - slope * median(x), as scipy.stats.theilslopes(method='separate') */
  intercept: number;
  /** points used */
  n: number;
  /** points dropped because x or y was non-finite */
  dropped: number;
}

/**
 * Theil-Sen estimator over (x, y) pairs. Pairs with equal x are skipped. Null when fewer than 2 usable points.
 *
 * Cost: O(n^2) time and memory (all pairwise slopes); meant for per-epoch curves (n up to a few hundred).
 * NaN/Inf policy: pairs with a non-finite x or y are dropped and counted in `dropped`; callers that must treat a
 * NaN as a symptom check `firstNonFinite` first.
 *
 * Checked against scipy.stats.theilslopes (see test/signals/trend.test.ts for the command).
 *
 * @example theilSen([0, 1, 2, 3], [10, 8, 6, 4]) // { slope: -2, intercept: 10, n: 4, dropped: 0 }
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): Trend | null {
  const x: number[] = [];
  const y: number[] = [];
  const len = Math.min(xs.length, ys.length);
  for (let i = 0; i < len; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) {
      x.push(xs[i]);
      y.push(ys[i]);
    }
  }
  const dropped = len - x.length;
  if (x.length < 2) return null;
  const all = new Float64Array((x.length * (x.length - 1)) / 2);
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      if (x[j] !== x[i]) all[m++] = (y[j] - y[i]) / (x[j] - x[i]);
    }
  }
  if (m === 0) return null;
  const slope = linearMedian(all.subarray(0, m).sort());
  const intercept = linearMedian(new Float64Array(y).sort()) - slope * linearMedian(new Float64Array(x).sort());
  return { slope, intercept, n: x.length, dropped };
}

/**
 * The median of sorted values as numpy's linear quantile (and simple-statistics' median) computes it: the middle
 * value, or lower + 0.5 x (upper - lower) for an even count. The slopes are O(n^2): a native sort of a typed array
 * instead of a quickselect over a copied array.
 */
function linearMedian(s: Float64Array): number {
  const idx = (s.length - 1) * 0.5;
  const lo = Math.floor(idx);
  return idx % 1 !== 0 ? s[lo] + (idx - lo) * (s[lo + 1] - s[lo]) : s[idx];
}
