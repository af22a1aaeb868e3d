// Barnes-Hut t-SNE gradient in 2-D: a quadtree rebuilt each iteration in flat typed arrays, walked without recursion.
import type { SparseP } from './affinities.js';

/** Below this cell half-width points count as coincident and share one leaf (guards infinite splitting). */
const MIN_HALF_WIDTH = 1e-12;
/** Floor inside log() of the KL divergence, as sklearn's MACHINE_EPSILON (float32). */
const KL_EPS = 1.1920929e-7;

/**
 * A region quadtree over the embedding, reused between iterations (arrays grow, never shrink).
 * Children of a node are 4 consecutive nodes starting at `firstChild` (-1 for a leaf).
 */
export class QuadTree {
  cap = 0;
  size = 0;
  firstChild = new Int32Array(0);
  /** a point stored in a leaf (-1 when empty) */
  point = new Int32Array(0);
  count = new Int32Array(0);
  sumX = new Float64Array(0);
  sumY = new Float64Array(0);
  cx = new Float64Array(0);
  cy = new Float64Array(0);
  half = new Float64Array(0);
  /** non-empty nodes in preorder for the walk, see packPreorder() */
  summary = new Float64Array(0);
  /** per packed node: the index just past its subtree (Int32 so the walk index stays a small integer) */
  skip = new Int32Array(0);
  packed = 0;
  private packStack = new Int32Array(0);
  private packSlot = new Int32Array(0);

  private ensure(cap: number): void {
    if (cap <= this.cap) return;
    const grow = <T extends Int32Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      b.set(a.subarray(0, Math.min(a.length, n)));
      return b;
    };
    const c = Math.max(cap, this.cap * 2, 64);
    this.firstChild = grow(this.firstChild, c);
    this.point = grow(this.point, c);
    this.count = grow(this.count, c);
    this.sumX = grow(this.sumX, c);
    this.sumY = grow(this.sumY, c);
    this.cx = grow(this.cx, c);
    this.cy = grow(this.cy, c);
    this.half = grow(this.half, c);
    this.summary = grow(this.summary, c * 4);
    this.skip = grow(this.skip, c);
    this.cap = c;
  }

  private reset(node: number, cx: number, cy: number, half: number): void {
    this.firstChild[node] = -1;
    this.point[node] = -1;
    this.count[node] = 0;
    this.sumX[node] = 0;
    this.sumY[node] = 0;
    this.cx[node] = cx;
    this.cy[node] = cy;
    this.half[node] = half;
  }

  private split(node: number): void {
    if (this.size + 4 > this.cap) this.ensure(this.size + 4);
    const c = this.size;
    this.size += 4;
    const h = this.half[node] / 2;
    const x = this.cx[node];
    const y = this.cy[node];
    // quadrant index = (x >= cx) + 2 * (y >= cy)
    this.reset(c, x - h, y - h, h);
    this.reset(c + 1, x + h, y - h, h);
    this.reset(c + 2, x - h, y + h, h);
    this.reset(c + 3, x + h, y + h, h);
    this.firstChild[node] = c;
  }

  /** Rebuilds the tree over the n points of `y` (interleaved x, y). Cost O(n log n). */
  build(y: Float64Array, n: number): void {
    this.ensure(4 * n + 8);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const px = y[2 * i], py = y[2 * i + 1];
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
    }
    const half = (Math.max(maxX - minX, maxY - minY) / 2) * (1 + 1e-5) + 1e-10;
    this.size = 1;
    this.reset(0, (minX + maxX) / 2, (minY + maxY) / 2, half);
    const { firstChild, point, count, sumX, sumY } = this;
    for (let p = 0; p < n; p++) {
      const px = y[2 * p], py = y[2 * p + 1];
      let node = 0;
      for (;;) {
        count[node]++;
        sumX[node] += px;
        sumY[node] += py;
        const fc = this.firstChild[node];
        if (fc >= 0) {
          node = fc + (px >= this.cx[node] ? 1 : 0) + (py >= this.cy[node] ? 2 : 0);
          continue;
        }
        if (count[node] === 1) {
          point[node] = p;
          break;
        }
        if (this.half[node] < MIN_HALF_WIDTH) break; // coincident points share this leaf
        // occupied leaf: push its point down one level, then keep descending with p
        const q = point[node];
        point[node] = -1;
        this.split(node);
        const qx = y[2 * q], qy = y[2 * q + 1];
        const fc2 = this.firstChild[node];
        const qc = fc2 + (qx >= this.cx[node] ? 1 : 0) + (qy >= this.cy[node] ? 2 : 0);
        this.count[qc] = 1;
        this.sumX[qc] = qx;
        this.sumY[qc] = qy;
        this.point[qc] = q;
        node = fc2 + (px >= this.cx[node] ? 1 : 0) + (py >= this.cy[node] ? 2 : 0);
      }
      // the arrays may have been reallocated by split(); refresh the locals
      if (firstChild !== this.firstChild) return this.build(y, n);
    }
    this.packPreorder();
  }

  /**
   * Lays the non-empty nodes out in depth-first preorder, 4 doubles each: comX, comY, width^2 (-1 for a leaf),
   * count; `skip` holds the index just past each node's subtree. A walk is then one forward pass with no stack:
   * a summarised node jumps to its skip index, an opened one steps to the next node (its first child).
   */
  private packPreorder(): void {
    const s = this.summary;
    const skip = this.skip;
    const stack = this.packStack.length >= 2 * this.size + 16 ? this.packStack : (this.packStack = new Int32Array(2 * this.size + 16));
    const slot = this.packSlot.length >= this.size ? this.packSlot : (this.packSlot = new Int32Array(this.size + 16));
    // iterative preorder: push children in reverse so the first child is emitted first; a -1 entry closes a subtree
    let top = 0;
    let m = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (node < 0) {
        const at = slot[~node];
        skip[at] = m;
        continue;
      }
      const c = this.count[node];
      if (c === 0) continue;
      const o = m * 4;
      s[o] = this.sumX[node] / c;
      s[o + 1] = this.sumY[node] / c;
      const fc = this.firstChild[node];
      const w = 2 * this.half[node];
      s[o + 2] = fc < 0 ? -1 : w * w;
      s[o + 3] = c;
      if (fc < 0) {
        skip[m] = m + 1;
        m++;
        continue;
      }
      slot[node] = m;
      m++;
      stack[top++] = ~node;
      stack[top++] = fc + 3;
      stack[top++] = fc + 2;
      stack[top++] = fc + 1;
      stack[top++] = fc;
    }
    this.packed = m;
  }
}

