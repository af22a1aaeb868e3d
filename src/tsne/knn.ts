// Exact k-nearest neighbours (squared Euclidean) by brute force over pairs, one bounded max-heap per point.
import type { DenseMatrix } from './matrix.js';

export interface Neighbours {
  k: number;
  /** rows * k neighbour indices, nearest first, self excluded */
  indices: Int32Array;
  /** rows * k squared distances matching `indices` */
  dist2: Float64Array;
}

/** Rows per cache tile: 128 rows of 50 doubles stay in L1/L2 while the inner tile streams past them. */
const TILE = 128;

/**
 * Exact kNN of every row of `x` among the other rows. Each pair is measured once and offered to both points'
 * heaps, so the cost is rows^2 * cols / 2 multiply-adds (5,000 x 50: ~0.6 G, about half a second).
 */
export function exactKnn(x: DenseMatrix, k: number): Neighbours {
  const { rows: n, cols: d, data } = x;
  k = Math.max(0, Math.min(k, n - 1));
  const hi = new Int32Array(n * k);
  const hd = new Float64Array(n * k).fill(Infinity);
  const size = new Int32Array(n);
  if (k === 0) return { k, indices: hi, dist2: hd };
  const v = data instanceof Float64Array ? data : Float64Array.from(data);

  const offer = (i: number, j: number, dist: number): void => {
    const base = i * k;
    let s = size[i];
    if (s < k) {
      // sift up
      let pos = s;
      size[i] = s + 1;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (hd[base + parent] >= dist) break;
        hd[base + pos] = hd[base + parent];
        hi[base + pos] = hi[base + parent];
        pos = parent;
      }
      hd[base + pos] = dist;
      hi[base + pos] = j;
      return;
    }
    // replace the root (the farthest kept) and sift down
    s = k;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= s) break;
      if (child + 1 < s && hd[base + child + 1] > hd[base + child]) child++;
      if (hd[base + child] <= dist) break;
      hd[base + pos] = hd[base + child];
      hi[base + pos] = hi[base + child];
      pos = child;
    }
    hd[base + pos] = dist;
    hi[base + pos] = j;
  };

  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    for (let j0 = i0; j0 < n; j0 += TILE) {
      const j1 = Math.min(n, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        const oi = i * d;
        const jStart = j0 === i0 ? i + 1 : j0;
        for (let j = jStart; j < j1; j++) {
          const oj = j * d;
          // four independent accumulators: the adds pipeline instead of waiting on one running sum
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          let c = 0;
          for (; c + 3 < d; c += 4) {
            const t0 = v[oi + c] - v[oj + c];
            const t1 = v[oi + c + 1] - v[oj + c + 1];
            const t2 = v[oi + c + 2] - v[oj + c + 2];
            const t3 = v[oi + c + 3] - v[oj + c + 3];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
          }
          for (; c < d; c++) {
            const t = v[oi + c] - v[oj + c];
            s0 += t * t;
          }
          const s = s0 + s1 + s2 + s3;
          if (size[i] < k || s < hd[i * k]) offer(i, j, s);
          if (size[j] < k || s < hd[j * k]) offer(j, i, s);
        }
      }
    }
  }
  // heap -> ascending order
  const order = new Int32Array(k);
  const tmpD = new Float64Array(k);
  const tmpI = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let t = 0; t < k; t++) order[t] = t;
    order.sort((a, b) => hd[base + a] - hd[base + b] || hi[base + a] - hi[base + b]);
    for (let t = 0; t < k; t++) {
      tmpD[t] = hd[base + order[t]];
      tmpI[t] = hi[base + order[t]];
    }
    hd.set(tmpD, base);
    hi.set(tmpI, base);
  }
  return { k, indices: hi, dist2: hd };
}
