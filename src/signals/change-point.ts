// Two-segment mean-shift change point: where a sequence jumps from one level to another, and how cleanly.

export interface ChangePoint {
  /** index of the first value of the second segment */
  index: number;
  meanBefore: number;
  meanAfter: number;
  /** meanAfter - meanBefore */
  shift: number;
  /** pooled within-segment standard deviation (population form) */
  pooledSd: number;
  /** |shift| / pooledSd; Infinity when both segments are flat */
  score: number;
}

/**
 * Best single split of `values` into two segments of at least `minSegment` values each, chosen to minimise the
 * total within-segment sum of squares (equivalently, maximise the between-segment sum of squares, the
 * least-squares / binary-segmentation change point). Returns null when the sequence is shorter than 2*minSegment.
 *
 * Cost: O(n) time and memory (prefix sums).
 * NaN/Inf policy: returns null if any value is non-finite. A NaN is a symptom in its own right (see
 * `firstNonFinite`), and a mean across it would be meaningless.
 *
 * Checked against a brute-force numpy search (test/signals/change-point.test.ts has the command).
 *
 * @example changePoint([1, 1, 1, 5, 5, 5], 2) // { index: 3, meanBefore: 1, meanAfter: 5, shift: 4, pooledSd: 0, score: Infinity }
 */
export function changePoint(values: readonly number[], minSegment = 2): ChangePoint | null {
  const n = values.length;
  const m = Math.max(1, Math.floor(minSegment));
  if (n < 2 * m) return null;
  const s = new Float64Array(n + 1);
  const q = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) return null;
    s[i + 1] = s[i] + v;
    q[i + 1] = q[i] + v * v;
  }
  const sse = (a: number, b: number): number => {
    // sum of squared deviations of values[a..b) around their mean
    const len = b - a;
    const sum = s[b] - s[a];
    return Math.max(0, q[b] - q[a] - (sum * sum) / len);
  };
  let bestK = -1;
  let bestCost = Infinity;
  for (let k = m; k <= n - m; k++) {
    const cost = sse(0, k) + sse(k, n);
    if (bestK < 0 || cost < bestCost - 1e-12 * Math.max(1, bestCost)) {
      bestCost = cost;
      bestK = k;
    }
  }
  const meanBefore = s[bestK] / bestK;
  const meanAfter = (s[n] - s[bestK]) / (n - bestK);
  const shift = meanAfter - meanBefore;
  const pooledSd = Math.sqrt(bestCost / n);
  const score = pooledSd === 0 ? (shift === 0 ? 0 : Infinity) : Math.abs(shift) / pooledSd;
  return { index: bestK, meanBefore, meanAfter, shift, pooledSd, score };
}
