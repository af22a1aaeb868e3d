// Tests of the noise model (src/signals/noise.ts): trend, epoch-to-epoch noise, warm-up, peak-to-end drop, swing.
// Expected values worked out by hand in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noiseModel, noiseLevel, robustTrend, peakToEnd, swing } from '../../src/signals/noise.js';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('robustTrend: median-5 then Hanning, ends kept, a period-2 zig-zag smoothed towards its middle', () => {
  // median windows shrink at the ends: [83, 83, 83, 97, 83, 83, 83]; Hanning: 83/4 + 83/2 + 97/4 = 86.5, 83/4 + 97/2 + 83/4 = 90
  assert.deepEqual(robustTrend([83, 97, 83, 97, 83, 97, 83]), [83, 83, 86.5, 90, 86.5, 83, 83]);
  // non-finite values are skipped and get NaN
  const t = robustTrend([1, NaN, 2, 3]);
  assert.ok(Number.isNaN(t[1]));
  assert.equal(t[0], 1);
  assert.equal(t[3], 3);
});

test('noiseModel.sigma: MAD of first differences around their median / sqrt 2; a steady climb costs nothing', () => {
  // a straight line: every difference equals the median difference
  assert.equal(noiseModel([0, 2, 4, 6, 8, 10]).sigma, 0);
  // [0, 2, 0, 2, 0, 2, 0]: diffs +2 -2 +2 -2 +2 -2, median 0, |d| = 2 -> MAD 2 -> sigma = 1.4826 * 2 / sqrt 2
  close(noiseModel([0, 2, 0, 2, 0, 2, 0]).sigma, (1.4826 * 2) / Math.SQRT2);
  // one jump barely moves it: diffs 0,0,0,30,0,0,0 -> median 0, MAD 0
  assert.equal(noiseModel([50, 50, 50, 50, 80, 80, 80, 80]).sigma, 0);
  assert.ok(Number.isNaN(noiseModel([1, 2]).sigma));
});

test('noiseModel.warmupEnd: a monotone climb of several steps above twice the noise is the warm-up', () => {
  // diffs 11, 8, 11, 1, -1, 2, -1, 1, -1: median 1, |d - 1| median 2 -> sigma 2.1; steps above 4.2: the first three
  assert.equal(noiseModel([58, 69, 77, 88, 89, 88, 90, 89, 90, 89]).warmupEnd, 3);
  // a single first move is not a warm-up
  assert.equal(noiseModel([40, 70, 71, 70, 72, 71, 70]).warmupEnd, 0);
  // falling domain accuracy warms up too
  assert.equal(noiseModel([90, 80, 68, 58, 57, 58, 56, 57]).warmupEnd, 3);
});

test('noiseLevel: the sigma and warm-up of noiseModel, non-finite values skipped', () => {
  // diffs over the finite values 58, 69, 77, 88, 89, 88, 90, 89, 90: 11, 8, 11, 1, -1, 2, -1, 1; median (1 + 2) / 2 =
  // 1.5, |d - 1.5| = 9.5, 6.5, 9.5, 0.5, 2.5, 0.5, 2.5, 0.5 -> median 2.5 -> sigma 1.4826 * 2.5 / sqrt 2 = 2.62; three
  // steps above 2 sigma (5.24): the warm-up ends at the fourth finite value, input index 4 (the NaN at 2 is skipped)
  const v = [58, 69, NaN, 77, 88, 89, 88, 90, 89, 90];
  const l = noiseLevel(v);
  close(l.sigma, (1.4826 * 2.5) / Math.SQRT2);
  assert.equal(l.warmupEnd, 4);
  assert.equal(l.finite, 9);
  const m = noiseModel(v);
  assert.equal(m.sigma, l.sigma);
  assert.equal(m.warmupEnd, l.warmupEnd);
});

test('peakToEnd: a first-epoch peak counts; the end is the median of the last values', () => {
  const v = [29.5, 12, 9, 15, 8, 13, 11, 14, 10, 12];
  const p = peakToEnd(v)!;
  assert.equal(p.peakIndex, 0);
  assert.equal(p.peakLevel, 29.5);
  assert.equal(p.endLevel, 12); // median(14, 10, 12)
  assert.equal(p.endCount, 3);
  close(p.drop, 17.5);
  assert.ok(p.z > 2.5, `z ${p.z}`);
  // one lucky value in the middle is smoothed away: the peak level stays near the plateau
  const q = peakToEnd([70, 71, 70, 90, 70, 71, 70, 71, 70])!;
  assert.equal(q.bestIndex, 3);
  assert.ok(q.peakLevel < 76, `peak ${q.peakLevel}`);
  assert.equal(peakToEnd([1, 2]), null);
});

test('peakToEnd: a curve still climbing ends at its peak, not below it (values before the peak do not count)', () => {
  // healthy's first five val/acc1 lines read by hand (lines 23, 32, 41, 50, 59): a run in progress, its last epoch its
  // best. The trend keeps the raw last value (72.889), so the peak is the last epoch; the median of the last three
  // (67.556) lies before the peak and used to read as a 5.3-point drop.
  const v = [48.889, 59.556, 63.111, 67.556, 72.889];
  const p = peakToEnd(v)!;
  assert.equal(p.peakIndex, 4);
  assert.equal(p.endLevel, 72.889);
  assert.equal(p.endCount, 1);
  assert.equal(p.endFrom, 4);
  close(p.drop, 0);
  // a peak inside the end window that is then lost: only the values from the peak on make the end level
  const q = peakToEnd([50, 50, 51, 50, 51, 50, 51, 90, 60, 58])!;
  assert.ok(q.peakIndex >= 7 && q.peakIndex <= 8, `peak at ${q.peakIndex}`);
  assert.ok(q.endLevel < 62, `end ${q.endLevel}`);
});

