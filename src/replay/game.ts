// One replay of the domain-adversarial game on frozen backbone features: bottleneck + head + DomainDiscriminator
// trained as tllib's dann.py / cdan.py train them, then scored on held-out rows.
import type { Tf } from '../evaluate/backend.js';
import type { Matrix } from '../evaluate/matrix.js';
import { takeRows } from '../evaluate/matrix.js';
import { matMulWithFastGrad } from '../evaluate/linear-op.js';
import { trainDomainProbe } from '../evaluate/probe.js';
import { mulberry32, shuffled, range, torchLinearInit } from '../evaluate/rng.js';
import { learningRateAt, reversalAt, runIterationAt } from './schedules.js';
import type { ReplayConfig, ReplayTrial } from '../report/replay-schema.js';
import { yieldToEventLoop } from '../runtime/yield-to-event-loop.js';

/** torch.nn.BatchNorm1d defaults. */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;
/** tllib DomainDiscriminator without BatchNorm: Dropout(0.5) after each hidden ReLU. */
export const DISC_DROPOUT = 0.5;
/**
 * tllib's ConditionalDomainAdversarialLoss uses the full multilinear map f (x) g while features x classes <= 4096,
 * and a randomized multilinear map of output 1024 above it.
 */
export const CDAN_MAX_MULTILINEAR = 4096;
export const CDAN_RANDOM_DIM = 1024;
/** Domain accuracy of the last fifth of the replay is what a user would read off tllib's meter at the end. */
export const REPLAY_TAIL_FRACTION = 0.2;
/** Points of the domain-accuracy curve kept for a sparkline. */
export const REPLAY_CURVE_POINTS = 12;
/**
 * Steps between yields to the event loop: the replay runs on the main thread, and Ctrl-C, progress and the UI must
 * get a turn (one step is ~10-100 ms on wasm, so a stop is noticed within about a second).
 */
export const YIELD_EVERY_STEPS = 10;

/** The replay's data: training rows (target labels unused) and held-out rows for scoring. */
export interface ReplaySplit {
  sourceTrain: Matrix;
  sourceTrainLabels: Int32Array;
  targetTrain: Matrix;
  sourceHeld: Matrix;
  sourceHeldLabels: Int32Array;
  targetHeld: Matrix;
  /** null when the dump has no target labels */
  targetHeldLabels: Int32Array | null;
  classes: number;
}

export interface TrialOptions {
  seed: number;
  iterations: number;
  /** called every few steps; return value ignored */
  onStep?: (step: number, iterations: number) => void;
  /** checked every step: a set signal stops the replay (throws an AbortError) */
  signal?: AbortSignal;
}

type T1 = ReturnType<Tf['tensor1d']>;
type T2 = ReturnType<Tf['tensor2d']>;
type Var = ReturnType<Tf['variable']>;

interface Dense { w: Var; b: Var; }
interface Norm { gamma: Var; beta: Var; mean: Var; variance: Var; }

/**
 * Plays `opts.iterations` steps of the configured game and scores it. Deterministic for a seed on one backend.
 * Cost per step: 3 x 2B x (d*b + b*C + h_in*H + H^2 + H) multiply-adds (H = discHidden, h_in = b or b*C for CDAN);
 * at d = b = 128, H = 1024, B = 32 about 0.3 GFLOP.
 */
