// Linear domain probe solved in closed form (ridge least squares on standardised features) in plain typed arrays.
import { type Matrix, takeRows } from './matrix.js';
import { mulberry32, shuffled, range } from './rng.js';
import { ridgeSystem } from '../math/gram.js';
import { PROBE_HELD_OUT_FRACTION, proxyADistance } from './probe.js';

/**
 * Ridge penalty relative to the training rows (lambda = PROBE_RIDGE x n on standardised features, whose Gram diagonal
 * is ~n): 1% shrinkage keeps the solve well posed when the domains separate perfectly, and moves held-out accuracy on
 * the shared runs by < 2 points against the 200-step logistic probe it replaces (healthy 75 vs 75, source_only 97 vs 99).
 */
export const PROBE_RIDGE = 0.01;
/**
 * Rows per domain the quick probe uses at most. 2,000 per domain leaves 600 held out per domain: the held-out
 * accuracy's standard error is at most sqrt(0.25 / 1200) = 1.4 points, well under the 10-point bands the rules read.
 */
export const QUICK_PROBE_MAX_ROWS = 2000;
/** Above this width the d x d Gram matrix costs more than conjugate gradients on the rows (n d^2 / 2 vs iters x 2 n d). */
export const GRAM_MAX_DIM = 512;
/** Conjugate-gradient iterations for wide features: standardised + ridge keeps the system well conditioned. */
export const CG_ITERATIONS = 60;

export interface RidgeProbeResult {
  /** held-out accuracy, percent */
  accuracy: number;
  aDistance: number;
  heldOut: number;
  trained: number;
  /** rows per domain the probe drew from (after any subsample) and the rows available */
  usedPerDomain: number;
  availablePerDomain: number;
  /** standard error of the held-out accuracy, percentage points (binomial, at the measured accuracy) */
  standardError: number;
  seed: number;
}

export interface RidgeProbeOptions {
  seed: number;
  /** rows per domain at most (default: all) */
  maxRowsPerDomain?: number;
  heldOutFraction?: number;
  /** ridge relative to training rows (default PROBE_RIDGE) */
  ridge?: number;
}

/**
 * Separates `a` (+1) from `b` (-1): the larger side is subsampled to the smaller's size (seeded) so chance is 50%,
 * features are standardised with the training split's mean/std, w solves (X'X + lambda I) w = X'y, and the held-out
 * rows are scored by sign(x.w). Balanced classes make the intercept 0 after centring. Returns null when too few rows.
 * Cost: n d^2 / 2 (Gram) + d^3 / 6 (Cholesky) for d <= GRAM_MAX_DIM, else CG_ITERATIONS x 2 n d.
 */
export function ridgeDomainProbe(a: Matrix, b: Matrix, opts: RidgeProbeOptions): RidgeProbeResult | null {
  const rand = mulberry32(opts.seed);
  const available = Math.min(a.rows, b.rows);
  const n = Math.min(available, opts.maxRowsPerDomain ?? Infinity);
  const nHeld = Math.round(n * (opts.heldOutFraction ?? PROBE_HELD_OUT_FRACTION));
  const nTrain = n - nHeld;
  const d = a.cols;
  if (nHeld < 1 || nTrain < 2 || a.cols !== b.cols || d === 0) return null;
  const ia = shuffled(range(a.rows), rand).slice(0, n);
  const ib = shuffled(range(b.rows), rand).slice(0, n);
  // training rows: a's first nTrain draws then b's; held-out rows: the rest of a's, then the rest of b's
  const rows = 2 * nTrain;
  const src = (r: number) => (r < nTrain ? a.data : b.data);
  const at = (r: number) => (r < nTrain ? ia[r]! : ib[r - nTrain]!) * d;

  // the training split's mean/std (constant columns: std 1, they stay 0); rows read in place, no copy
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let r = 0; r < rows; r++) { const x = src(r), o = at(r); for (let j = 0; j < d; j++) mean[j]! += x[o + j]!; }
  for (let j = 0; j < d; j++) mean[j]! /= rows;
  for (let r = 0; r < rows; r++) { const x = src(r), o = at(r); for (let j = 0; j < d; j++) { const v = x[o + j]! - mean[j]!; sq[j]! += v * v; } }
  const inv = new Float64Array(d);
  for (let j = 0; j < d; j++) { const sd = Math.sqrt(sq[j]! / rows); inv[j] = sd > 1e-6 && Number.isFinite(sd) ? 1 / sd : 0; }
  // Standardised values are rounded to float32 (Math.fround), as when they were written back into the float32 rows:
  // the probe's numbers stay those of the snapshot. Written once, straight into the solver's float64 layout (y last).
  const lambda = (opts.ridge ?? PROBE_RIDGE) * rows;
  let w: Float64Array;
  if (d <= GRAM_MAX_DIM) {
    const sys = ridgeSystem(rows, d);
    writeStandardised(sys.x, sys.stride, d, rows, src, at, mean, inv);
    for (let r = 0; r < rows; r++) sys.x[r * sys.stride + d] = r < nTrain ? 1 : -1;
    w = sys.solve(lambda);
  } else {
    const stride = d;
    const train = new Float64Array(rows * stride);
    writeStandardised(train, stride, d, rows, src, at, mean, inv);
    const y = new Float64Array(rows).fill(1, 0, nTrain).fill(-1, nTrain);
    w = solveCg(train, rows, d, stride, y, lambda, CG_ITERATIONS);
  }
  // held-out rows standardised on the fly (same float32 rounding) and scored by sign(x.w)
  let correct = 0;
  const heldOut = 2 * nHeld;
  for (let r = 0; r < heldOut; r++) {
    const fromA = r < nHeld;
    const x = fromA ? a.data : b.data;
    const o = (fromA ? ia[nTrain + r]! : ib[nTrain + r - nHeld]!) * d;
    let s = 0;
    for (let j = 0; j < d; j++) { const v = (x[o + j]! - mean[j]!) * inv[j]!; s += (Number.isFinite(v) ? Math.fround(v) : 0) * w[j]!; }
    if ((s > 0) === fromA) correct++;
  }
  const acc = correct / heldOut;
  return {
    accuracy: 100 * acc, aDistance: proxyADistance(1 - acc), heldOut, trained: rows,
    usedPerDomain: n, availablePerDomain: available,
    standardError: 100 * Math.sqrt(Math.max(acc * (1 - acc), 1 / heldOut) / heldOut),
    seed: opts.seed,
  };
}

