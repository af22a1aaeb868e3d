// Trustworthiness of an embedding (Venna & Kaski 2001), computed exactly as sklearn.manifold.trustworthiness.
import type { DenseMatrix } from './matrix.js';
import { exactKnn } from './knn.js';

/** Input rows per tile: 32 rows of 256 doubles (64 KiB) stay cached while all other rows stream past once. */
const ROW_TILE = 32;

/**
 * T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in kNN_Y(i)} max(0, r(i, j) - k), where r(i, j) is the rank
 * of j among i's neighbours in the input space (Euclidean, ties by index like a stable argsort).
 * 1 = every embedded neighbour is a true neighbour. Requires k < n / 2. Cost O(n^2 (d + k)): 5,000 x 256 takes
 * a few seconds, so it belongs in benches and reports, not in tight loops.
 */
export function trustworthiness(x: DenseMatrix, y: DenseMatrix, k = 5): number {
  const n = x.rows;
  if (y.rows !== n) throw new Error(`trustworthiness: ${n} input rows but ${y.rows} embedded rows`);
  if (k >= n / 2) throw new Error(`trustworthiness: k (${k}) must be < n / 2 (${n / 2})`);
  const d = x.cols;
  const xd = x.data;
  const nnY = exactKnn(y, k);
  const rows = new Float64Array(ROW_TILE * n);
  let penalty = 0;
  for (let i0 = 0; i0 < n; i0 += ROW_TILE) {
    const i1 = Math.min(n, i0 + ROW_TILE);
    for (let j = 0; j < n; j++) {
      const oj = j * d;
      for (let i = i0; i < i1; i++) {
        const oi = i * d;
        let s = 0;
        for (let c = 0; c < d; c++) {
          const t = xd[oi + c] - xd[oj + c];
          s += t * t;
        }
        rows[(i - i0) * n + j] = s;
      }
    }
    for (let i = i0; i < i1; i++) {
      const ro = (i - i0) * n;
      for (let t = 0; t < k; t++) {
        const j = nnY.indices[i * k + t];
        const dj = rows[ro + j];
        // rank (1-based, self excluded) of j among i's input-space neighbours
        let rank = 1;
        for (let m = 0; m < n; m++) {
          if (m === i || m === j) continue;
          const dm = rows[ro + m];
          if (dm < dj || (dm === dj && m < j)) rank++;
        }
        if (rank > k) penalty += rank - k;
      }
    }
  }
  return 1 - (penalty * 2) / (n * k * (2 * n - 3 * k - 1));
}
