// Row-major float32 matrices and integer label vectors built from decoded NdArrays, as the engine consumes them.
import type { NdArray } from '../model/ndarray.js';
import type { DenseMatrix } from '../math/dense-matrix.js';
import { MAX_CLASSES } from '../ingest/npy/dump-checks.js';

/** rows x cols, row-major, float32: the engine's case of the one DenseMatrix (src/math/dense-matrix.ts). */
export type Matrix = DenseMatrix<Float32Array>;

/** Thrown when an array in a dump has the wrong shape or type for its role (features, labels, logits). */
export class ArrayShapeError extends Error {
  constructor(readonly arrayName: string, message: string) {
    super(`${arrayName}: ${message}`);
    this.name = 'ArrayShapeError';
  }
}

/** A 2-D numeric array (or 1-D as one column) as float32; 3+-D arrays are flattened per row (N x C x H x W -> N x CHW). */
export function toMatrix(name: string, a: NdArray): Matrix {
  if (a.shape.length === 0) throw new ArrayShapeError(name, 'is a scalar, expected rows of features');
  if (a.dtype === 'c8' || a.dtype === 'c16') throw new ArrayShapeError(name, `complex dtype ${a.dtype} is not supported`);
  const rows = a.shape[0]!;
  const cols = rows === 0 ? 0 : a.data.length / rows;
  const data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>);
  return { rows, cols, data };
}

/** Integer class labels (any int/float dtype holding whole numbers) as Int32Array; -1 and other negatives kept (ignored later). */
export function toLabels(name: string, a: NdArray): Int32Array {
  if (a.shape.length !== 1 && !(a.shape.length === 2 && a.shape[1] === 1)) {
    throw new ArrayShapeError(name, `expected a vector of labels, got shape [${a.shape.join(', ')}]`);
  }
  const out = new Int32Array(a.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Number(a.data[i]);
    if (!Number.isInteger(v)) throw new ArrayShapeError(name, `label at row ${i} is ${v}, not a whole number`);
    // Int32Array would wrap 2**40+3 to class 3 silently
    if (v >= MAX_CLASSES || v < -MAX_CLASSES) throw new ArrayShapeError(name, `label ${v} at row ${i} is outside 0..${MAX_CLASSES - 1} (at most ${MAX_CLASSES} classes)`);
    out[i] = v;
  }
  return out;
}

/** The rows `idx` of m, copied. */
export function takeRows(m: Matrix, idx: readonly number[]): Matrix {
  const data = new Float32Array(idx.length * m.cols);
  idx.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: idx.length, cols: m.cols, data };
}

/** Row-wise argmax (first index on ties, NaN rows give -1). O(rows * cols). */
export function argmaxRows(m: Matrix): Int32Array {
  const out = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let best = -1;
    let bestV = -Infinity;
    for (let c = 0; c < m.cols; c++) {
      const v = m.data[r * m.cols + c]!;
      if (v > bestV) { bestV = v; best = c; }
    }
    out[r] = best;
  }
  return out;
}
