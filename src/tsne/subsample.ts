// Stratified subsampling: keeps every (domain, class) group's share when a feature dump exceeds the t-SNE cap.
import { createRng } from './prng.js';

/** Default cap on embedded points: 5,000 keeps t-SNE (O(n^2) kNN + O(n log n) per iteration) to seconds. */
export const DEFAULT_TSNE_CAP = 5000;

/**
 * Picks at most `cap` of the items, each stratum (e.g. domain x class) keeping its share of the total
 * (largest-remainder rounding; every non-empty stratum keeps at least one item when cap allows). Seeded, and the
 * result is sorted, so the same input and seed give the same rows. Returns all indices when n <= cap. O(n).
 */
export function stratifiedSubsample(strata: ArrayLike<number>, cap: number, seed: number): Int32Array {
  const n = strata.length;
  if (n <= cap) return Int32Array.from({ length: n }, (_, i) => i);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(strata[i]);
    if (g) g.push(i);
    else groups.set(strata[i], [i]);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const exact = keys.map((key) => (groups.get(key)!.length * cap) / n);
  const quota = exact.map((e) => Math.floor(e));
  // at least one per stratum when the cap allows, taken from the largest quotas
  if (cap >= keys.length) {
    for (let s = 0; s < keys.length; s++) {
      if (quota[s] > 0) continue;
      quota[s] = 1;
      let big = 0;
      for (let t = 1; t < keys.length; t++) if (quota[t] > quota[big]) big = t;
      if (quota[big] > 1) quota[big]--;
    }
  }
  let left = cap - quota.reduce((a, b) => a + b, 0);
  const byRemainder = keys.map((_, s) => s).sort((a, b) => exact[b] - quota[b] - (exact[a] - quota[a]) || a - b);
  for (const s of byRemainder) {
    if (left <= 0) break;
    if (quota[s] < groups.get(keys[s])!.length) {
      quota[s]++;
      left--;
    }
  }
  const rng = createRng(seed);
  const out: number[] = [];
  keys.forEach((key, s) => {
    const g = groups.get(key)!.slice();
    // partial Fisher-Yates: the first quota[s] entries become a uniform sample
    for (let a = 0; a < quota[s]; a++) {
      const b = a + rng.int(g.length - a);
      [g[a], g[b]] = [g[b], g[a]];
      out.push(g[a]);
    }
  });
  return Int32Array.from(out.sort((a, b) => a - b));
}