export async function playTrial(tf: Tf, split: ReplaySplit, cfg: ReplayConfig, opts: TrialOptions): Promise<ReplayTrial> {
  const t0 = performance.now();
  const rand = mulberry32(opts.seed * 2654435761 + 17);
  const d = split.sourceTrain.cols;
  const C = split.classes;
  const bDim = cfg.bottleneckDim;
  const H = cfg.discHidden;
  const adversarial = cfg.algorithm !== 'source-only' && cfg.tradeOff !== 0;
  const conditional = cfg.algorithm === 'cdan' || cfg.algorithm === 'cdan+e';
  const randomized = conditional && bDim * C > CDAN_MAX_MULTILINEAR;
  const discIn = !conditional ? bDim : randomized ? CDAN_RANDOM_DIM : bDim * C;
  const B = Math.max(2, Math.min(cfg.batchSize, split.sourceTrain.rows, split.targetTrain.rows));

  const variable = (data: Float32Array, shape: number[], trainable = true): Var => tf.tidy(() => tf.variable(tf.tensor(data, shape), trainable));
  const dense = (fanIn: number, fanOut: number): Dense => ({
    w: variable(torchLinearInit(fanIn * fanOut, fanIn, rand), [fanIn, fanOut]),
    b: variable(torchLinearInit(fanOut, fanIn, rand), [fanOut]),
  });
  const norm = (n: number): Norm => ({
    gamma: variable(new Float32Array(n).fill(1), [n]),
    beta: variable(new Float32Array(n), [n]),
    mean: variable(new Float32Array(n), [n], false),
    variance: variable(new Float32Array(n).fill(1), [n], false),
  });
  // tllib ImageClassifier: bottleneck = Linear -> BatchNorm1d -> ReLU; head = Linear.
  const bottleneck = dense(d, bDim);
  const bottleneckNorm = norm(bDim);
  const head = dense(bDim, C);
  // tllib DomainDiscriminator: Linear-BN-ReLU x2 -> Linear(1), or Linear-ReLU-Dropout x2 -> Linear(1).
  const disc1 = dense(discIn, H);
  const disc2 = dense(H, H);
  const disc3 = dense(H, 1);
  const discNorm1 = cfg.discBatchNorm ? norm(H) : undefined;
  const discNorm2 = cfg.discBatchNorm ? norm(H) : undefined;
  // Randomized multilinear map: fixed random matrices (torch.randn), not trained.
  const randF = randomized ? variable(gaussian(bDim * CDAN_RANDOM_DIM, rand), [bDim, CDAN_RANDOM_DIM], false) : undefined;
  const randG = randomized ? variable(gaussian(C * CDAN_RANDOM_DIM, rand), [C, CDAN_RANDOM_DIM], false) : undefined;

  const groups: { vars: Var[]; mult: number }[] = [
    { vars: [bottleneck.w, bottleneck.b, bottleneckNorm.gamma, bottleneckNorm.beta, head.w, head.b], mult: 1 },
  ];
  if (adversarial) {
    groups.push({
      vars: [disc1.w, disc1.b, disc2.w, disc2.b, disc3.w, disc3.b, ...(discNorm1 && discNorm2 ? [discNorm1.gamma, discNorm1.beta, discNorm2.gamma, discNorm2.beta] : [])],
      mult: cfg.discLrMult,
    });
  }
  const trainable = groups.flatMap((g) => g.vars);
  const momentum = new Map<Var, ReturnType<Tf['zerosLike']>>();
  const everything: Var[] = [...trainable, bottleneckNorm.mean, bottleneckNorm.variance, ...(discNorm1 && discNorm2 ? [discNorm1.mean, discNorm1.variance, discNorm2.mean, discNorm2.variance] : []), ...(randF && randG ? [randF, randG] : [])];

  const matMul = matMulWithFastGrad(tf);
  const pending: { norm: Norm; mean: T1; variance: T1; rows: number }[] = [];
  const batchNorm = (z: T2, n: Norm, training: boolean): T2 => {
    if (!training) return tf.batchNorm(z, n.mean, n.variance, n.beta, n.gamma, BN_EPS) as T2;
    const m = tf.moments(z, 0);
    pending.push({ norm: n, mean: tf.keep(m.mean.clone()) as T1, variance: tf.keep(m.variance.clone()) as T1, rows: z.shape[0] });
    return tf.batchNorm(z, m.mean, m.variance, n.beta, n.gamma, BN_EPS) as T2;
  };
  const features = (x: T2, training: boolean): T2 =>
    tf.relu(batchNorm(tf.add(matMul(x, bottleneck.w as unknown as T2), bottleneck.b) as T2, bottleneckNorm, training)) as T2;
  const classify = (f: T2): T2 => tf.add(matMul(f, head.w as unknown as T2), head.b) as T2;
  const discriminate = (h: T2, training: boolean, step: number): T2 => {
    const block = (x: T2, l: Dense, n: Norm | undefined, k: number): T2 => {
      let z = tf.add(matMul(x, l.w as unknown as T2), l.b) as T2;
      if (n) z = batchNorm(z, n, training);
      z = tf.relu(z) as T2;
      if (!n && training) z = tf.dropout(z, DISC_DROPOUT, undefined, (opts.seed * 1000003 + step * 2 + k) >>> 0) as T2;
      return z;
    };
    return tf.add(matMul(block(block(h, disc1, discNorm1, 0), disc2, discNorm2, 1), disc3.w as unknown as T2), disc3.b) as T2;
  };
  // The conditioning of CDAN: f (x) softmax(g), with g detached as tllib does.
  const detach = tf.customGrad((...args: unknown[]) => {
    const [h] = args as [T2];
    return { value: tf.clone(h), gradFunc: (dy: unknown) => tf.zerosLike(dy as T2) };
  });
  const condition = (f: T2, logits: T2): T2 => {
    const g = detach(tf.softmax(logits)) as T2;
    if (!conditional) return f;
    if (randomized) {
      return tf.div(tf.mul(tf.matMul(f, randF as unknown as T2), tf.matMul(g, randG as unknown as T2)), Math.sqrt(CDAN_RANDOM_DIM)) as T2;
    }
    const n = f.shape[0];
    return tf.reshape(tf.mul(tf.reshape(f, [n, bDim, 1]), tf.reshape(g, [n, 1, C])), [n, bDim * C]) as T2;
  };

  const loop = trialLoop(split, B, rand, opts);
  const domainY = new Float32Array(2 * B).fill(1, 0, B); // source = 1, target = 0 (tllib DomainAdversarialLoss)
  let diverged = false;
  let step = 0;
  try {
    for (step = 1; step <= opts.iterations; step++) {
      if (opts.signal?.aborted) throw abortError();
      const runIter = runIterationAt(step - 1, opts.iterations, cfg);
      const coeff = reversalAt(runIter, cfg);
      const { si, ti } = loop.batch();
      const xs = takeRows(split.sourceTrain, si);
      const xt = takeRows(split.targetTrain, ti);
      const ys = Int32Array.from(si, (i) => split.sourceTrainLabels[i]!);
      const x = new Float32Array(2 * B * d);
      x.set(xs.data, 0);
      x.set(xt.data, B * d);
      let domainAcc = NaN;
      let lossValue = 0;
      tf.tidy(() => {
        const xT = tf.tensor2d(x, [2 * B, d]);
        const yS = tf.oneHot(tf.tensor1d(ys, 'int32'), C);
        const dY = tf.tensor2d(domainY, [2 * B, 1]);
        const reverse = tf.customGrad((...args: unknown[]) => {
          const [h] = args as [T2];
          return { value: tf.clone(h), gradFunc: (dy: unknown) => tf.mul(dy as T2, -coeff) };
        });
        let accT: ReturnType<Tf['scalar']> | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const f = features(xT, true);
          const logits = classify(f);
          const cls = tf.losses.softmaxCrossEntropy(yS, tf.slice(logits, [0, 0], [B, C]));
          if (!adversarial) return cls as ReturnType<Tf['scalar']>;
          const h = condition(f, logits);
          const dl = discriminate(reverse(h) as T2, true, step);
          accT = tf.keep(tf.mean(tf.cast(tf.equal(tf.greater(dl, 0), tf.cast(dY, 'bool')), 'float32'))) as ReturnType<Tf['scalar']>;
          let weights: T2 | undefined;
          if (cfg.algorithm === 'cdan+e') {
            // Entropy conditioning: w = 1 + exp(-H(p)), normalised to mean 1 within each domain.
            const p = detach(tf.softmax(logits)) as T2;
            const ent = tf.neg(tf.sum(tf.mul(p, tf.log(tf.add(p, 1e-5))), 1, true));
            const w = tf.add(1, tf.exp(tf.neg(ent))) as T2;
            const ws = tf.slice(w, [0, 0], [B, 1]);
            const wt = tf.slice(w, [B, 0], [B, 1]);
            weights = tf.concat([tf.div(tf.mul(ws, B), tf.sum(ws)), tf.div(tf.mul(wt, B), tf.sum(wt))], 0) as T2;
          }
          // 0.5 * (BCE_source + BCE_target), each a mean over its B rows = the mean over all 2B rows.
          const transfer = tf.losses.sigmoidCrossEntropy(dY, dl, weights, undefined, tf.Reduction.MEAN);
          return tf.add(cls, tf.mul(transfer, cfg.tradeOff)) as ReturnType<Tf['scalar']>;
        }, trainable);
        lossValue = value.dataSync()[0]!;
        if (accT) { domainAcc = 100 * accT.dataSync()[0]!; accT.dispose(); }
        if (!Number.isFinite(lossValue)) { diverged = true; return; }
        // PyTorch SGD(momentum, weight_decay, nesterov=True) as tllib builds it, per parameter group's lr multiplier.
        for (const g of groups) {
          const lr = learningRateAt(runIter, cfg, g.mult);
          for (const v of g.vars) {
            const grad = tf.add(grads[v.name]!, tf.mul(v, cfg.weightDecay));
            const prev = momentum.get(v);
            const buf = prev ? tf.add(tf.mul(prev, cfg.momentum), grad) : grad;
            const next = tf.keep(buf.clone());
            if (prev) prev.dispose();
            momentum.set(v, next);
            v.assign(tf.sub(v, tf.mul(tf.add(grad, tf.mul(next, cfg.momentum)), lr)));
          }
        }
        // Running statistics as torch keeps them: unbiased batch variance, momentum 0.1.
        for (const p of pending) {
          const unbias = p.rows / Math.max(1, p.rows - 1);
          p.norm.mean.assign(tf.add(tf.mul(p.norm.mean, 1 - BN_MOMENTUM), tf.mul(p.mean, BN_MOMENTUM)));
          p.norm.variance.assign(tf.add(tf.mul(p.norm.variance, 1 - BN_MOMENTUM), tf.mul(p.variance, BN_MOMENTUM * unbias)));
        }
      });
      for (const p of pending) { p.mean.dispose(); p.variance.dispose(); }
      pending.length = 0;
      if (diverged) break;
      if (Number.isFinite(domainAcc)) loop.recordDomainAcc(step, domainAcc);
      await loop.tick(step);
    }
    // Score in eval mode: running BatchNorm statistics, no dropout.
    const score = (m: Matrix): { pred: Int32Array; feats: Matrix } => tf.tidy(() => {
      const f = features(tf.tensor2d(m.data, [m.rows, d]), false);
      const pred = tf.argMax(classify(f), 1).dataSync() as Int32Array;
      return { pred: Int32Array.from(pred), feats: { rows: m.rows, cols: bDim, data: Float32Array.from(f.dataSync() as Float32Array) } };
    });
    return scoreTrial(tf, split, score, { seed: opts.seed, iterations: opts.iterations, stepsRun: step, diverged, tailAcc: loop.tailAcc, curve: loop.curve, t0 });
  } finally {
    tf.dispose([...everything, ...momentum.values()]);
    for (const p of pending) { p.mean.dispose(); p.variance.dispose(); }
  }
}