/** Points per work chunk: per-chunk partial sums keep Z identical whatever thread ran which chunk. */
export const REPULSION_CHUNK = 256;

/**
 * Barnes-Hut repulsion for the points order[lo..hi) (all of them when order is absent): writes
 * sum_j (q_ij Z)^2 (y_i - y_j) into neg and adds each chunk's sum_j q_ij Z into qChunks[chunk]. Pure over its
 * inputs, so helper threads run exactly this on shared memory.
 */
export function repulseRange(
  y: Float64Array,
  order: Int32Array | undefined,
  s: Float64Array,
  skip: Int32Array,
  m: number,
  theta2: number,
  lo: number,
  hi: number,
  neg: Float64Array,
  qChunks: Float64Array,
): void {
  let q = 0;
  for (let oi = lo; oi < hi; oi++) {
    // visiting points in spatial order keeps consecutive walks on the same branches (cache, branch prediction)
    const i = order ? order[oi] : oi;
    const yi0 = y[2 * i], yi1 = y[2 * i + 1];
    let fx = 0, fy = 0;
    let p = 0;
    while (p < m) {
      const o = p * 4;
      const dx = yi0 - s[o];
      const dy = yi1 - s[o + 1];
      const d2 = dx * dx + dy * dy;
      if (s[o + 2] < theta2 * d2) {
        // a leaf (width^2 = -1) or a cell far enough to act as one body; includes i's own leaf (q = 1, no force)
        const qz = 1 / (1 + d2);
        const cq = s[o + 3] * qz;
        q += cq;
        const f = cq * qz;
        fx += f * dx;
        fy += f * dy;
        p = skip[p];
      } else p++;
    }
    neg[2 * i] = fx;
    neg[2 * i + 1] = fy;
  }
  qChunks[Math.floor(lo / REPULSION_CHUNK)] += q;
}

/** Something that computes the repulsion of all points on several threads (see repulsion-pool.ts). */
export interface RepulsionRunner {
  /** false when it cannot (tree too big for its shared buffers): the caller computes on this thread */
  run(y: Float64Array, order: Int32Array | undefined, tree: QuadTree, theta2: number, n: number, neg: Float64Array, qChunks: Float64Array): boolean;
}

