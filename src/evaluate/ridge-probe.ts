// Linear domain probe solved in closed form (ridge least squares on standardised features) in plain typed arrays.
import { type Matrix, takeRows } from './matrix.js';
import { mulberry32, shuffled, range } from './rng.js';
import { standardisedRidge } from '../math/ridge.js';
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
  // training rows: a's first nTrain draws (y = +1) then b's (y = -1); held-out rows: the rest of a's, then of b's.
  // Each row is copied once, into the solver's float32 input (WebAssembly memory where the kernels load).
  const rows = 2 * nTrain;
  const heldOut = 2 * nHeld;
  const fit = standardisedRidge(rows, heldOut, d, d <= GRAM_MAX_DIM ? { kind: 'cholesky' } : { kind: 'cg', iterations: CG_ITERATIONS });
  const copy = (to: Float32Array, at: number, from: Matrix, row: number) => to.set(from.data.subarray(row * d, row * d + d), at * d);
  for (let r = 0; r < nTrain; r++) { copy(fit.train, r, a, ia[r]!); copy(fit.train, nTrain + r, b, ib[r]!); }
  fit.y.fill(1, 0, nTrain).fill(-1, nTrain);
  for (let r = 0; r < nHeld; r++) { copy(fit.test, r, a, ia[nTrain + r]!); copy(fit.test, nHeld + r, b, ib[nTrain + r]!); }
  const scores = fit.fit((opts.ridge ?? PROBE_RIDGE) * rows);
  let correct = 0;
  for (let r = 0; r < heldOut; r++) if ((scores[r]! > 0) === r < nHeld) correct++;
  const acc = correct / heldOut;
  return {
    accuracy: 100 * acc, aDistance: proxyADistance(1 - acc), heldOut, trained: rows,
    usedPerDomain: n, availablePerDomain: available,
    standardError: 100 * Math.sqrt(Math.max(acc * (1 - acc), 1 / heldOut) / heldOut),
    seed: opts.seed,
  };
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
