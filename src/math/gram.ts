// The Gram matrix X'X of a row-major float64 matrix and the Cholesky factor of X'X + lambda I: WebAssembly SIMD
// kernels (gram.wat) with plain-JS twins that do every sum in the same order, so both give the same bits and the
// fallback changes no number.
import { GRAM_WASM_BASE64 } from './gram-wasm.js';

export type GramEngine = 'wasm' | 'js';

/**
 * Row stride (in doubles) of a matrix handed to gramUpper: a multiple of 4 with a spare column when `cols` is odd (the
 * SIMD kernel works on tiles of 2 x 4 entries and reads past the last column). What the spare columns hold is never used.
 */
export function gramStride(cols: number): number {
  return (cols + (cols & 1) + 3) & ~3;
}

/**
 * Upper triangle (j >= i) of G = X'X for the first `cols` columns of x (rows x stride, row-major, stride from
 * gramStride), as a cols x cols row-major array; entries below the diagonal are unspecified. Each entry is summed over
 * blocks of four rows, ((x0 x0' + x1 x1') + x2 x2') + x3 x3' added to the running sum, then the last rows % 4 one by
 * one: the order of the plain-JS kernel this replaced, so every caller's numbers stay as they were.
 * Cost rows x cols^2 / 2 multiply-adds: ~0.3 ms for 314 x 128 in WebAssembly, ~3 ms in plain JS.
 */
export function gramUpper(x: Float64Array, rows: number, cols: number, stride: number, engine?: GramEngine): Float64Array {
  checkLayout(x, rows, cols, stride);
  const kernel = pickKernel(engine);
  if (kernel && (rows + stride) * stride * 8 <= WASM_MAX_BYTES) return upperOf(kernel, runGramWasm(kernel, x, rows, cols, stride), cols, stride);
  return gramJs(x, rows, cols, stride);
}

/** Whether the WebAssembly SIMD kernel loads here (else gramUpper runs the plain-JS kernel). */
export function gramWasmAvailable(): boolean {
  return wasmKernel() !== null;
}

/**
 * The upper Cholesky factor U (U'U = X'X + lambda I, cols x cols row-major, zeros below the diagonal unspecified) of
 * x as for gramUpper. Pivots below 1e-12 are raised to it (a singular Gram stays solvable). Every entry is summed in
 * the order of the textbook loop: U[j][i] = (A[j][i] - sum over k < j of U[k][j] U[k][i], k ascending) / U[j][j].
 * Cost rows x cols^2 / 2 + cols^3 / 6 multiply-adds.
 */
export function ridgeCholesky(x: Float64Array, rows: number, cols: number, stride: number, lambda: number, engine?: GramEngine): Float64Array {
  checkLayout(x, rows, cols, stride);
  const kernel = pickKernel(engine);
  if (kernel && (rows + stride) * stride * 8 <= WASM_MAX_BYTES) {
    const g = runGramWasm(kernel, x, rows, cols, stride);
    const full = new Float64Array(kernel.memory.buffer, g, stride * stride);
    for (let i = 0; i < cols; i++) full[i * stride + i]! += lambda;
    kernel.cholesky(g, stride, cols);
    return upperOf(kernel, g, cols, stride);
  }
  const g = gramJs(x, rows, cols, stride);
  for (let i = 0; i < cols; i++) g[i * cols + i]! += lambda;
  choleskyJs(g, cols);
  return g;
}

/** In place on the upper triangle of a (d x d): the row-by-row twin of the wasm kernel (same sums, same order). */
function choleskyJs(a: Float64Array, d: number): void {
  for (let j = 0; j < d; j++) {
    const rj = j * d;
    for (let k = 0; k < j; k++) {
      const rk = k * d;
      const u = a[rk + j]!;
      for (let i = j; i < d; i++) a[rj + i]! -= a[rk + i]! * u;
    }
    const l = Math.sqrt(Math.max(a[rj + j]!, 1e-12));
    a[rj + j] = l;
    for (let i = j + 1; i < d; i++) a[rj + i] = a[rj + i]! / l;
  }
}

function checkLayout(x: Float64Array, rows: number, cols: number, stride: number): void {
  if (stride < gramStride(cols) || stride % 4 !== 0) throw new Error(`stride ${stride} does not fit ${cols} columns`);
  if (x.length < rows * stride) throw new Error(`${x.length} values, expected ${rows} x ${stride}`);
}

function pickKernel(engine: GramEngine | undefined): WasmKernel | null {
  const kernel = engine === 'js' ? null : wasmKernel();
  if (engine === 'wasm' && !kernel) throw new Error('WebAssembly SIMD is not available');
  return kernel;
}

function gramJs(x: Float64Array, rows: number, d: number, stride: number): Float64Array {
  const g = new Float64Array(d * d);
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const o0 = r * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
    for (let i = 0; i < d; i++) {
      const a0 = x[o0 + i]!, a1 = x[o1 + i]!, a2 = x[o2 + i]!, a3 = x[o3 + i]!;
      const gi = i * d;
      for (let j = i; j < d; j++) g[gi + j]! += a0 * x[o0 + j]! + a1 * x[o1 + j]! + a2 * x[o2 + j]! + a3 * x[o3 + j]!;
    }
  }
  for (; r < rows; r++) {
    const o = r * stride;
    for (let i = 0; i < d; i++) {
      const xi = x[o + i]!;
      const gi = i * d;
      for (let j = i; j < d; j++) g[gi + j]! += xi * x[o + j]!;
    }
  }
  return g;
}

interface WasmKernel {
  memory: WebAssembly.Memory;
  gram: (x: number, rows: number, stride: number, d: number, g: number) => void;
  cholesky: (a: number, stride: number, d: number) => void;
}

/** Largest input the kernel takes (X and G together): far above the probe's 4,000 x 512, well under wasm32's 4 GiB. */
const WASM_MAX_BYTES = 1 << 30;
const WASM_PAGE = 65536;

let kernelCache: WasmKernel | null | undefined;

/** The instantiated kernel, or null where WebAssembly or its SIMD is missing (compiled once, synchronously: 848 bytes). */
function wasmKernel(): WasmKernel | null {
  if (kernelCache !== undefined) return kernelCache;
  try {
    const bytes = Uint8Array.from(atob(GRAM_WASM_BASE64), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    kernelCache = instance.exports as unknown as WasmKernel;
  } catch {
    kernelCache = null;
  }
  return kernelCache;
}

/** Copies x into the kernel's memory and runs the Gram kernel; returns the byte offset of G (stride x stride). */
function runGramWasm(k: WasmKernel, x: Float64Array, rows: number, d: number, stride: number): number {
  const xBytes = rows * stride * 8;
  const need = xBytes + stride * stride * 8;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / WASM_PAGE));
  new Float64Array(k.memory.buffer, 0, rows * stride).set(x.subarray(0, rows * stride));
  k.gram(0, rows, stride, d, xBytes);
  return xBytes;
}

/** The upper triangle of the stride x stride matrix at byte offset g, as a d x d array (below the diagonal: zeros). */
function upperOf(k: WasmKernel, g: number, d: number, stride: number): Float64Array {
  const full = new Float64Array(k.memory.buffer, g, stride * stride);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) out.set(full.subarray(i * stride + i, i * stride + d), i * d + i);
  return out;
}
