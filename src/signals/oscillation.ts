// Epoch-to-epoch swing of a curve: how far and how often it reverses direction.

export interface Oscillation {
  /** number of consecutive differences used (n - 1) */
  steps: number;
  /** mean |v[i+1] - v[i]| */
  meanAbsSwing: number;
  /** median |v[i+1] - v[i]| (robust to one spike) */
  medianAbsSwing: number;
  maxAbsSwing: number;
  /** index i of the largest swing (between v[i] and v[i+1]) */
  maxSwingAt: number;
  /** fraction of consecutive non-zero differences that change sign (1 = zig-zag every epoch, 0 = monotone) */
  reversalRate: number;
  /** mean |diff| / |net change over the whole sequence|; Infinity when the ends are equal (pure back-and-forth) */
  pathToNet: number;
}

/**
 * Swing statistics of a sequence, typically per-epoch means.
 * Returns null for fewer than 3 values (no reversal can be seen).
 *
 * Cost: O(n log n) (median).
 * NaN/Inf policy: returns null if any value is non-finite (a NaN swing is a divergence, not an oscillation).
 *
 * @example oscillation([50, 70, 50, 70]) // meanAbsSwing 20, reversalRate 1
 */
export function oscillation(values: readonly number[]): Oscillation | null {
  if (values.length < 3) return null;
  if (values.some((v) => !Number.isFinite(v))) return null;
  const diffs: number[] = [];
  for (let i = 0; i + 1 < values.length; i++) diffs.push(values[i + 1] - values[i]);
  const abs = diffs.map(Math.abs);
  const sorted = [...abs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianAbsSwing = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  let maxAbsSwing = -1;
  let maxSwingAt = 0;
  abs.forEach((a, i) => {
    if (a > maxAbsSwing) {
      maxAbsSwing = a;
      maxSwingAt = i;
    }
  });
  const signs = diffs.filter((d) => d !== 0).map(Math.sign);
  let reversals = 0;
  for (let i = 0; i + 1 < signs.length; i++) if (signs[i] !== signs[i + 1]) reversals++;
  const reversalRate = signs.length > 1 ? reversals / (signs.length - 1) : 0;
  const meanAbsSwing = abs.reduce((a, b) => a + b, 0) / abs.length;
  const net = Math.abs(values[values.length - 1] - values[0]);
  const pathToNet = net === 0 ? Infinity : (meanAbsSwing * abs.length) / net;
  return { steps: diffs.length, meanAbsSwing, medianAbsSwing, maxAbsSwing, maxSwingAt, reversalRate, pathToNet };
}
