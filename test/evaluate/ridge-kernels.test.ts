// The kernels behind the ridge domain probe (src/math/ridge.ts: standardisation, Gram, Cholesky, solves, scores): the
// WebAssembly SIMD kernels and their plain-JS twins must give the same bits (the probe's numbers may not depend on
// which one ran), and both must be the sums of the textbook loops the probe had before them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readNpz } from '../../src/ingest/npy/index.js';
import { domainArrays } from '../../src/evaluate/dump-arrays.js';
import { gramStride, gramUpper, gramWasmAvailable, ridgeSystem, standardisedRidge, type GramEngine, type RidgeSolver } from '../../src/math/ridge.js';
import { mulberry32 } from '../../src/math/rng.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** rows x cols float32-valued doubles in the kernels' padded layout. */
function randomRows(rows: number, cols: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const stride = gramStride(cols);
  const x = new Float64Array(rows * stride);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[i * stride + j] = Math.fround(r() * 4 - 2);
  return x;
}

/** G[i][j] in the documented order: blocks of four rows summed left to right and added to the running sum, then single rows. */
function gramReference(x: Float64Array, rows: number, d: number, stride: number): Float64Array {
  const g = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) {
    let s = 0;
    let r = 0;
    for (; r + 3 < rows; r += 4) {
      const v = (k: number) => x[(r + k) * stride + i]! * x[(r + k) * stride + j]!;
      s += v(0) + v(1) + v(2) + v(3);
    }
    for (; r < rows; r++) s += x[r * stride + i]! * x[r * stride + j]!;
    g[i * d + j] = s;
  }
  return g;
}

/** Lower-triangular Cholesky of the textbook (column by column, sums over k ascending) on a full symmetric matrix. */
function choleskyReference(a: Float64Array, d: number): Float64Array {
  const g = Float64Array.from(a);
  for (let j = 0; j < d; j++) {
    let s = g[j * d + j]!;
    for (let k = 0; k < j; k++) s -= g[j * d + k]! * g[j * d + k]!;
    const l = Math.sqrt(Math.max(s, 1e-12));
    g[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let t = g[i * d + j]!;
      for (let k = 0; k < j; k++) t -= g[i * d + k]! * g[j * d + k]!;
      g[i * d + j] = t / l;
    }
  }
  return g;
}

const upper = (m: Float64Array, d: number) => Array.from({ length: d * d }, (_, k) => (k % d >= Math.floor(k / d) ? m[k]! : 0));

// shapes with every remainder of rows % 4, odd and even widths, one column, and the probe's 314 x 128
const SHAPES: [number, number][] = [[1, 1], [2, 3], [5, 2], [7, 5], [8, 8], [33, 17], [50, 9], [314, 128], [101, 131]];

test('WebAssembly SIMD loads on Node 20+ (else the probe silently runs ~8x slower)', () => {
  assert.equal(gramWasmAvailable(), true);
});

test('Gram: wasm and JS give the bits of the reference order on every shape', () => {
  for (const [rows, d] of SHAPES) {
    const x = randomRows(rows, d, rows * 1000 + d);
    const ref = upper(gramReference(x, rows, d, gramStride(d)), d);
    assert.deepEqual(upper(gramUpper(x, rows, d, gramStride(d), 'js'), d), ref, `js ${rows} x ${d}`);
    assert.deepEqual(upper(gramUpper(x, rows, d, gramStride(d), 'wasm'), d), ref, `wasm ${rows} x ${d}`);
  }
});

/** The ridge solve of the textbook, in the order the probe's loops had: X'y in blocks of four rows, L column by column, L z = X'y, L'w = z. */
function ridgeReference(x: Float64Array, y: Float64Array, rows: number, d: number, stride: number, lambda: number): Float64Array {
  const g = gramReference(x, rows, d, stride);
  const rhs = new Float64Array(d);
  let r = 0;
  for (; r + 3 < rows; r += 4) for (let i = 0; i < d; i++) rhs[i]! += x[r * stride + i]! * y[r]! + x[(r + 1) * stride + i]! * y[r + 1]! + x[(r + 2) * stride + i]! * y[r + 2]! + x[(r + 3) * stride + i]! * y[r + 3]!;
  for (; r < rows; r++) for (let i = 0; i < d; i++) rhs[i]! += x[r * stride + i]! * y[r]!;
  const full = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) full[i * d + j] = full[j * d + i] = g[i * d + j]! + (i === j ? lambda : 0);
  const l = choleskyReference(full, d);
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) { let s = rhs[i]!; for (let k = 0; k < i; k++) s -= l[i * d + k]! * z[k]!; z[i] = s / l[i * d + i]!; }
  const w = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) { let s = z[i]!; for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * w[k]!; w[i] = s / l[i * d + i]!; }
  return w;
}