test('swing: a zig-zag reverses every step and dwarfs its trend; a staircase climb does not', () => {
  const zz = [83, 97, 84, 96, 85, 97, 83, 96, 84, 97];
  const s = swing(zz)!;
  assert.equal(s.reversalRate, 1);
  assert.ok(s.medianSwing >= 12);
  assert.ok(s.amplitude > 2 * s.trendStep, `${s.amplitude} vs ${s.trendStep}`);
  const st = swing([20, 35, 31, 46, 42, 57, 53, 68, 64, 79])!;
  assert.equal(st.reversalRate, 1);
  assert.ok(st.amplitude < 2 * st.trendStep, `${st.amplitude} vs ${st.trendStep}`);
});

// ---- The fast implementation against the definitions, written plainly (sorted copies, one pass per quantity) ----

function refMedian(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function refTrend(values: number[]): number[] {
  const idx = values.map((v, i) => (Number.isFinite(v) ? i : -1)).filter((i) => i >= 0);
  const fin = idx.map((i) => values[i]);
  const h = fin.length >= 7 ? 2 : 1;
  const med = fin.map((_, i) => {
    const r = Math.min(h, i, fin.length - 1 - i);
    return refMedian(fin.slice(i - r, i + r + 1));
  });
  const smooth = med.map((x, i) => (i === 0 || i === med.length - 1 ? x : med[i - 1] / 4 + x / 2 + med[i + 1] / 4));
  const out = values.map(() => NaN);
  idx.forEach((i, k) => (out[i] = smooth[k]));
  return out;
}

/** Seeded curves: a climb, a plateau with ties, zig-zags, NaN/Inf holes (mulberry32). */
function curves(): number[][] {
  let a = 12345;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: number[][] = [];
  for (let c = 0; c < 120; c++) {
    const n = 3 + Math.floor(rnd() * 60);
    out.push(Array.from({ length: n }, (_, i) => {
      const u = rnd();
      if (c % 4 === 1 && u < 0.08) return u < 0.04 ? NaN : Infinity;
      const base = 40 + Math.min(i, 6) * 7 + (c % 3 === 0 ? (i % 2 ? 9 : -9) : 0);
      return c % 5 === 2 ? Math.round(base + rnd() * 4) : base + rnd() * 6;
    }));
  }
  return out;
}

test('noiseModel, peakToEnd and swing give exactly the numbers of their plain definitions (120 seeded curves)', () => {
  for (const v of curves()) {
    const m = noiseModel(v);
    const trend = refTrend(v);
    assert.deepEqual(m.trend, trend);
    const fin = v.filter((x) => Number.isFinite(x));
    const diffs = fin.slice(1).map((x, i) => x - fin[i]);
    const md = refMedian(diffs);
    const sigma = fin.length >= 3 ? (1.4826 * refMedian(diffs.map((d) => Math.abs(d - md)))) / Math.SQRT2 : NaN;
    assert.ok(Object.is(m.sigma, sigma), `sigma ${m.sigma} != ${sigma} for ${v}`);
    const residual = v.map((x, i) => (Number.isFinite(x) ? x - trend[i] : NaN));
    assert.deepEqual(m.residual, residual);
    const interior = residual.filter((r) => Number.isFinite(r)).slice(1, -1).map(Math.abs);
    assert.ok(Object.is(m.residualSigma, interior.length ? 1.4826 * refMedian(interior) : NaN));
    const p = peakToEnd(v, m);
    if (p) {
      const tail = v.map((x, i) => (Number.isFinite(x) ? i : -1)).filter((i) => i >= 0).slice(fin.length >= 20 ? -5 : -3).filter((i) => i >= p.peakIndex);
      assert.equal(p.endLevel, refMedian(tail.map((i) => v[i])));
      assert.equal(p.endCount, tail.length);
    }
    const s = swing(v, m, m.warmupEnd);
    if (s) {
      const idx = v.map((x, i) => (i >= m.warmupEnd && Number.isFinite(x) ? i : -1)).filter((i) => i >= 0);
      const d = idx.slice(1).map((i, k) => v[i] - v[idx[k]]);
      const signs = d.filter((x) => x !== 0).map(Math.sign);
      const rev = signs.slice(1).filter((x, k) => x !== signs[k]).length;
      assert.equal(s.medianSwing, refMedian(d.map(Math.abs)));
      assert.equal(s.trendStep, refMedian(idx.slice(1).map((i, k) => Math.abs(m.trend[i] - m.trend[idx[k]]))));
      assert.equal(s.reversalRate, signs.length > 1 ? rev / (signs.length - 1) : 0);
      const inner = idx.slice(1, -1).map((i) => Math.abs(m.residual[i]));
      assert.equal(s.amplitude, inner.length ? 1.4826 * refMedian(inner) : 0);
      assert.equal(s.steps, d.length);
    }
  }
});
