// Principal component analysis on a flat Float64 matrix: the "PCA to 50 dimensions" step before t-SNE.
import type { DenseMatrix } from './matrix.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { createRng } from './prng.js';

/**
 * Above this many input dimensions the exact covariance eigen-decomposition (O(n d^2 + d^3)) gives way to
 * randomized subspace iteration (O(n d k)); 1024 keeps the exact path under ~1 s for 5,000 rows.
 */
export const MAX_EXACT_PCA_DIM = 1024;
/** Subspace iterations and oversampling of the randomized path (Halko et al. 2011 recommend q = 2..4, p = 10). */
const RANDOMIZED_POWER_ITERATIONS = 4;
const RANDOMIZED_OVERSAMPLING = 10;

export interface PcaResult {
  /** rows x k projection of the centred data */
  projected: DenseMatrix;
  /** k x cols, unit rows; sign fixed so the largest-magnitude entry of each component is positive */
  components: Float64Array;
  /** variance along each component (divided by n - 1, like sklearn's explained_variance_) */
  explainedVariance: Float64Array;
  mean: Float64Array;
  k: number;
  method: 'exact' | 'randomized';
}

/**
 * Projects `x` onto its top `k` principal components. Exact (covariance + symmetric eigen-decomposition) up to
 * MAX_EXACT_PCA_DIM columns, randomized subspace iteration above. Cost: O(rows * cols^2 / 2) exact.
 * Example: pca({ data, rows: 5000, cols: 256 }, 50).projected is 5000 x 50.
 */
export function pca(x: DenseMatrix, k: number, seed = 0): PcaResult {
  const { rows: n, cols: d, data } = x;
  k = Math.min(k, d, n);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let c = 0; c < d; c++) mean[c] += data[o + c];
  }
  for (let c = 0; c < d; c++) mean[c] /= n;
  const centred = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let c = 0; c < d; c++) centred[o + c] = data[o + c] - mean[c];
  }
  const { components, variance, method } = d <= MAX_EXACT_PCA_DIM ? exactComponents(centred, n, d, k) : randomizedComponents(centred, n, d, k, seed);
  // deterministic sign (svd_flip on components, as sklearn >= 1.5)
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let j = 0; j < d; j++) if (Math.abs(components[c * d + j]) > Math.abs(best)) best = components[c * d + j];
    if (best < 0) for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j];
  }
  const projected = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let c = 0; c < k; c++) {
      const co = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += centred[o + j] * components[co + j];
      projected[r * k + c] = s;
    }
  }
  return { projected: { data: projected, rows: n, cols: k }, components, explainedVariance: variance, mean, k, method };
}

function exactComponents(xc: Float64Array, n: number, d: number, k: number) {
  const cov = new Float64Array(d * d);
  // four rows per pass over the upper triangle: a quarter of the read-modify-writes of cov
  let r = 0;
  for (; r + 3 < n; r += 4) {
    const o0 = r * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
    for (let a = 0; a < d; a++) {
      const x0 = xc[o0 + a], x1 = xc[o1 + a], x2 = xc[o2 + a], x3 = xc[o3 + a];
      const row = a * d;
      for (let b = a; b < d; b++) cov[row + b] += x0 * xc[o0 + b] + x1 * xc[o1 + b] + x2 * xc[o2 + b] + x3 * xc[o3 + b];
    }
  }
  for (; r < n; r++) {
    const o = r * d;
    for (let a = 0; a < d; a++) {
      const xa = xc[o + a];
      if (xa === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) cov[row + b] += xa * xc[o + b];
    }
  }
  const denom = Math.max(n - 1, 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / denom;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const components = new Float64Array(k * d);
  const variance = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    variance[c] = Math.max(values[c], 0);
    for (let j = 0; j < d; j++) components[c * d + j] = vectors[j * d + c];
  }
  return { components, variance, method: 'exact' as const };
}

/** Orthonormalises the columns of the d x l matrix q in place (modified Gram-Schmidt). */
function orthonormalizeColumns(q: Float64Array, d: number, l: number): void {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += q[j * l + c] * q[j * l + p];
      for (let j = 0; j < d; j++) q[j * l + c] -= dot * q[j * l + p];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += q[j * l + c] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j++) q[j * l + c] /= norm;
  }
}

/** Y = Xc * Q (n x l) for Q d x l. */
function mulXQ(xc: Float64Array, n: number, d: number, q: Float64Array, l: number): Float64Array {
  const y = new Float64Array(n * l);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    const yo = r * l;
    for (let j = 0; j < d; j++) {
      const v = xc[o + j];
      if (v === 0) continue;
      const qo = j * l;
      for (let c = 0; c < l; c++) y[yo + c] += v * q[qo + c];
    }
  }
  return y;
}

/** Z = Xc^T * Y (d x l) for Y n x l. */
function mulXtY(xc: Float64Array, n: number, d: number, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(d * l);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    const yo = r * l;
    for (let j = 0; j < d; j++) {
      const v = xc[o + j];
      if (v === 0) continue;
      const zo = j * l;
      for (let c = 0; c < l; c++) z[zo + c] += v * y[yo + c];
    }
  }
  return z;
}

function randomizedComponents(xc: Float64Array, n: number, d: number, k: number, seed: number) {
  const l = Math.min(d, k + RANDOMIZED_OVERSAMPLING);
  const rng = createRng(seed);
  let q: Float64Array = new Float64Array(d * l);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  orthonormalizeColumns(q, d, l);
  for (let it = 0; it < RANDOMIZED_POWER_ITERATIONS; it++) {
    q = mulXtY(xc, n, d, mulXQ(xc, n, d, q, l), l);
    orthonormalizeColumns(q, d, l);
  }
  // Rayleigh-Ritz: B = (Xc Q)^T (Xc Q) / (n - 1), eigenvectors of B rotate Q
  const y = mulXQ(xc, n, d, q, l);
  const b = new Float64Array(l * l);
  for (let r = 0; r < n; r++) {
    const yo = r * l;
    for (let a = 0; a < l; a++) for (let c = a; c < l; c++) b[a * l + c] += y[yo + a] * y[yo + c];
  }
  const denom = Math.max(n - 1, 1);
  for (let a = 0; a < l; a++) for (let c = a; c < l; c++) {
    b[a * l + c] /= denom;
    b[c * l + a] = b[a * l + c];
  }
  const { values, vectors } = symmetricEigen(b, l);
  const components = new Float64Array(k * d);
  const variance = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    variance[c] = Math.max(values[c], 0);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let m = 0; m < l; m++) s += q[j * l + m] * vectors[m * l + c];
      components[c * d + j] = s;
    }
  }
  return { components, variance, method: 'randomized' as const };
}