/** w from ridgeSystem for features x (rows x gramStride(d)) and labels y. */
function ridgeOf(x: Float64Array, y: Float64Array, rows: number, d: number, lambda: number, engine: GramEngine): Float64Array {
  const sys = ridgeSystem(rows, d, engine);
  const st = gramStride(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) sys.x[r * sys.stride + j] = x[r * st + j]!;
    sys.x[r * sys.stride + d] = y[r]!;
  }
  return sys.solve(lambda);
}

test('ridge solve: wasm and JS give the bits of the textbook loops, and w solves (X\'X + lambda I) w = X\'y', () => {
  for (const [rows, d] of SHAPES) {
    const stride = gramStride(d);
    const x = randomRows(rows, d, rows + d);
    const y = Float64Array.from({ length: rows }, (_, r) => (r % 3 === 0 ? 1 : -1));
    const lambda = 0.01 * rows;
    const ref = ridgeReference(x, y, rows, d, stride, lambda);
    const js = ridgeOf(x, y, rows, d, lambda, 'js');
    assert.deepEqual([...js], [...ref], `js ${rows} x ${d}`);
    // twice on wasm: the second reuses the kernel's memory, which must start from zeros again
    assert.deepEqual([...ridgeOf(x, y, rows, d, lambda, 'wasm')], [...ref], `wasm ${rows} x ${d}`);
    assert.deepEqual([...ridgeOf(x, y, rows, d, lambda, 'wasm')], [...ref], `wasm again ${rows} x ${d}`);
    // a solution, not just three codes agreeing
    const g = gramReference(x, rows, d, stride);
    let worst = 0;
    for (let i = 0; i < d; i++) {
      let lhs = lambda * js[i]!;
      for (let j = 0; j < d; j++) lhs += (i <= j ? g[i * d + j]! : g[j * d + i]!) * js[j]!;
      let rhs = 0;
      for (let r = 0; r < rows; r++) rhs += x[r * stride + i]! * y[r]!;
      worst = Math.max(worst, Math.abs(lhs - rhs) / (Math.abs(rhs) + lambda));
    }
    assert.ok(worst < 1e-9, `residual ${worst} for ${rows} x ${d}`);
  }
});

test('on a real dump (fixtures/runs/healthy: 225 x 128 per domain, standardised as the probe does) wasm == JS', async () => {
  const arrays = await readNpz(resolve(ROOT, 'fixtures/runs/healthy/features.npz'));
  const src = domainArrays(arrays, 'source').features!;
  const tgt = domainArrays(arrays, 'target').features!;
  assert.deepEqual([src.rows, src.cols, tgt.rows], [225, 128, 225]);
  const rows = src.rows + tgt.rows, d = src.cols, stride = gramStride(d);
  const x = new Float64Array(rows * stride);
  const mean = new Float64Array(d);
  const value = (r: number, j: number) => (r < src.rows ? src.data[r * d + j]! : tgt.data[(r - src.rows) * d + j]!);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) mean[j]! += value(r, j) / rows;
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) x[r * stride + j] = Math.fround(value(r, j) - mean[j]!);
  const gj = gramUpper(x, rows, d, stride, 'js');
  const gw = gramUpper(x, rows, d, stride, 'wasm');
  const y = Float64Array.from({ length: rows }, (_, r) => (r < src.rows ? 1 : -1));
  const wj = ridgeOf(x, y, rows, d, 0.01 * rows, 'js');
  const ww = ridgeOf(x, y, rows, d, 0.01 * rows, 'wasm');
  let worst = 0;
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) worst = Math.max(worst, Math.abs(gj[i * d + j]! - gw[i * d + j]!) / Math.abs(gj[i * d + j]! || 1));
  for (let i = 0; i < d; i++) worst = Math.max(worst, Math.abs(wj[i]! - ww[i]!) / Math.abs(wj[i]! || 1));
  assert.ok(worst <= 1e-12, `worst relative difference ${worst}`);
  assert.equal(worst, 0, 'same sums in the same order: the same bits');
  assert.ok(gj[0]! > 0 && wj.some((v) => v !== 0));
});

/** Scores from standardisedRidge for float32 rows (train, test) with labels y, on one engine. */
function fitScores(train: Float32Array, y: Float64Array, test: Float32Array, cols: number, solver: RidgeSolver, engine: GramEngine): number[] {
  const rows = y.length;
  const fit = standardisedRidge(rows, test.length / cols, cols, solver, engine);
  fit.train.set(train);
  fit.y.set(y);
  fit.test.set(test);
  return [...fit.fit(0.01 * rows)];
}

/** The probe's standardisation and scoring as the plain loops had them, around the textbook ridge solve. */
function standardisedReference(train: Float32Array, y: Float64Array, test: Float32Array, d: number): number[] {
  const rows = y.length;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) mean[j]! += train[r * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= rows;
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) { const v = train[r * d + j]! - mean[j]!; sq[j]! += v * v; }
  const inv = Array.from(sq, (q) => { const sd = Math.sqrt(q / rows); return sd > 1e-6 && Number.isFinite(sd) ? 1 / sd : 0; });
  const std = (m: Float32Array) => Float32Array.from(m, (v, k) => { const z = (v - mean[k % d]!) * inv[k % d]!; return Number.isFinite(z) ? z : 0; });
  const st = gramStride(d);
  const x = new Float64Array(rows * st);
  const ts = std(train);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) x[r * st + j] = ts[r * d + j]!;
  const w = ridgeReference(x, y, rows, d, st, 0.01 * rows);
  const t = std(test);
  return Array.from({ length: test.length / d }, (_, r) => { let s = 0; for (let j = 0; j < d; j++) s += t[r * d + j]! * w[j]!; return s; });
}

