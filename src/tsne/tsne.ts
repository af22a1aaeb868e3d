// Synchronous Barnes-Hut t-SNE (PCA -> exact kNN -> perplexity-calibrated sparse P -> gradient descent), like sklearn's.
import type { DenseMatrix } from './matrix.js';
import { pca } from './pca.js';
import { exactKnn } from './knn.js';
import { conditionalP, symmetrizeP } from './affinities.js';
import { QuadTree, bhGradient, mortonOrder } from './barnes-hut.js';
import { createRng } from './prng.js';
import { RepulsionPool } from './repulsion-pool.js';
import { availableParallelism } from 'node:os';

/** sklearn's defaults (TSNE, version >= 1.2), which the bench compares against. */
export const DEFAULT_PERPLEXITY = 30;
export const DEFAULT_ITERATIONS = 1000;
export const DEFAULT_EARLY_EXAGGERATION = 12;
/** sklearn's _EXPLORATION_N_ITER: iterations with exaggerated P and momentum 0.5 */
export const EXAGGERATION_ITERATIONS = 250;
export const DEFAULT_THETA = 0.5;
/** above 1/sqrt(2) a cell could summarise the point inside it and the self-term correction in Z would be wrong */
export const MAX_THETA = Math.SQRT1_2;
/** PCA target before neighbour search: the usual t-SNE preprocessing (van der Maaten 2014, sklearn docs) */
export const DEFAULT_PCA_DIMS = 50;
export const DEFAULT_SEED = 42;
/** sklearn's optimiser constants: momentum per stage, gain step, gain floor, stopping tests */
const MOMENTUM_EARLY = 0.5;
const MOMENTUM_LATE = 0.8;
const MIN_GAIN = 0.01;
const MIN_GRAD_NORM = 1e-7;
const N_ITER_WITHOUT_PROGRESS = 300;
const CHECK_EVERY = 50;
/** Re-sort points along a Z-order curve this often; the layout moves little between iterations. */
const REORDER_EVERY = 10;
/** Below this many points a helper thread costs more to start than it saves. */
export const PARALLEL_MIN_POINTS = 2000;
/** Two threads: the repulsion splits well over two cores, and CI machines here have two. */
const MAX_THREADS = 2;
/** How long the optimiser waits for helper threads to come up before going on alone. */
const HELPER_START_TIMEOUT_MS = 20_000;
/** PCA initialisation scaled so the first axis has std 1e-4 (sklearn init='pca') */
const INIT_STD = 1e-4;

export interface TsneOptions {
  perplexity?: number;
  /** total iterations including the exaggeration stage (sklearn's max_iter / n_iter) */
  iterations?: number;
  earlyExaggeration?: number;
  exaggerationIterations?: number;
  /** 'auto' = max(n / earlyExaggeration / 4, 50), as sklearn >= 1.2 */
  learningRate?: number | 'auto';
  theta?: number;
  /** reduce to this many dimensions with PCA first; 0 = no PCA */
  pcaDims?: number;
  init?: 'pca' | 'random';
  seed?: number;
  /** stop early like sklearn (no KL progress for 300 iterations, or gradient norm < 1e-7) */
  earlyStopping?: boolean;
  /** progress every this many iterations (default 50) */
  progressEvery?: number;
  /**
   * threads for the Barnes-Hut repulsion (default: 2 when n >= 2,000 and the machine has 2 cores, else 1).
   * The result is the same for any thread count (per-chunk partial sums are added in a fixed order).
   */
  threads?: number;
}

export type TsnePhase = 'pca' | 'neighbours' | 'affinities' | 'optimize' | 'done';

export interface TsneProgress {
  phase: TsnePhase;
  iteration: number;
  totalIterations: number;
  /** KL divergence at the last check (exaggerated P during the first stage, as sklearn reports it) */
  kl?: number;
  elapsedMs: number;
}

export interface TsneResult {
  /** n x 2 interleaved (x0, y0, x1, y1, ...) */
  embedding: Float64Array;
  n: number;
  iterations: number;
  kl: number;
  learningRate: number;
  perplexity: number;
  seed: number;
  /** milliseconds per phase */
  timings: { pca: number; neighbours: number; affinities: number; optimize: number; total: number };
}

export function resolvedLearningRate(n: number, o: TsneOptions): number {
  const exag = o.earlyExaggeration ?? DEFAULT_EARLY_EXAGGERATION;
  const lr = o.learningRate ?? 'auto';
  return lr === 'auto' ? Math.max(n / exag / 4, 50) : lr;
}

/**
 * Embeds the rows of `x` in 2-D. Deterministic for a given seed. Cost: PCA O(n d^2), kNN O(n^2 * 50),
 * then O(n log n) per iteration (5,000 points, 1,000 iterations: a few seconds).
 * Perplexity is clamped to (n - 1) / 3 so tiny inputs still work (a note for the caller to show).
 */
