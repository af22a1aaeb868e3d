// Input similarities of t-SNE: per-point Gaussian bandwidths by binary search on perplexity, then the symmetric sparse P.
import type { Neighbours } from './knn.js';

/** Entropy tolerance and step cap of the bandwidth search, as sklearn's _binary_search_perplexity. */
const PERPLEXITY_TOLERANCE = 1e-5;
const MAX_BINARY_SEARCH_STEPS = 100;
/** Floor for sums and for the total of P (sklearn's MACHINE_EPSILON for float32 data). */
const EPS = 1e-12;

/**
 * Symmetric joint probabilities in CSR form, upper triangle only: row i holds P_ij for its neighbours j > i
 * (P_ji is the same number). The full matrix sums to 1, so these entries sum to 1/2.
 */
export interface SparseP {
  n: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

/**
 * Conditional probabilities P(j|i) over each point's k neighbours with the Gaussian bandwidth chosen so that the
 * perplexity of row i equals `perplexity`. Distances are shifted by the row minimum before exponentiation, which
 * changes nothing after normalisation but avoids underflow on high-dimensional inputs. Cost O(n k * steps).
 */
export function conditionalP(nn: Neighbours, n: number, perplexity: number): Float64Array {
  const { k, dist2 } = nn;
  const p = new Float64Array(n * k);
  const desired = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let dmin = Infinity;
    for (let j = 0; j < k; j++) if (dist2[base + j] < dmin) dmin = dist2[base + j];
    if (!Number.isFinite(dmin)) dmin = 0;
    let beta = 1;
    let betaMin = -Infinity;
    let betaMax = Infinity;
    for (let step = 0; step < MAX_BINARY_SEARCH_STEPS; step++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const v = Math.exp(-(dist2[base + j] - dmin) * beta);
        p[base + j] = v;
        sum += v;
      }
      if (sum === 0) sum = EPS;
      let sumDP = 0;
      for (let j = 0; j < k; j++) {
        p[base + j] /= sum;
        sumDP += (dist2[base + j] - dmin) * p[base + j];
      }
      const diff = Math.log(sum) + beta * sumDP - desired;
      if (Math.abs(diff) <= PERPLEXITY_TOLERANCE) break;
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
  }
  return p;
}

/** P = (P_cond + P_cond^T) / sum, merged into upper-triangular CSR with sorted columns. Cost O(n k). */
export function symmetrizeP(nn: Neighbours, pc: Float64Array, n: number): SparseP {
  const { k, indices } = nn;
  // transpose counts: how many points list j as a neighbour
  const inCount = new Int32Array(n + 1);
  for (let t = 0; t < n * k; t++) inCount[indices[t] + 1]++;
  for (let i = 0; i < n; i++) inCount[i + 1] += inCount[i];
  const inFrom = new Int32Array(n * k);
  const inVal = new Float64Array(n * k);
  const fill = inCount.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const at = fill[j]++;
      inFrom[at] = i;
      inVal[at] = pc[i * k + t];
    }
  }
  const rowPtr = new Int32Array(n + 1);
  const cols = new Int32Array(2 * n * k);
  const vals = new Float64Array(2 * n * k);
  const slot = new Int32Array(n).fill(-1);
  let nnz = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const start = nnz;
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const v = pc[i * k + t];
      if (slot[j] < 0) {
        slot[j] = nnz;
        cols[nnz] = j;
        vals[nnz++] = v;
      } else vals[slot[j]] += v;
    }
    for (let a = inCount[i]; a < inCount[i + 1]; a++) {
      const j = inFrom[a];
      if (slot[j] < 0) {
        slot[j] = nnz;
        cols[nnz] = j;
        vals[nnz++] = inVal[a];
      } else vals[slot[j]] += inVal[a];
    }
    // keep the upper triangle (j > i): the lower one mirrors it
    let w = start;
    for (let a = start; a < nnz; a++) {
      slot[cols[a]] = -1;
      total += vals[a];
      if (cols[a] > i) {
        cols[w] = cols[a];
        vals[w++] = vals[a];
      }
    }
    nnz = w;
    // sort this row by column for locality in the gradient loop
    sortRow(cols, vals, start, nnz);
    rowPtr[i + 1] = nnz;
  }
  const scale = 1 / Math.max(total, EPS);
  for (let a = 0; a < nnz; a++) vals[a] *= scale;
  return { n, rowPtr, cols: cols.slice(0, nnz), vals: vals.slice(0, nnz) };
}

function sortRow(cols: Int32Array, vals: Float64Array, a: number, b: number): void {
  // insertion sort: rows are short (<= 2k) and already mostly ordered by the input
  for (let x = a + 1; x < b; x++) {
    const c = cols[x];
    const v = vals[x];
    let y = x - 1;
    while (y >= a && cols[y] > c) {
      cols[y + 1] = cols[y];
      vals[y + 1] = vals[y];
      y--;
    }
    cols[y + 1] = c;
    vals[y + 1] = v;
  }
}
