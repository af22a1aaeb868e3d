// Seed-noise statistics: mean with a t-based confidence interval, Welch's t-test, and a verdict on a difference.
import { mean, sampleVariance } from 'simple-statistics';
import { studentTQuantile, studentTTwoSidedP } from './student-t.js';

/** Conventional 95% intervals and a 5% two-sided test: what papers report for "mean +- CI over seeds". */
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_ALPHA = 0.05;

export interface MeanInterval {
  n: number;
  mean: number;
  /** sample standard deviation (ddof=1); NaN when n < 2 */
  sd: number;
  /** confidence interval of the mean; [mean, mean] cannot be claimed from one seed, so NaN bounds when n < 2 */
  low: number;
  high: number;
  confidence: number;
}

/**
 * Mean and confidence interval of the mean from a t-distribution with n-1 degrees of freedom.
 * Cost O(n). Non-finite values are excluded by the caller (a NaN accuracy means "no number", not a seed result).
 * Example: meanInterval([85.8, 84.9, 86.3]) -> mean 85.667, [83.904, 87.429] (scipy t.ppf(.975, 2) * sd/sqrt(3)).
 */
export function meanInterval(values: number[], confidence = DEFAULT_CONFIDENCE): MeanInterval {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, low: NaN, high: NaN, confidence };
  const m = mean(values);
  if (n < 2) return { n, mean: m, sd: NaN, low: NaN, high: NaN, confidence };
  const sd = Math.sqrt(sampleVariance(values));
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean: m, sd, low: m - half, high: m + half, confidence };
}

export interface DifferenceTest {
  /** mean(a) - mean(b) (or mean(a) - reference) */
  diff: number;
  t: number;
  df: number;
  p: number;
  /** confidence interval of diff */
  low: number;
  high: number;
  method: 'welch' | 'one-sample' | 'zero-variance' | 'none';
  /** why no test could be made, or what was degenerate */
  note?: string;
}

function noTest(diff: number, note: string): DifferenceTest {
  return { diff, t: NaN, df: NaN, p: NaN, low: NaN, high: NaN, method: 'none', note };
}

/**
 * Welch's unequal-variance t-test of mean(a) vs mean(b), two-sided (scipy.stats.ttest_ind(a, b, equal_var=False)).
 * With one side a single run, falls back to a one-sample test of the other side against that value (its seed
 * noise is then the only noise known). Cost O(n).
 */
export function welchTest(a: number[], b: number[], confidence = DEFAULT_CONFIDENCE): DifferenceTest {
  if (a.length === 0 || b.length === 0) return noTest(NaN, 'a group has no finite value');
  const diff = mean(a) - mean(b);
  if (a.length < 2 && b.length < 2) return noTest(diff, 'one run on each side: seed noise cannot be estimated (run >= 2 seeds)');
  if (b.length < 2) return oneSampleTest(a, b[0], confidence);
  if (a.length < 2) {
    const r = oneSampleTest(b, a[0], confidence);
    return { ...r, diff: -r.diff, t: -r.t, low: -r.high, high: -r.low };
  }
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const se2 = va + vb;
  if (se2 === 0) return zeroVariance(diff);
  const se = Math.sqrt(se2);
  const t = diff / se;
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  return { diff, t, df, p: studentTTwoSidedP(t, df), low: diff - half, high: diff + half, method: 'welch' };
}

/** One-sample t-test of mean(values) against `reference` (scipy.stats.ttest_1samp). */
export function oneSampleTest(values: number[], reference: number, confidence = DEFAULT_CONFIDENCE): DifferenceTest {
  if (values.length < 2) return noTest(values.length ? values[0] - reference : NaN, 'one run: seed noise cannot be estimated');
  const diff = mean(values) - reference;
  const se = Math.sqrt(sampleVariance(values) / values.length);
  if (se === 0) return zeroVariance(diff);
  const df = values.length - 1;
  const t = diff / se;
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  return { diff, t, df, p: studentTTwoSidedP(t, df), low: diff - half, high: diff + half, method: 'one-sample' };
}

/** Every seed gave exactly the same number (e.g. all diverged to chance): any difference is not seed noise. */
function zeroVariance(diff: number): DifferenceTest {
  return {
    diff, t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: NaN, p: diff === 0 ? 1 : 0, low: diff, high: diff,
    method: 'zero-variance', note: 'no spread across seeds',
  };
}

export type NoiseVerdict = 'better' | 'worse' | 'within-noise' | 'unknown';

/** 'better'/'worse' when p < alpha (difference outside seed noise), 'within-noise' otherwise, 'unknown' without a test. */
export function noiseVerdict(test: DifferenceTest, alpha = DEFAULT_ALPHA): NoiseVerdict {
  if (test.method === 'none' || Number.isNaN(test.p)) return 'unknown';
  if (test.p >= alpha) return 'within-noise';
  return test.diff > 0 ? 'better' : 'worse';
}