test('standardised ridge: wasm and JS score held-out rows with the bits of the plain loops (odd widths, constant and overflowing columns)', () => {
  for (const [rows, testRows, d] of [[40, 12, 5], [33, 7, 16], [8, 3, 1], [60, 20, 9]] as const) {
    const r = mulberry32(rows * d);
    const train = Float32Array.from({ length: rows * d }, (_, k) => (k % d === 1 ? 3 : (r() - 0.5) * (k % d) + (k < (rows / 2) * d ? 0.4 : 0)));
    const test = Float32Array.from({ length: testRows * d }, () => r() - 0.5);
    // a NaN in training column 4 makes its sd NaN: the column is dropped (inv 0); a held-out 3e38 overflows float32 once standardised
    if (d === 9) { train[4] = NaN; train[22] = -3e38; test[2] = 3e38; }
    const y = Float64Array.from({ length: rows }, (_, k) => (k < rows / 2 ? 1 : -1));
    const ref = standardisedReference(train, y, test, d);
    assert.deepEqual(fitScores(train, y, test, d, { kind: 'cholesky' }, 'js'), ref, `js ${rows} x ${d}`);
    assert.deepEqual(fitScores(train, y, test, d, { kind: 'cholesky' }, 'wasm'), ref, `wasm ${rows} x ${d}`);
    // conjugate gradients (the wide-feature solver) on the same standardised rows: the same scores to ~1e-8
    const cg = fitScores(train, y, test, d, { kind: 'cg', iterations: 200 }, 'wasm');
    assert.deepEqual(cg, fitScores(train, y, test, d, { kind: 'cg', iterations: 200 }, 'js'), `cg engines ${rows} x ${d}`);
    // (a held-out value that overflows float32 once standardised scores +-Infinity on every solver, as in the old loops)
    cg.forEach((v, k) => assert.ok(v === ref[k] || Math.abs(v - ref[k]!) <= 1e-8 * (1 + Math.abs(ref[k]!)), `cg ${v} vs ${ref[k]} (${rows} x ${d})`));
  }
});

test('standardised ridge on a real dump (fixtures/runs/healthy, 157 + 157 training rows, 68 + 68 held out, 128 dims): wasm == JS', async () => {
  const arrays = await readNpz(resolve(ROOT, 'fixtures/runs/healthy/features.npz'));
  const src = domainArrays(arrays, 'source').features!;
  const tgt = domainArrays(arrays, 'target').features!;
  const d = src.cols;
  const rowsOf = (m: typeof src, from: number, to: number) => m.data.subarray(from * d, to * d);
  const train = new Float32Array(314 * d);
  train.set(rowsOf(src, 0, 157)); train.set(rowsOf(tgt, 0, 157), 157 * d);
  const test = new Float32Array(136 * d);
  test.set(rowsOf(src, 157, 225)); test.set(rowsOf(tgt, 157, 225), 68 * d);
  const y = Float64Array.from({ length: 314 }, (_, k) => (k < 157 ? 1 : -1));
  const js = fitScores(train, y, test, d, { kind: 'cholesky' }, 'js');
  const wasm = fitScores(train, y, test, d, { kind: 'cholesky' }, 'wasm');
  const worst = Math.max(...js.map((v, k) => Math.abs(v - wasm[k]!) / Math.max(Math.abs(v), 1e-300)));
  assert.ok(worst <= 1e-12, `worst relative difference ${worst}`);
  assert.deepEqual(wasm, js, 'same sums in the same order: the same bits');
  // the features tell the domains apart on most held-out rows (healthy: the probe's 79% at seed 0; here a fixed split)
  const correct = js.filter((v, k) => (v > 0) === k < 68).length;
  assert.ok(correct > 136 * 0.6 && correct < 136, `${correct} of 136`);
});

test('the layout is checked: a stride that is not a multiple of 4 or too short for the columns is refused', () => {
  assert.throws(() => gramUpper(new Float64Array(30), 3, 9, 10), /stride 10/);
  assert.throws(() => gramUpper(new Float64Array(30), 3, 7, 4), /stride 4/);
  assert.throws(() => gramUpper(new Float64Array(7), 2, 4, 4), /7 values/);
});

test('the committed kernel bytes (src/math/ridge-wasm.ts) are what src/math/ridge.wat assembles to', (t) => {
  try { createRequire(import.meta.url).resolve('wabt'); } catch { t.skip('wabt (devDependency) not installed'); return; }
  const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