/** How a trial went, for scoreTrial: the steps it ran and the domain accuracies it saw. */
/** What one trial's step loop needs besides the game itself; the same for the TF.js and the onnxruntime engine. */
export interface TrialLoop {
  /** the next B source and B target training rows: without replacement, a fresh shuffle when a domain runs short */
  batch(): { si: number[]; ti: number[] };
  /** one step's domain accuracy: kept for the tail mean (last REPLAY_TAIL_FRACTION) and averaged into the curve */
  recordDomainAcc(step: number, acc: number): void;
  /** progress, and a turn of the event loop every YIELD_EVERY_STEPS steps (Ctrl-C and the UI stay live) */
  tick(step: number): Promise<void>;
  tailAcc: number[];
  curve: number[];
}

export function trialLoop(split: ReplaySplit, B: number, rand: () => number, opts: Pick<TrialOptions, 'iterations' | 'onStep'>): TrialLoop {
  const sOrder: number[] = [];
  const tOrder: number[] = [];
  const take = (order: number[], rows: number): number[] => {
    if (order.length < B) order.push(...shuffled(range(rows), rand));
    return order.splice(0, B);
  };
  const tail = Math.max(1, Math.round(opts.iterations * REPLAY_TAIL_FRACTION));
  const curveEvery = Math.max(1, Math.floor(opts.iterations / REPLAY_CURVE_POINTS));
  let curveSum = 0;
  let curveN = 0;
  const loop: TrialLoop = {
    tailAcc: [],
    curve: [],
    batch: () => ({ si: take(sOrder, split.sourceTrain.rows), ti: take(tOrder, split.targetTrain.rows) }),
    recordDomainAcc(step, acc) {
      if (step > opts.iterations - tail) loop.tailAcc.push(acc);
      curveSum += acc;
      curveN++;
      if (step % curveEvery === 0) { loop.curve.push(curveSum / curveN); curveSum = 0; curveN = 0; }
    },
    async tick(step) {
      if (step % YIELD_EVERY_STEPS !== 0) return;
      opts.onStep?.(step, opts.iterations);
      await yieldToEventLoop();
    },
  };
  return loop;
}

