// The one seeded uniform generator: evaluation (splits, subsamples, weight init) and t-SNE (initialisation, sampling)
// both draw from it, so "the same seed gives the same numbers" has one meaning everywhere.

/**
 * mulberry32: a 32-bit state generator, uniform in [0, 1). Plenty for shuffles, sampling and weight init; not crypto.
 * Same seed, same sequence on every platform (integer maths only).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
