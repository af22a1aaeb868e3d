// Seeded pseudo-random numbers for the evaluation engine, so every split, subsample and init is reproducible.

/** The shared generator (src/math/rng.ts), re-exported for the engine's modules. */
export { mulberry32 } from '../math/rng.js';

/** Fisher-Yates shuffle of a copy. O(n). */
export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

/** 0..n-1 */
export function range(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i); // a packed array of small integers, ~5x faster than Array.from with a callback
  return out;
}

/** Up to k of the indices 0..n-1, sorted, chosen uniformly without replacement. */
export function sampleIndices(n: number, k: number, rand: () => number): number[] {
  if (k >= n) return range(n);
  return shuffled(range(n), rand).slice(0, k).sort((a, b) => a - b);
}

/** PyTorch's default nn.Linear init: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weights and biases. */
export function torchLinearInit(count: number, fanIn: number, rand: () => number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (rand() * 2 - 1) * bound;
  return out;
}
