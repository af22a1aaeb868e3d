// The gradient-reversal coefficient schedule of tllib's WarmStartGradientReverseLayer, and when its warm-up ends.

export interface GrlSchedule {
  alpha: number;
  lo: number;
  hi: number;
  maxIters: number;
}

/** DomainAdversarialLoss / ConditionalDomainAdversarialLoss build their GRL with these (formats.md 3.2). */
export const TLLIB_DANN_GRL: GrlSchedule = { alpha: 1, lo: 0, hi: 1, maxIters: 1000 };

/**
 * lambda(i) = 2(hi-lo)/(1+exp(-alpha*i/maxIters)) - (hi-lo) + lo; with tllib's DANN defaults this is tanh(i/2000).
 *
 * Cost: O(1). NaN/Inf policy: a non-finite i gives a non-finite result.
 *
 * @example grlCoefficient(2000) // 0.7616 (tanh(1))
 */
export function grlCoefficient(i: number, s: GrlSchedule = TLLIB_DANN_GRL): number {
  const span = s.hi - s.lo;
  return (2 * span) / (1 + Math.exp((-s.alpha * i) / s.maxIters)) - span + s.lo;
}

/**
 * First iteration at which the coefficient has covered `fraction` of its way from lo to hi.
 * Solving (lambda - lo)/(hi - lo) = f for i gives i = 2 * maxIters * atanh(f) / alpha.
 * tllib defaults, f = 0.9: 2944 iterations (about 3 epochs of 1000 iterations).
 *
 * Cost: O(1). NaN/Inf policy: f outside (0, 1) returns Infinity (never / undefined).
 *
 * @example grlWarmupEnd(0.9) // 2944.4
 */
export function grlWarmupEnd(fraction = 0.9, s: GrlSchedule = TLLIB_DANN_GRL): number {
  if (!(fraction > 0 && fraction < 1) || !(s.alpha > 0) || !(s.maxIters > 0)) return Infinity;
  return (2 * s.maxIters * Math.atanh(fraction)) / s.alpha;
}
