// The Gram matrix X'X of a row-major float64 matrix and ridge least squares through it (Cholesky of X'X + lambda I):
// WebAssembly SIMD kernels (ridge.wat) with plain-JS twins that do every sum in the same order, so both give the same
// bits and the fallback changes no number.
import { RIDGE_WASM_BASE64 } from './ridge-wasm.js';

export type GramEngine = 'wasm' | 'js';

/**
 * Row stride (in doubles) of a matrix handed to the kernels: a multiple of 4 with a spare column when `cols` is odd
 * (the SIMD kernels work on tiles of 2 x 4 entries and read past the last column). What the spare columns hold is
 * never used.
 */
export function gramStride(cols: number): number {
  return (cols + (cols & 1) + 3) & ~3;
}

/**
 * Upper triangle (j >= i) of G = X'X for the first `cols` columns of x (rows x stride, row-major, stride from
 * gramStride), as a cols x cols row-major array; entries below the diagonal are unspecified. Each entry is summed over
 * blocks of four rows, ((x0 x0' + x1 x1') + x2 x2') + x3 x3' added to the running sum, then the last rows % 4 one by
 * one. Cost rows x cols^2 / 2 multiply-adds: ~0.5 ms for 314 x 128 in WebAssembly, ~4 ms in plain JS.
 */
export function gramUpper(x: Float64Array, rows: number, cols: number, stride: number, engine?: GramEngine): Float64Array {
  checkLayout(x.length, rows, cols, stride);
  const kernel = pickKernel(engine);
  const g = new Float64Array(cols * cols);
  if (kernel && fits(rows, stride)) {
    reserve(kernel, rows, stride);
    new Float64Array(kernel.memory.buffer, 0, rows * stride).set(x.subarray(0, rows * stride));
    kernel.gram(0, rows, stride, cols, rows * stride * 8);
    const full = new Float64Array(kernel.memory.buffer, rows * stride * 8, stride * stride);
    for (let i = 0; i < cols; i++) g.set(full.subarray(i * stride + i, i * stride + cols), i * cols + i);
  } else {
    const full = gramJs(x, rows, cols, stride);
    for (let i = 0; i < cols; i++) g.set(full.subarray(i * stride + i, i * stride + cols), i * cols + i);
  }
  return g;
}

/**
 * Ridge least squares min |X w - y|^2 + lambda |w|^2 for `rows` rows of `cols` features. Fill `x` (rows x `stride`,
 * row-major, zeros at first): features in columns 0..cols-1 and y in column `cols`; then `solve(lambda)`. With the
 * WebAssembly kernels `x` is a view of their memory (no copy in, none out), valid until the next call into this module.
 * Sums, all in float64, in the order of the textbook loops: G = X'X and X'y as gramUpper sums them, Cholesky of
 * G + lambda I (U[j][i] = (A[j][i] - sum over k < j of U[k][j] U[k][i], k ascending) / U[j][j], pivots raised to 1e-12),
 * forward then back substitution (sums over k ascending, then descending). Cost rows x cols^2 / 2 + cols^3 / 6.
 */
export interface RidgeSystem {
  x: Float64Array;
  stride: number;
  solve(lambda: number): Float64Array;
}

export function ridgeSystem(rows: number, cols: number, engine?: GramEngine): RidgeSystem {
  const n = cols + 1; // X with y as one more column: X'y comes out of the Gram kernel, z out of the Cholesky one
  const stride = gramStride(n);
  const kernel = pickKernel(engine);
  if (kernel && fits(rows, stride)) {
    reserve(kernel, rows, stride);
    const x = new Float64Array(kernel.memory.buffer, 0, rows * stride).fill(0); // zeros, as a fresh array would be
    const gAt = rows * stride * 8;
    return {
      x, stride,
      solve(lambda) {
        kernel.gram(0, rows, stride, n, gAt);
        const g = new Float64Array(kernel.memory.buffer, gAt, stride * stride);
        for (let i = 0; i < cols; i++) g[i * stride + i]! += lambda;
        kernel.cholesky(gAt, stride, cols, n);
        return backSubstitute(g, cols, stride);
      },
    };
  }
  const x = new Float64Array(rows * stride);
  return {
    x, stride,
    solve(lambda) {
      const g = gramJs(x, rows, n, stride);
      for (let i = 0; i < cols; i++) g[i * stride + i]! += lambda;
      choleskyJs(g, stride, cols, n);
      return backSubstitute(g, cols, stride);
    },
  };
}

