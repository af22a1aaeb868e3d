// Dense row-major matrices (src/math/dense-matrix.ts, float32 or float64) as PCA, kNN and t-SNE take them.
import type { NdArray } from '../model/ndarray.js';
import type { DenseMatrix } from '../math/dense-matrix.js';

export type { DenseMatrix } from '../math/dense-matrix.js';

/** A 2-D float NdArray (e.g. `source_features` from features.npz) as a DenseMatrix, without copying. */
export function matrixFromNdArray(nd: NdArray, name = 'array'): DenseMatrix {
  if (nd.shape.length !== 2) throw new Error(`${name}: expected a 2-D array, got shape [${nd.shape.join(', ')}]`);
  const [rows, cols] = nd.shape;
  const data = nd.data instanceof Float32Array || nd.data instanceof Float64Array ? nd.data : Float64Array.from(nd.data);
  return { data, rows, cols };
}

/** Copies the given rows into a new Float64 matrix (used for subsampling and for stacking source on target). */
export function takeRows(parts: { m: DenseMatrix; rows: ArrayLike<number> }[]): DenseMatrix {
  const cols = parts[0]?.m.cols ?? 0;
  let total = 0;
  for (const p of parts) {
    if (p.m.cols !== cols) throw new Error(`cannot stack matrices with ${cols} and ${p.m.cols} columns`);
    total += p.rows.length;
  }
  const out = new Float64Array(total * cols);
  let o = 0;
  for (const p of parts) {
    for (let r = 0; r < p.rows.length; r++) {
      const s = p.rows[r] * cols;
      for (let c = 0; c < cols; c++) out[o++] = p.m.data[s + c];
    }
  }
  return { data: out, rows: total, cols };
}
