// Discriminator-strength counterfactual: tllib's DomainDiscriminator trained on the dumped features, with and without BatchNorm.
import type { Tf } from './backend.js';
import { type Matrix, takeRows } from './matrix.js';
import { mulberry32, shuffled, range, torchLinearInit } from './rng.js';
import { PROBE_HELD_OUT_FRACTION } from './probe.js';
import { matMulWithFastGrad } from './linear-op.js';

/** tllib DomainDiscriminator(in_feature, hidden_size=1024): in -> 1024 -> 1024 -> 1. */
export const DISC_HIDDEN = 1024;
/** Training budget in steps: at batch 32+32, ~3 passes over a 225-row dump; on the shared runs a BatchNorm discriminator separates within 30-50 steps when it can at all. */
export const DISC_BUDGET_STEPS = 100;
/** tllib's default batch size is 32 per domain. */
export const DISC_BATCH_PER_DOMAIN = 32;
/** tllib dann.py: SGD lr 0.01, momentum 0.9 (the discriminator's lr multiplier is 1). */
export const DISC_LR = 0.01;
export const DISC_MOMENTUM = 0.9;
/** tllib without BatchNorm: Dropout(0.5) after each hidden ReLU. */
export const DISC_DROPOUT = 0.5;
/** "Separated": the mean batch domain accuracy over the last DISC_SEPARATION_WINDOW steps reaches 90% (the level at which tllib logs read as a pinned discriminator). */
export const DISC_SEPARATED_ACC = 0.9;
export const DISC_SEPARATION_WINDOW = 10;
/** torch.nn.BatchNorm1d defaults. */
const BN_EPS = 1e-5;
const BN_MOMENTUM = 0.1;

/**
 * A seeded train / held-out split of one domain's rows (PROBE_HELD_OUT_FRACTION held out), shared by both
 * discriminator trainers (TF.js here, onnxruntime in onnx-train.ts) so they see the same rows for the same seed.
 */
function heldOutSplit(m: Matrix, rand: () => number): { train: Matrix; held: Matrix } {
  const idx = shuffled(range(m.rows), rand);
  const nHeld = Math.round(m.rows * PROBE_HELD_OUT_FRACTION);
  return { train: takeRows(m, idx.slice(nHeld)), held: takeRows(m, idx.slice(0, nHeld)) };
}

/** What both discriminator trainers start from: the seeded generator after the split, sizes and both domains' splits. */
export interface TrainerSetup {
  /** the seed's generator, already advanced past the two splits (weights are drawn next, in the same order) */
  rand: () => number;
  H: number;
  d: number;
  budget: number;
  s: { train: Matrix; held: Matrix };
  t: { train: Matrix; held: Matrix };
  /** rows per domain in a batch */
  B: number;
}

/** The same rows, sizes and generator for the TF.js and the onnxruntime trainer; null when a domain is too small to train. */
export function trainerSetup(src: Matrix, tgt: Matrix, opts: DiscriminatorOptions): TrainerSetup | null {
  const rand = mulberry32(opts.seed);
  const H = opts.hidden ?? DISC_HIDDEN;
  const d = src.cols;
  const budget = opts.budgetSteps ?? DISC_BUDGET_STEPS;
  const s = heldOutSplit(src, rand);
  const t = heldOutSplit(tgt, rand);
  if (s.train.rows < 2 || t.train.rows < 2 || s.held.rows < 1 || t.held.rows < 1 || d === 0 || tgt.cols !== d) return null;
  return { rand, H, d, budget, s, t, B: Math.min(DISC_BATCH_PER_DOMAIN, s.train.rows, t.train.rows) };
}

export interface DiscriminatorRun {
  /** first step at which the windowed training-batch domain accuracy reached DISC_SEPARATED_ACC; null = never within budget */
  stepsToSeparate: number | null;
  /** held-out domain accuracy after the budget, percent (eval mode: running BN stats, no dropout) */
  finalAccuracy: number;
  /** mean training-batch domain accuracy over the last window, percent (what tllib's "Domain Acc" meter shows) */
  finalTrainAccuracy: number;
  /** steps trained (the budget, or fewer when stopWhen said the answer was clear) */
  stepsRun: number;
}

