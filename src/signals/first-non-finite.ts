// First NaN/Inf in a sequence of metric points: in a training log the first bad step is the symptom to report.
import type { Point } from '../model/types.js';

export interface NonFiniteHit {
  index: number;
  point: Point;
  /** how many non-finite values the whole sequence holds */
  count: number;
}

/**
 * The first point whose `value` (or running average `avg`, when present) is NaN or +-Inf, with the total count.
 *
 * Cost: O(n) time, O(1) memory.
 * NaN/Inf policy: this function exists to find them; nothing is skipped.
 *
 * @example firstNonFinite([{ step: 0, value: 1 }, { step: 100, value: NaN }]) // { index: 1, point: {step: 100 ...}, count: 1 }
 */
export function firstNonFinite(points: readonly Point[]): NonFiniteHit | null {
  let first = -1;
  let count = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const bad = !Number.isFinite(p.value) || (p.avg !== undefined && !Number.isFinite(p.avg));
    if (bad) {
      count++;
      if (first < 0) first = i;
    }
  }
  return first < 0 ? null : { index: first, point: points[first], count };
}
