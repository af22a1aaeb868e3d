// Plain typed-array forward pass of a dense-layer stack (the rebuilt bottleneck + head): no TF.js backend to load.
import type { DenseLayer } from './mlp.js';
import type { Matrix } from './matrix.js';

/**
 * x [rows, in] -> [rows, out] through the layers. Each output is a dot product of a contiguous input row with a
 * contiguous weight row (PyTorch's out x in layout), so both stay in cache. Cost rows x sum(in x out) multiply-adds at
 * ~1-2 GFLOP/s in V8: a 10k x 128 -> 128 -> 10 head takes ~20 ms; callers send big stacks to onnxruntime or subsample.
 */
export function forwardDense(layers: readonly DenseLayer[], x: Matrix): Matrix {
  let cur = x;
  for (const l of layers) {
    if (cur.cols !== l.inDim) throw new Error(`input has ${cur.cols} columns, layer ${l.name} expects ${l.inDim}`);
    const out = new Float32Array(cur.rows * l.outDim);
    const { w, b, inDim, outDim } = l;
    const xd = cur.data;
    for (let r = 0; r < cur.rows; r++) {
      const xo = r * inDim;
      const yo = r * outDim;
      for (let o = 0; o < outDim; o++) {
        const wo = o * inDim;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let i = 0;
        for (; i + 3 < inDim; i += 4) {
          s0 += xd[xo + i]! * w[wo + i]!;
          s1 += xd[xo + i + 1]! * w[wo + i + 1]!;
          s2 += xd[xo + i + 2]! * w[wo + i + 2]!;
          s3 += xd[xo + i + 3]! * w[wo + i + 3]!;
        }
        for (; i < inDim; i++) s0 += xd[xo + i]! * w[wo + i]!;
        const v = s0 + s1 + s2 + s3 + b[o]!;
        out[yo + o] = l.relu && v < 0 ? 0 : v;
      }
    }
    cur = { rows: cur.rows, cols: outDim, data: out };
  }
  return cur;
}

/** Multiply-adds of one row through the stack. */
export function macsPerRow(layers: readonly DenseLayer[]): number {
  return layers.reduce((s, l) => s + l.inDim * l.outDim, 0);
}
