// Parity measure for rebuilt networks: the largest |a - b| relative to the reference's scale. Per element relative
// error is meaningless for values near zero, so the scale is max(|b_i|, the reference's RMS).
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let ss = 0;
  for (let i = 0; i < b.length; i++) ss += b[i]! * b[i]!;
  const rms = Math.sqrt(ss / Math.max(1, b.length));
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), rms, 1e-12);
    if (!(d <= worst)) worst = d; // NaN propagates as a failure
  }
  return worst;
}