export type RidgeSolver = { kind: 'cholesky' } | { kind: 'cg'; iterations: number };

/**
 * A linear scorer fitted by ridge least squares on standardised features. Fill `train` (rows x cols float32,
 * row-major), `y` (one target per training row) and `test` (testRows x cols); `fit(lambda)` standardises both with the
 * training rows' mean and standard deviation (a column with sd <= 1e-6 becomes 0; values rounded to float32, a value
 * that is not finite becomes 0), solves min |X w - y|^2 + lambda |w|^2 and returns x.w for every test row.
 * `cholesky` is exact through the d x d Gram matrix (rows d^2/2 + d^3/6 multiply-adds); `cg` runs conjugate gradients
 * on X (iterations x 2 rows d), for wide features. With the WebAssembly kernels `train` and `test` are views of their
 * memory (no copy in), valid until the next call into this module. Every sum is in float64
 * and in the order of the JS twin (see ridge.wat), so the engine changes no bit.
 */
export interface StandardisedRidge {
  train: Float32Array;
  y: Float64Array;
  test: Float32Array;
  fit(lambda: number): Float64Array;
}

export function standardisedRidge(rows: number, testRows: number, cols: number, solver: RidgeSolver, engine?: GramEngine): StandardisedRidge {
  const n = cols + 1; // y rides as one more column of X: X'y comes out of the Gram kernel, z out of the Cholesky one
  const stride = gramStride(n);
  const y = new Float64Array(rows);
  const gram = solver.kind === 'cholesky';
  const kernel = pickKernel(engine);
  const [xAt, gAt, tAt, fAt, ftAt, meanAt, sqAt, invAt, wAt, sAt, end] = offsets([
    rows * stride * 8, gram ? stride * stride * 8 : 0, testRows * stride * 8,
    rows * cols * 4 + 8, testRows * cols * 4 + 8, (cols + 2) * 8, (cols + 2) * 8, (cols + 2) * 8, // +8: pairs read one past
    cols * 8, testRows * 8,
  ]);
  if (kernel && end! <= WASM_MAX_BYTES) {
    const have = kernel.memory.buffer.byteLength;
    if (have < end!) kernel.memory.grow(Math.ceil((end! - have) / WASM_PAGE));
    const buf = kernel.memory.buffer;
    const x = new Float64Array(buf, xAt!, rows * stride);
    // the tiles read the spare columns past y: zeros there, not junk (a denormal left over would slow every tile)
    for (let r = 0; r < rows; r++) x.fill(0, r * stride + n, (r + 1) * stride);
    const train = new Float32Array(buf, fAt!, rows * cols);
    const test = new Float32Array(buf, ftAt!, testRows * cols);
    return {
      train, y, test,
      fit(lambda) {
        kernel.moments(fAt!, rows, cols, meanAt!, sqAt!);
        inverseStd(new Float64Array(buf, sqAt!, cols), rows, new Float64Array(buf, invAt!, cols + 2));
        kernel.standardise(fAt!, rows, cols, meanAt!, invAt!, xAt!, stride);
        kernel.standardise(ftAt!, testRows, cols, meanAt!, invAt!, tAt!, stride);
        for (let r = 0; r < rows; r++) x[r * stride + cols] = y[r]!;
        if (gram) {
          kernel.gram(xAt!, rows, stride, n, gAt!);
          const g = new Float64Array(buf, gAt!, stride * stride);
          for (let i = 0; i < cols; i++) g[i * stride + i]! += lambda;
          kernel.cholesky(gAt!, stride, cols, n);
          kernel.backsub(gAt!, stride, cols, wAt!);
        } else new Float64Array(buf, wAt!, cols).set(conjugateGradients(x, rows, cols, stride, y, lambda, solver.iterations));
        kernel.scores(tAt!, testRows, cols, stride, wAt!, sAt!);
        return new Float64Array(buf, sAt!, testRows).slice();
      },
    };
  }
  const train = new Float32Array(rows * cols);
  const test = new Float32Array(testRows * cols);
  return {
    train, y, test,
    fit(lambda) {
      const mean = new Float64Array(cols);
      const sq = new Float64Array(cols);
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j]! += train[r * cols + j]!;
      for (let j = 0; j < cols; j++) mean[j]! /= rows;
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) { const v = train[r * cols + j]! - mean[j]!; sq[j]! += v * v; }
      const inv = new Float64Array(cols);
      inverseStd(sq, rows, inv);
      const x = standardiseJs(train, rows, cols, mean, inv, stride);
      const t = standardiseJs(test, testRows, cols, mean, inv, stride);
      for (let r = 0; r < rows; r++) x[r * stride + cols] = y[r]!;
      let w: Float64Array;
      if (gram) {
        const g = gramJs(x, rows, n, stride);
        for (let i = 0; i < cols; i++) g[i * stride + i]! += lambda;
        choleskyJs(g, stride, cols, n);
        w = backSubstitute(g, cols, stride);
      } else w = conjugateGradients(x, rows, cols, stride, y, lambda, solver.iterations);
      return scoresOf(t, testRows, cols, stride, w);
    },
  };
}