/**
 * Writes the t-SNE gradient (dC/dy, interleaved x, y) for embedding `y` into `grad`:
 * 4 * (sum_j p_ij q_ij Z (y_i - y_j) - sum_j (q_ij Z)^2 (y_i - y_j) / Z), the repulsive sum approximated by
 * Barnes-Hut with opening angle `theta`. Returns the KL divergence when `withError` (an extra O(nnz) pass).
 */
export function bhGradient(
  y: Float64Array,
  n: number,
  P: SparseP,
  exaggeration: number,
  theta: number,
  tree: QuadTree,
  grad: Float64Array,
  negScratch: Float64Array,
  withError: boolean,
  order?: Int32Array,
  pool?: RepulsionRunner,
): number {
  tree.build(y, n);
  const theta2 = theta * theta;
  const chunks = Math.ceil(n / REPULSION_CHUNK);
  const qChunks = new Float64Array(chunks);
  if (!pool || !pool.run(y, order, tree, theta2, n, negScratch, qChunks)) {
    for (let c = 0; c < chunks; c++) repulseRange(y, order, tree.summary, tree.skip, tree.packed, theta2, c * REPULSION_CHUNK, Math.min(n, (c + 1) * REPULSION_CHUNK), negScratch, qChunks);
  }
  let sumQ = 0;
  for (let c = 0; c < chunks; c++) sumQ += qChunks[c];
  // every point met its own leaf at distance 0 (a cell holding i is never summarised: i lies within sqrt(2) widths
  // of its centre of mass, and theta <= 1/sqrt(2), see MAX_THETA in tsne.ts), which added exactly 1 per point to Z.
  // attractive forces: P is symmetric, so each stored pair (upper triangle) pushes i and j in opposite directions
  const { rowPtr, cols, vals } = P;
  sumQ -= n;
  const invZ = 1 / Math.max(sumQ, KL_EPS);
  for (let c = 0; c < 2 * n; c++) grad[c] = 0;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const yi0 = y[2 * i], yi1 = y[2 * i + 1];
    let ax = 0, ay = 0;
    const end = rowPtr[i + 1];
    for (let a = rowPtr[i]; a < end; a++) {
      const j = cols[a];
      const dx = yi0 - y[2 * j];
      const dy = yi1 - y[2 * j + 1];
      const qz = 1 / (1 + dx * dx + dy * dy);
      const pij = vals[a] * exaggeration;
      const f = pij * qz;
      ax += f * dx;
      ay += f * dy;
      grad[2 * j] -= f * dx;
      grad[2 * j + 1] -= f * dy;
      // both (i, j) and (j, i) terms of the KL sum
      if (withError) kl += 2 * pij * Math.log(Math.max(pij, KL_EPS) / Math.max(qz * invZ, KL_EPS));
    }
    grad[2 * i] += ax;
    grad[2 * i + 1] += ay;
  }
  for (let i = 0; i < 2 * n; i++) grad[i] = 4 * (grad[i] - negScratch[i] * invZ);
  return kl;
}

/** Bits per axis of the Morton (Z-order) code: 2 x 13 bits, times 2^26, plus the index (< 2^26) stays exact in a double. */
const MORTON_BITS = 13;
const INDEX_SPAN = 2 ** 26;

function spread16(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Writes into `order` the point indices sorted along a Z-order curve over the embedding. O(n log n). */
export function mortonOrder(y: Float64Array, n: number, order: Int32Array, keys: Float64Array): void {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const px = y[2 * i], py = y[2 * i + 1];
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  const scale = ((1 << MORTON_BITS) - 1) / Math.max(maxX - minX, maxY - minY, 1e-300);
  for (let i = 0; i < n; i++) {
    const qx = Math.floor((y[2 * i] - minX) * scale);
    const qy = Math.floor((y[2 * i + 1] - minY) * scale);
    const code = (spread16(qx) | (spread16(qy) << 1)) >>> 0;
    keys[i] = code * INDEX_SPAN + i; // index in the low bits: unique keys, stable ties
  }
  const k = keys.subarray(0, n);
  k.sort();
  for (let i = 0; i < n; i++) order[i] = k[i] % INDEX_SPAN;
}