export function tsne(x: DenseMatrix, opts: TsneOptions = {}, onProgress?: (p: TsneProgress) => void): TsneResult {
  const t0 = performance.now();
  const n = x.rows;
  const seed = opts.seed ?? DEFAULT_SEED;
  const iterations = opts.iterations ?? DEFAULT_ITERATIONS;
  const exag = opts.earlyExaggeration ?? DEFAULT_EARLY_EXAGGERATION;
  const exagIters = Math.min(opts.exaggerationIterations ?? EXAGGERATION_ITERATIONS, iterations);
  const theta = Math.min(opts.theta ?? DEFAULT_THETA, MAX_THETA);
  const every = opts.progressEvery ?? CHECK_EVERY;
  const earlyStopping = opts.earlyStopping ?? true;
  const perplexity = Math.max(1, Math.min(opts.perplexity ?? DEFAULT_PERPLEXITY, (n - 1) / 3));
  const learningRate = resolvedLearningRate(n, opts);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) throw new Error(`t-SNE input has a non-finite value at row ${Math.floor(i / x.cols)}, column ${i % x.cols}`);
  }
  const emit = (phase: TsnePhase, iteration: number, kl?: number) =>
    onProgress?.({ phase, iteration, totalIterations: iterations, kl, elapsedMs: performance.now() - t0 });
  const embedding = new Float64Array(2 * n);
  const timings = { pca: 0, neighbours: 0, affinities: 0, optimize: 0, total: 0 };
  if (n < 2) {
    timings.total = performance.now() - t0;
    return { embedding, n, iterations: 0, kl: 0, learningRate, perplexity, seed, timings };
  }

  const threads = Math.max(1, Math.floor(opts.threads ?? (n >= PARALLEL_MIN_POINTS ? Math.min(MAX_THREADS, availableParallelism()) : 1)));
  // helpers load while PCA and kNN run
  const pool = threads > 1 ? RepulsionPool.start(threads - 1, n) : undefined;
  try {
    return optimiseAll();
  } finally {
    pool?.close();
  }

  // the body proper; a function so the helper pool is closed on every exit path (return or throw)
  function optimiseAll(): TsneResult {
    emit('pca', 0);
    const pcaDims = opts.pcaDims ?? DEFAULT_PCA_DIMS;
    let data: DenseMatrix = x;
    let t = performance.now();
    if (pcaDims > 0 && (x.cols > pcaDims || (opts.init ?? 'pca') === 'pca')) data = pca(x, Math.min(pcaDims, x.cols), seed).projected;
    timings.pca = performance.now() - t;

    emit('neighbours', 0);
    t = performance.now();
    const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
    const nn = exactKnn(data, k);
    timings.neighbours = performance.now() - t;

    emit('affinities', 0);
    t = performance.now();
    const P = symmetrizeP(nn, conditionalP(nn, n, perplexity), n);
    timings.affinities = performance.now() - t;

    t = performance.now();
    const rng = createRng(seed);
    if ((opts.init ?? 'pca') === 'pca' && data !== x && data.cols >= 2) {
      // the PCA'd data's first two columns are its top-2 principal components
      let mean = 0;
      for (let i = 0; i < n; i++) mean += data.data[i * data.cols];
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (data.data[i * data.cols] - mean) ** 2;
      const std = Math.sqrt(v / n) || 1;
      for (let i = 0; i < n; i++) {
        embedding[2 * i] = (data.data[i * data.cols] / std) * INIT_STD;
        embedding[2 * i + 1] = (data.data[i * data.cols + 1] / std) * INIT_STD;
      }
    } else {
      for (let i = 0; i < 2 * n; i++) embedding[i] = rng.normal() * INIT_STD;
    }

    const usePool = pool && pool.waitReady(HELPER_START_TIMEOUT_MS) ? pool : undefined;
    const grad = new Float64Array(2 * n);
    const update = new Float64Array(2 * n);
    const gains = new Float64Array(2 * n);
    const scratch = new Float64Array(2 * n);
    const tree = new QuadTree();
    const order = new Int32Array(n);
    const orderKeys = new Float64Array(n);
    let kl = 0;
    let it = 0;
    emit('optimize', 0);
    // two stages as sklearn: exaggerated P with momentum 0.5, then plain P with momentum 0.8; update and gains restart
    for (const stage of [
      { until: exagIters, momentum: MOMENTUM_EARLY, exaggeration: exag },
      { until: iterations, momentum: MOMENTUM_LATE, exaggeration: 1 },
    ]) {
      update.fill(0);
      gains.fill(1);
      let bestKl = Infinity;
      let bestIter = it;
      for (; it < stage.until; it++) {
        const check = (it + 1) % every === 0 || it === stage.until - 1;
        if (it % REORDER_EVERY === 0) mortonOrder(embedding, n, order, orderKeys);
        const err = bhGradient(embedding, n, P, stage.exaggeration, theta, tree, grad, scratch, check, order, usePool);
        let gradNorm2 = 0;
        for (let c = 0; c < 2 * n; c++) {
          const g = grad[c];
          // gains grow where the gradient keeps its sign relative to the last update, shrink where it flips
          let gain = update[c] * g < 0 ? gains[c] + 0.2 : gains[c] * 0.8;
          if (gain < MIN_GAIN) gain = MIN_GAIN;
          gains[c] = gain;
          const u = stage.momentum * update[c] - learningRate * gain * g;
          update[c] = u;
          embedding[c] += u;
          if (check) gradNorm2 += g * g;
        }
        if (check) {
          kl = err;
          emit('optimize', it + 1, kl);
          if (earlyStopping) {
            if (kl < bestKl) {
              bestKl = kl;
              bestIter = it;
            } else if (it - bestIter > N_ITER_WITHOUT_PROGRESS) {
              it++;
              break;
            }
            if (Math.sqrt(gradNorm2) < MIN_GRAD_NORM) {
              it++;
              break;
            }
          }
        }
      }
      // a stage that stopped early still hands over at its boundary, as sklearn's two _gradient_descent calls do
      if (stage.until !== iterations) it = stage.until;
    }
    timings.optimize = performance.now() - t;
    timings.total = performance.now() - t0;
    emit('done', it, kl);
    return { embedding, n, iterations: it, kl, learningRate, perplexity, seed, timings };
  }
}