/** 1 / sd per column (sd = sqrt(sq / rows)); 0 for a constant or non-finite column, which then standardises to 0. */
function inverseStd(sq: Float64Array, rows: number, inv: Float64Array): void {
  inv.fill(0);
  for (let j = 0; j < sq.length; j++) { const sd = Math.sqrt(sq[j]! / rows); inv[j] = sd > 1e-6 && Number.isFinite(sd) ? 1 / sd : 0; }
}

function standardiseJs(x: Float32Array, rows: number, d: number, mean: Float64Array, inv: Float64Array, stride: number): Float64Array {
  const out = new Float64Array(rows * stride);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) { const v = (x[r * d + j]! - mean[j]!) * inv[j]!; out[r * stride + j] = Number.isFinite(v) ? Math.fround(v) : 0; }
  }
  return out;
}

/** x.w for each row of t (rows x stride), the sum over columns in order. */
function scoresOf(t: Float64Array, rows: number, d: number, stride: number, w: Float64Array): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * stride;
    let s = 0;
    for (let j = 0; j < d; j++) s += t[o + j]! * w[j]!;
    out[r] = s;
  }
  return out;
}

/** (X'X + lambda I) w = X'y by conjugate gradients, touching X (rows x stride) only through X v and X' u. */
function conjugateGradients(data: Float64Array, rows: number, d: number, stride: number, y: Float64Array, lambda: number, iters: number): Float64Array {
  const apply = (v: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = r * stride;
      let s = 0;
      for (let j = 0; j < d; j++) s += data[o + j]! * v[j]!;
      for (let j = 0; j < d; j++) out[j]! += data[o + j]! * s;
    }
    for (let j = 0; j < d; j++) out[j]! += lambda * v[j]!;
  };
  const w = new Float64Array(d);
  const r = new Float64Array(d);
  for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) r[j]! += data[i * stride + j]! * y[i]!;
  const p = Float64Array.from(r);
  const ap = new Float64Array(d);
  let rr = dot(r, r);
  const stop = rr * 1e-12;
  for (let k = 0; k < iters && rr > stop; k++) {
    apply(p, ap);
    const alpha = rr / dot(p, ap);
    for (let j = 0; j < d; j++) { w[j]! += alpha * p[j]!; r[j]! -= alpha * ap[j]!; }
    const next = dot(r, r);
    for (let j = 0; j < d; j++) p[j] = r[j]! + (next / rr) * p[j]!;
    rr = next;
  }
  return w;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Byte offsets of consecutive regions of the given sizes, each 16-byte aligned; the last entry is the end. */
function offsets(sizes: number[]): number[] {
  const out = [0];
  for (const size of sizes) out.push(out.at(-1)! + Math.ceil(size / 16) * 16);
  return out;
}

/** Whether the WebAssembly SIMD kernels load here (else the plain-JS twins run). */
export function gramWasmAvailable(): boolean {
  return wasmKernel() !== null;
}

/** U w = z with U in rows 0..d-1 of g (stride) and z in its column d. */
function backSubstitute(g: Float64Array, d: number, stride: number): Float64Array {
  const w = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    const o = i * stride;
    let s = g[o + d]!;
    for (let k = i + 1; k < d; k++) s -= g[o + k]! * w[k]!;
    w[i] = s / g[o + i]!;
  }
  return w;
}

