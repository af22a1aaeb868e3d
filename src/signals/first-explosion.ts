// Where a loss curve blows up: the first value far above the level it started at (or the first NaN/Inf).

export interface Explosion {
  index: number;
  value: number;
  /** the starting level the blow-up is measured against */
  reference: number;
  /** value / reference (Infinity for non-finite values) */
  ratio: number;
  kind: 'non-finite' | 'exploded';
}

/**
 * First index whose value is non-finite or at least `factor` times the reference level, where the reference is
 * the median of the first `head` finite values, floored at `floor` (losses that start near 0 would otherwise make
 * any wobble look like an explosion).
 *
 * Cost: O(n + head log head).
 * NaN/Inf policy: a non-finite value IS a blow-up and is reported as kind 'non-finite'.
 *
 * @example firstExplosion([3.0, 2.9, 1.4e6, 2.0], { factor: 100 }) // { index: 2, kind: 'exploded', ratio: ~4.8e5 ... }
 */
export function firstExplosion(
  values: readonly number[],
  opts: { factor: number; head?: number; floor?: number },
): Explosion | null {
  const head = Math.max(1, opts.head ?? 1);
  const firstFinite = values.filter((v) => Number.isFinite(v)).slice(0, head).sort((a, b) => a - b);
  const mid = firstFinite.length >> 1;
  const med = firstFinite.length === 0 ? 0 : firstFinite.length % 2 ? firstFinite[mid] : (firstFinite[mid - 1] + firstFinite[mid]) / 2;
  const reference = Math.max(Math.abs(med), opts.floor ?? 0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) return { index: i, value: v, reference, ratio: Infinity, kind: 'non-finite' };
    if (reference > 0 && Math.abs(v) >= opts.factor * reference) {
      return { index: i, value: v, reference, ratio: Math.abs(v) / reference, kind: 'exploded' };
    }
  }
  return null;
}
