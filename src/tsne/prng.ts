// Seeded pseudo-random numbers (mulberry32 + Box-Muller) so every embedding is reproducible from its seed.
import { mulberry32 } from '../math/rng.js';

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** standard normal */
  normal(): number;
  /** integer in [0, n) */
  int(n: number): number;
}

/**
 * The shared mulberry32 (src/math/rng.ts) with t-SNE's own seed scrambling (seed ^ 0x9e3779b9, so its stream differs
 * from the engine's for the same seed, as it always has), plus normals and integers.
 */
export function createRng(seed: number): Rng {
  const next = mulberry32((seed >>> 0) ^ 0x9e3779b9);
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { next, normal, int: (n: number) => Math.floor(next() * n) };
}