/** Rows 0..rows-1 of the training split, standardised and rounded to float32, into out (rows x stride). */
function writeStandardised(
  out: Float64Array, stride: number, d: number, rows: number,
  src: (r: number) => Float32Array, at: (r: number) => number, mean: Float64Array, inv: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const x = src(r), o = at(r), t = r * stride;
    for (let j = 0; j < d; j++) { const v = (x[o + j]! - mean[j]!) * inv[j]!; out[t + j] = Number.isFinite(v) ? Math.fround(v) : 0; }
  }
}

/** The same system by conjugate gradients, touching X (rows x stride) only through X v and X' u (2 n d per iteration). */
function solveCg(data: Float64Array, rows: number, d: number, stride: number, y: Float64Array, lambda: number, iters: number): Float64Array {
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

/**
 * ~20-70 rows per class and domain in 128+ dimensions are linearly separable by chance: a strong ridge (lambda = 10 n,
 * ten times the Gram diagonal) and the mean over a few random splits keep the per-class A-distance from saturating at 2.
 * Mean over classes on the shared runs: source_only 1.80, healthy 0.96, strong_disc 0.67 (lambda = n: 1.74 / 1.48 /
 * 0.91, too close to tell aligned from unaligned classes; the 100-step logistic probe it replaces gave 1.8 / 1.0 / 0.8).
 */
export const PER_CLASS_RIDGE = 10;
export const PER_CLASS_REPEATS = 3;
/** NaN where either domain has fewer rows of the class than this. */
export const PER_CLASS_MIN_ROWS = 8;

/** Source class c vs target class c with the ridge probe, mean over PER_CLASS_REPEATS splits; NaN for thin classes. */
export function perClassADistanceRidge(
  src: Matrix, srcLabels: Int32Array, tgt: Matrix, tgtLabels: Int32Array, numClasses: number, seed: number,
): number[] {
  const rowsOf = (labels: Int32Array, c: number) => { const o: number[] = []; labels.forEach((v, i) => { if (v === c) o.push(i); }); return o; };
  const out: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const is = rowsOf(srcLabels, c);
    const it = rowsOf(tgtLabels, c);
    if (is.length < PER_CLASS_MIN_ROWS || it.length < PER_CLASS_MIN_ROWS) { out.push(NaN); continue; }
    const a = takeRows(src, is);
    const b = takeRows(tgt, it);
    let sum = 0;
    let k = 0;
    for (let rep = 0; rep < PER_CLASS_REPEATS; rep++) {
      const r = ridgeDomainProbe(a, b, { seed: seed + 1 + c * PER_CLASS_REPEATS + rep, ridge: PER_CLASS_RIDGE });
      if (r) { sum += r.aDistance; k++; }
    }
    out.push(k ? sum / k : NaN);
  }
  return out;
}