export interface DiscriminatorOptions {
  seed: number;
  batchNorm: boolean;
  budgetSteps?: number;
  hidden?: number;
  onStep?: (step: number, budget: number) => void;
  /** asked after every step with the separation step so far and every training-batch accuracy: true stops training */
  stopWhen?: (step: number, stepsToSeparate: number | null, accuracies: readonly number[]) => boolean;
}

/**
 * Trains the discriminator shape on source (label 1, as tllib) vs target (label 0) features for a fixed budget with
 * BCE and SGD+momentum, from PyTorch-default init drawn from the seed. Batches are drawn without replacement per epoch,
 * per domain, from the training split. Cost: budget x 3 x 2B x (d H + H^2) flops; ~0.3 GFLOP per step at d=128, H=1024.
 */
export function trainDiscriminator(tf: Tf, src: Matrix, tgt: Matrix, opts: DiscriminatorOptions): DiscriminatorRun | null {
  const setup = trainerSetup(src, tgt, opts);
  if (!setup) return null;
  const { rand, H, d, budget, s, t, B } = setup;

  const v = (data: Float32Array, shape: number[], trainable = true) =>
    tf.tidy(() => tf.variable(tf.tensor(data, shape), trainable));
  const lin = (fanIn: number, fanOut: number) => ({
    w: v(torchLinearInit(fanIn * fanOut, fanIn, rand), [fanIn, fanOut]),
    b: v(torchLinearInit(fanOut, fanIn, rand), [fanOut]),
  });
  const bn = (n: number) => ({
    gamma: v(new Float32Array(n).fill(1), [n]),
    beta: v(new Float32Array(n), [n]),
    mean: v(new Float32Array(n), [n], false),
    var: v(new Float32Array(n).fill(1), [n], false),
  });
  const l1 = lin(d, H);
  const l2 = lin(H, H);
  const l3 = lin(H, 1);
  const bn1 = opts.batchNorm ? bn(H) : undefined;
  const bn2 = opts.batchNorm ? bn(H) : undefined;
  const trainable = [l1.w, l1.b, l2.w, l2.b, l3.w, l3.b, ...(bn1 ? [bn1.gamma, bn1.beta, bn2!.gamma, bn2!.beta] : [])];
  const all = [...trainable, ...(bn1 ? [bn1.mean, bn1.var, bn2!.mean, bn2!.var] : [])];
  const optimizer = tf.train.momentum(DISC_LR, DISC_MOMENTUM);

  type T2 = ReturnType<Tf['tensor2d']>;
  const matMul = matMulWithFastGrad(tf);
  // Forward pass. training=true: batch statistics (their moments are kept for the running-stat update) and dropout.
  const forward = (x: T2, training: boolean, step: number, moments?: ReturnType<Tf['tensor1d']>[]): T2 => {
    const block = (h: T2, l: { w: T2 | ReturnType<Tf['variable']>; b: ReturnType<Tf['variable']> }, norm: ReturnType<typeof bn> | undefined, k: number): T2 => {
      let z = tf.add(matMul(h, l.w as T2), l.b) as T2;
      if (norm) {
        if (training) {
          const m = tf.moments(z, 0);
          moments?.push(tf.keep(m.mean.clone()) as ReturnType<Tf['tensor1d']>, tf.keep(m.variance.clone()) as ReturnType<Tf['tensor1d']>);
          z = tf.batchNorm(z, m.mean, m.variance, norm.beta, norm.gamma, BN_EPS) as T2;
        } else {
          z = tf.batchNorm(z, norm.mean, norm.var, norm.beta, norm.gamma, BN_EPS) as T2;
        }
      }
      z = tf.relu(z);
      if (!norm && training) z = tf.dropout(z, DISC_DROPOUT, undefined, opts.seed * 100003 + step * 2 + k) as T2;
      return z;
    };
    const h1 = block(x, l1, bn1, 0);
    const h2 = block(h1, l2, bn2, 1);
    return tf.add(matMul(h2, l3.w as unknown as T2), l3.b) as T2;
  };

  const window: number[] = [];
  const accs: number[] = [];
  let stepsRun = 0;
  let stepsToSeparate: number | null = null;
  const sOrder: number[] = [];
  const tOrder: number[] = [];
  const nextBatch = (order: number[], m: Matrix): Matrix => {
    if (order.length < B) order.push(...shuffled(range(m.rows), rand));
    return takeRows(m, order.splice(0, B));
  };
  const yBatch = new Float32Array(2 * B).fill(1, 0, B); // source = 1, target = 0 (tllib DomainAdversarialLoss)
  try {
    for (let step = 1; step <= budget; step++) {
      const xs = nextBatch(sOrder, s.train);
      const xt = nextBatch(tOrder, t.train);
      const data = new Float32Array(2 * B * d);
      data.set(xs.data, 0);
      data.set(xt.data, B * d);
      const moments: ReturnType<Tf['tensor1d']>[] = [];
      let acc = 0;
      tf.tidy(() => {
        const x = tf.tensor2d(data, [2 * B, d]);
        const y = tf.tensor2d(yBatch, [2 * B, 1]);
        let accT: ReturnType<Tf['scalar']> | undefined;
        optimizer.minimize(() => {
          const logits = forward(x, true, step, moments);
          accT = tf.keep(tf.mean(tf.cast(tf.equal(tf.greater(logits, 0), tf.cast(y, 'bool')), 'float32'))) as ReturnType<Tf['scalar']>;
          return tf.losses.sigmoidCrossEntropy(y, logits) as ReturnType<Tf['scalar']>;
        }, false, trainable);
        acc = accT!.dataSync()[0]!;
        accT!.dispose();
        if (bn1 && bn2) {
          // PyTorch running stats: r = (1 - m) r + m * batch, with the unbiased batch variance.
          const unbias = (2 * B) / (2 * B - 1);
          const upd = (norm: ReturnType<typeof bn>, mean: ReturnType<Tf['tensor1d']>, variance: ReturnType<Tf['tensor1d']>) => {
            norm.mean.assign(tf.add(tf.mul(norm.mean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
            norm.var.assign(tf.add(tf.mul(norm.var, 1 - BN_MOMENTUM), tf.mul(variance, BN_MOMENTUM * unbias)));
          };
          upd(bn1, moments[0]!, moments[1]!);
          upd(bn2, moments[2]!, moments[3]!);
        }
      });
      tf.dispose(moments);
      window.push(acc);
      accs.push(acc);
      stepsRun = step;
      if (window.length > DISC_SEPARATION_WINDOW) window.shift();
      if (stepsToSeparate === null && window.length === DISC_SEPARATION_WINDOW && mean(window) >= DISC_SEPARATED_ACC) stepsToSeparate = step;
      opts.onStep?.(step, budget);
      if (opts.stopWhen?.(step, stepsToSeparate, accs)) break;
    }
    const finalAccuracy = tf.tidy(() => {
      const hs = forward(tf.tensor2d(s.held.data, [s.held.rows, d]), false, 0);
      const ht = forward(tf.tensor2d(t.held.data, [t.held.rows, d]), false, 0);
      const right = tf.add(tf.sum(tf.cast(tf.greater(hs, 0), 'float32')), tf.sum(tf.cast(tf.lessEqual(ht, 0), 'float32')));
      return (100 * right.dataSync()[0]!) / (s.held.rows + t.held.rows);
    });
    return { stepsToSeparate, finalAccuracy, finalTrainAccuracy: 100 * mean(window), stepsRun };
  } finally {
    optimizer.dispose();
    // tfjs 4.22 MomentumOptimizer.dispose() forgets its parent's learning-rate scalar: free it here (else 1 tensor leaks per run).
    tf.SGDOptimizer.prototype.dispose.call(optimizer);
    tf.dispose(all);
  }
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
