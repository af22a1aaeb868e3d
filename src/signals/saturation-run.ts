// Longest stretch of consecutive values on one side of a level (e.g. domain accuracy pinned above 90%).

export interface Stretch {
  /** index of the first value in the stretch */
  start: number;
  /** index of the last value in the stretch (inclusive) */
  end: number;
  length: number;
}

/**
 * The longest run of consecutive values `>= level` (side 'above') or `<= level` (side 'below').
 * Ties keep the earliest stretch.
 *
 * Cost: O(n) time, O(1) memory.
 * NaN/Inf policy: a non-finite value is on neither side and breaks the stretch (a NaN domain accuracy is not
 * "saturated"; callers report non-finite values with `firstNonFinite`). +Inf counts as above, -Inf as below.
 *
 * @example saturationRun([50, 95, 97, 60, 99], 90, 'above') // { start: 1, end: 2, length: 2 }
 */
export function saturationRun(values: readonly number[], level: number, side: 'above' | 'below'): Stretch | null {
  let best: Stretch | null = null;
  let start = -1;
  for (let i = 0; i <= values.length; i++) {
    const v = i < values.length ? values[i] : NaN;
    const inside = !Number.isNaN(v) && (side === 'above' ? v >= level : v <= level);
    if (inside) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const length = i - start;
      if (!best || length > best.length) best = { start, end: i - 1, length };
      start = -1;
    }
  }
  return best;
}
