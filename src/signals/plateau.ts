// Plateaus: the longest stretch whose values stay inside a band, and the trailing stretch a curve settled into.

export interface Plateau {
  start: number;
  /** inclusive */
  end: number;
  length: number;
  mean: number;
  min: number;
  max: number;
}

function summarise(values: readonly number[], start: number, end: number): Plateau {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i <= end; i++) {
    sum += values[i];
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return { start, end, length: end - start + 1, mean: sum / (end - start + 1), min, max };
}

/**
 * The longest stretch of consecutive values whose range (max - min) is at most `tolerance`, if it has at least
 * `minLength` values. Ties keep the earliest stretch.
 *
 * Cost: O(n) time and memory (sliding window with monotonic deques).
 * NaN/Inf policy: a non-finite value cannot belong to a plateau; it ends the window.
 *
 * @example plateau([80, 60, 55, 56, 54, 55], 3, 3) // { start: 2, end: 5, length: 4, mean: 55, min: 54, max: 56 }
 */
export function plateau(values: readonly number[], tolerance: number, minLength = 2): Plateau | null {
  const maxQ: number[] = [];
  const minQ: number[] = [];
  let left = 0;
  let bestStart = -1;
  let bestLen = 0;
  for (let right = 0; right < values.length; right++) {
    const v = values[right];
    if (!Number.isFinite(v)) {
      maxQ.length = 0;
      minQ.length = 0;
      left = right + 1;
      continue;
    }
    while (maxQ.length && values[maxQ[maxQ.length - 1]] <= v) maxQ.pop();
    maxQ.push(right);
    while (minQ.length && values[minQ[minQ.length - 1]] >= v) minQ.pop();
    minQ.push(right);
    while (values[maxQ[0]] - values[minQ[0]] > tolerance) {
      left++;
      if (maxQ[0] < left) maxQ.shift();
      if (minQ[0] < left) minQ.shift();
    }
    const len = right - left + 1;
    if (len > bestLen) {
      bestLen = len;
      bestStart = left;
    }
  }
  if (bestLen < minLength || bestStart < 0) return null;
  return summarise(values, bestStart, bestStart + bestLen - 1);
}

/**
 * The trailing stretch (ending at the last value) whose range is at most `tolerance`: where a curve settled.
 * Null when the last value is non-finite or the stretch is shorter than `minLength`.
 *
 * Cost: O(n). NaN/Inf policy: a non-finite value stops the stretch.
 *
 * @example trailingPlateau([81, 67, 59, 58, 58, 57], 2.5, 2) // { start: 2, end: 5, length: 4, mean: 58, ... }
 */
export function trailingPlateau(values: readonly number[], tolerance: number, minLength = 2): Plateau | null {
  const n = values.length;
  if (n === 0 || !Number.isFinite(values[n - 1])) return null;
  let min = values[n - 1];
  let max = values[n - 1];
  let start = n - 1;
  for (let i = n - 2; i >= 0; i--) {
    const v = values[i];
    if (!Number.isFinite(v)) break;
    const lo = Math.min(min, v);
    const hi = Math.max(max, v);
    if (hi - lo > tolerance) break;
    min = lo;
    max = hi;
    start = i;
  }
  if (n - start < minLength) return null;
  return summarise(values, start, n - 1);
}
