// Student's t distribution: CDF and quantile, for seed-noise confidence intervals and Welch tests.
import { gammaln } from 'simple-statistics';

/** Continued-fraction convergence: stop when a factor is this close to 1 (double precision is ~1e-16). */
const CF_EPSILON = 1e-15;
/** Guard against a zero denominator in Lentz's method (Numerical Recipes' FPMIN). */
const CF_TINY = 1e-300;
/** The continued fraction converges in O(sqrt(max(a, b))) terms; 300 covers df up to ~1e5. */
const CF_MAX_TERMS = 300;

/** Continued fraction for the incomplete beta (modified Lentz, Numerical Recipes 6.4 `betacf`). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < CF_TINY) d = CF_TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= CF_MAX_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPSILON) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b). Cost: O(sqrt(max(a,b))) terms. NaN in -> NaN out.
 * Example: regularizedBeta(0.5, 2, 2) === 0.5.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  // The fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * P(T <= t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is).
 * Cost: one incomplete beta. NaN t or df <= 0 -> NaN; t = +-Infinity -> 1 / 0.
 * Example: studentTCdf(1, 1) === 0.75 (scipy.stats.t.cdf(1, 1)).
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Two-sided p-value P(|T| >= |t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** Bisection to 1e-12 relative width: ~80 steps, each one CDF evaluation. */
const QUANTILE_STEPS = 200;

/**
 * The t value with P(T <= t) = p (scipy.stats.t.ppf). Cost: ~100 CDF evaluations (bisection; robust for any df).
 * Example: studentTQuantile(0.975, 4) ~= 2.7764451051977934.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p && hi < 1e300) hi *= 2;
  for (let i = 0; i < QUANTILE_STEPS && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