/** G (stride x stride, upper triangle of the first d rows and columns) in the kernel's order. */
function gramJs(x: Float64Array, rows: number, d: number, stride: number): Float64Array {
  const g = new Float64Array(stride * stride);
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const o0 = r * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
    for (let i = 0; i < d; i++) {
      const a0 = x[o0 + i]!, a1 = x[o1 + i]!, a2 = x[o2 + i]!, a3 = x[o3 + i]!;
      const gi = i * stride;
      for (let j = i; j < d; j++) g[gi + j]! += a0 * x[o0 + j]! + a1 * x[o1 + j]! + a2 * x[o2 + j]! + a3 * x[o3 + j]!;
    }
  }
  for (; r < rows; r++) {
    const o = r * stride;
    for (let i = 0; i < d; i++) {
      const xi = x[o + i]!;
      const gi = i * stride;
      for (let j = i; j < d; j++) g[gi + j]! += xi * x[o + j]!;
    }
  }
  return g;
}

/** In place on the upper triangle: rows 0..d-1 become U, their columns d..n-1 become U'^-1 A (see ridge.wat). */
function choleskyJs(a: Float64Array, stride: number, d: number, n: number): void {
  for (let j = 0; j < d; j++) {
    const rj = j * stride;
    for (let k = 0; k < j; k++) {
      const rk = k * stride;
      const u = a[rk + j]!;
      for (let i = j; i < n; i++) a[rj + i]! -= a[rk + i]! * u;
    }
    const l = Math.sqrt(Math.max(a[rj + j]!, 1e-12));
    a[rj + j] = l;
    for (let i = j + 1; i < n; i++) a[rj + i] = a[rj + i]! / l;
  }
}

function checkLayout(length: number, rows: number, cols: number, stride: number): void {
  if (stride < gramStride(cols) || stride % 4 !== 0) throw new Error(`stride ${stride} does not fit ${cols} columns`);
  if (length < rows * stride) throw new Error(`${length} values, expected ${rows} x ${stride}`);
}

interface WasmKernel {
  memory: WebAssembly.Memory;
  gram: (x: number, rows: number, stride: number, d: number, g: number) => void;
  cholesky: (a: number, stride: number, d: number, n: number) => void;
  moments: (x: number, rows: number, d: number, mean: number, sq: number) => void;
  standardise: (x: number, rows: number, d: number, mean: number, inv: number, out: number, ostride: number) => void;
  backsub: (g: number, stride: number, d: number, w: number) => void;
  scores: (t: number, rows: number, d: number, stride: number, w: number, out: number) => void;
}

/** Largest X + G the kernel takes: far above the probe's 4,000 x 512, well under wasm32's 4 GiB. */
const WASM_MAX_BYTES = 1 << 30;
const WASM_PAGE = 65536;

function fits(rows: number, stride: number): boolean {
  return (rows + stride) * stride * 8 <= WASM_MAX_BYTES;
}

/** Grows the kernel's memory to hold X (rows x stride) and G (stride x stride). */
function reserve(k: WasmKernel, rows: number, stride: number): void {
  const need = (rows + stride) * stride * 8;
  const have = k.memory.buffer.byteLength;
  if (have < need) k.memory.grow(Math.ceil((need - have) / WASM_PAGE));
}

function pickKernel(engine: GramEngine | undefined): WasmKernel | null {
  const kernel = engine === 'js' ? null : wasmKernel();
  if (engine === 'wasm' && !kernel) throw new Error('WebAssembly SIMD is not available');
  return kernel;
}

let kernelCache: WasmKernel | null | undefined;

/** The instantiated kernels, or null where WebAssembly or its SIMD is missing (compiled once, synchronously: ~1.4 KB). */
function wasmKernel(): WasmKernel | null {
  if (kernelCache !== undefined) return kernelCache;
  try {
    const bytes = Uint8Array.from(atob(RIDGE_WASM_BASE64), (c) => c.charCodeAt(0));
    kernelCache = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as WasmKernel;
  } catch {
    kernelCache = null;
  }
  return kernelCache;
}