export interface TrialProgress {
  seed: number;
  iterations: number;
  /** the step it stopped at when it diverged */
  stepsRun: number;
  diverged: boolean;
  tailAcc: readonly number[];
  curve: number[];
  /** performance.now() at the start */
  t0: number;
}

/**
 * The end of a trial on either engine: `score` runs the trained bottleneck and head in eval mode (running BatchNorm
 * statistics, no dropout) on a matrix; held-out accuracies, the target prediction histogram and the proxy
 * A-distance of the bottleneck features follow from it.
 */
export function scoreTrial(tf: Tf, split: ReplaySplit, score: (m: Matrix) => { pred: Int32Array; feats: Matrix }, p: TrialProgress): ReplayTrial {
  const C = split.classes;
  const s = score(split.sourceHeld);
  const t = score(split.targetHeld);
  const tTrain = score(split.targetTrain);
  const sTrain = score(split.sourceTrain);
  const hist = new Array<number>(C).fill(0);
  for (const k of t.pred) if (k >= 0) hist[k]!++;
  const n = t.pred.length || 1;
  let ent = 0;
  for (const h of hist) if (h > 0) ent -= (h / n) * Math.log(h / n);
  const probe = p.diverged ? null : trainDomainProbe(tf, stackRows(sTrain.feats, s.feats), stackRows(tTrain.feats, t.feats), { seed: p.seed });
  return {
    seed: p.seed,
    iterations: p.diverged ? p.stepsRun : p.iterations,
    domainAcc: p.tailAcc.length ? mean(p.tailAcc) : null,
    domainAccCurve: p.curve,
    sourceAcc: accuracy(s.pred, split.sourceHeldLabels),
    targetAcc: split.targetHeldLabels ? accuracy(t.pred, split.targetHeldLabels) : null,
    predictionEntropy: C > 1 ? ent / Math.log(C) : 1,
    topClassShare: Math.max(...hist) / n,
    aDistance: probe ? probe.aDistance : null,
    diverged: p.diverged,
    seconds: (performance.now() - p.t0) / 1000,
  };
}

function accuracy(pred: Int32Array, labels: Int32Array): number {
  let right = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) right++;
  return pred.length ? (100 * right) / pred.length : 0;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function stackRows(a: Matrix, b: Matrix): Matrix {
  const data = new Float32Array((a.rows + b.rows) * a.cols);
  data.set(a.data, 0);
  data.set(b.data, a.rows * a.cols);
  return { rows: a.rows + b.rows, cols: a.cols, data };
}

/** Standard normal draws (Box-Muller) from the seeded generator, for the randomized multilinear map. */
export function gaussian(n: number, rand: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function abortError(): Error {
  const e = new Error('replay cancelled');
  e.name = 'AbortError';
  return e;
}
