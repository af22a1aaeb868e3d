// The replayed game on onnxruntime-node: one training step of bottleneck + head + GRL + DomainDiscriminator (forward,
// hand-derived backward, SGD with Nesterov momentum) written as one ONNX graph, run once per step. Same game, same
// initialisation draws and batches as the TF.js engine (game.ts); ORT's MLAS GEMMs make the discriminator's H x H
// layer several times cheaper than TF.js on wasm (measured in `npm run bench -- replay`, docs/replay.md).
import type { Tf } from '../evaluate/backend.js';
import type { Matrix } from '../evaluate/matrix.js';
import { takeRows } from '../evaluate/matrix.js';
import { mulberry32, torchLinearInit } from '../evaluate/rng.js';
import { GraphBuilder, attrInt, attrInts, FLOAT, type Ort, type OrtTensor, type Session } from '../evaluate/onnx-graph.js';
import { ORT_TRAIN_THREADS } from '../evaluate/onnx-train.js';
import { learningRateAt, reversalAt, runIterationAt } from './schedules.js';
import {
  BN_EPS, BN_MOMENTUM, CDAN_MAX_MULTILINEAR, CDAN_RANDOM_DIM, DISC_DROPOUT,
  abortError, gaussian, scoreTrial, trialLoop, type ReplaySplit, type TrialOptions,
} from './game.js';
import type { ReplayConfig, ReplayTrial } from '../report/replay-schema.js';

/** tllib CDAN+E's entropy: -sum p log(p + 1e-5). */
const ENTROPY_EPS = 1e-5;

/** The sizes of one variant's game; the graph and the session depend only on these. */
export interface GameShape {
  /** rows per domain in a batch */
  B: number;
  d: number;
  C: number;
  b: number;
  H: number;
  discIn: number;
  adversarial: boolean;
  conditional: boolean;
  randomized: boolean;
  entropy: boolean;
  discBatchNorm: boolean;
}

export function gameShape(split: ReplaySplit, cfg: ReplayConfig): GameShape {
  const C = split.classes;
  const b = cfg.bottleneckDim;
  const conditional = cfg.algorithm === 'cdan' || cfg.algorithm === 'cdan+e';
  const randomized = conditional && b * C > CDAN_MAX_MULTILINEAR;
  return {
    B: Math.max(2, Math.min(cfg.batchSize, split.sourceTrain.rows, split.targetTrain.rows)),
    d: split.sourceTrain.cols, C, b, H: cfg.discHidden,
    discIn: !conditional ? b : randomized ? CDAN_RANDOM_DIM : b * C,
    adversarial: cfg.algorithm !== 'source-only' && cfg.tradeOff !== 0,
    conditional, randomized, entropy: cfg.algorithm === 'cdan+e', discBatchNorm: cfg.discBatchNorm,
  };
}

type Shapes = [string, number[]][];

/** Trainable parameters in tllib's order (bottleneck, head | discriminator), as [in, out] weights. */
export function parameterShapes(s: GameShape): { main: Shapes; disc: Shapes } {
  const main: Shapes = [['W0', [s.d, s.b]], ['b0', [s.b]], ['g0', [s.b]], ['be0', [s.b]], ['Wc', [s.b, s.C]], ['bc', [s.C]]];
  const disc: Shapes = !s.adversarial ? [] : [
    ['W1', [s.discIn, s.H]], ['b1', [s.H]], ['W2', [s.H, s.H]], ['b2', [s.H]], ['W3', [s.H, 1]], ['b3', [1]],
    ...(s.discBatchNorm ? [['g1', [s.H]], ['be1', [s.H]], ['g2', [s.H]], ['be2', [s.H]]] as Shapes : []),
  ];
  return { main, disc };
}

/**
 * One step on a batch of n = 2B rows (source first). Inputs: x [n, d]; y [n, C] one-hot source labels (target rows
 * zero); dy [n, 1] domain labels (source 1); grl [1] = -coefficient of the reversal; lr0, lr1 [1] the two groups'
 * learning rates; every parameter P and its momentum buffer vP; m1, m2 [n, H] dropout masks scaled by 1/(1-p)
 * (dropout discriminator); Rf, Rg (randomized multilinear map). Outputs: P_out, vP_out, loss [1, 1], the
 * discriminator's logits o [n, 1], and the bottleneck BatchNorm's batch mean mu0 and biased variance var0.
 * Loss: CE(source) + trade_off * mean(w BCE(o, dy)), w = 1 or CDAN+E's entropy weights; the update is
 * torch.optim.SGD(momentum, weight_decay, nesterov=True): g += wd P; v = mom v + g; P -= lr (g + mom v).
 */
export function replayStepGraph(s: GameShape, cfg: Pick<ReplayConfig, 'tradeOff' | 'momentum' | 'weightDecay'>): Uint8Array {
  const g = new GraphBuilder();
  const n = 2 * s.B;
  const x = g.input('x', [n, s.d]);
  const y = g.input('y', [n, s.C]);
  const { main, disc } = parameterShapes(s);
  for (const [p, sh] of [...main, ...disc]) { g.input(p, sh); g.input(`v${p}`, sh); }
  g.input('lr0', [1]);
  const zero = g.float(0);
  const axes0 = g.int64s([0]);
  const axes1 = g.int64s([1]);
  const axesAll = g.int64s([0, 1]);
  const mean0 = (t: string) => g.op('ReduceMean', [t], [attrInts('axes', [0]), attrInt('keepdims', 1)]);
  const sum0 = (t: string) => g.op('ReduceSum', [t, axes0], [attrInt('keepdims', 0)]);
  const positive = (t: string) => g.op('Cast', [g.op('Greater', [t, zero])], [attrInt('to', FLOAT)]);
  const matMul = (a: string, w: string) => g.op('MatMul', [a, w]);
  const gradW = (inp: string, gz: string) => g.op('Gemm', [inp, gz], [attrInt('transA', 1)]);
  const gradIn = (gz: string, w: string) => g.op('Gemm', [gz, w], [attrInt('transB', 1)]);
  const grads: Record<string, string> = {};
  const eps = g.float(BN_EPS);

  /** Linear -> BatchNorm1d (training: batch statistics) and its backward. */
  const normed = (z: string, gam: string, beta: string, stats?: string) => {
    const mu = g.op('ReduceMean', [z], [attrInts('axes', [0]), attrInt('keepdims', 1)], stats && `mu${stats}`);
    const c = g.op('Sub', [z, mu]);
    const v = g.op('ReduceMean', [g.op('Mul', [c, c])], [attrInts('axes', [0]), attrInt('keepdims', 1)], stats && `var${stats}`);
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [v, eps])])]);
    const xh = g.op('Mul', [c, inv]);
    return { inv, xh, u: g.op('Add', [g.op('Mul', [xh, gam]), beta]) };
  };
  const normedBack = (gu: string, l: ReturnType<typeof normed>, gam: string, beta: string): string => {
    grads[gam] = sum0(g.op('Mul', [gu, l.xh]));
    grads[beta] = sum0(gu);
    const gxh = g.op('Mul', [gu, gam]);
    return g.op('Mul', [l.inv, g.op('Sub', [g.op('Sub', [gxh, mean0(gxh)]), g.op('Mul', [l.xh, mean0(g.op('Mul', [gxh, l.xh]))])])]);
  };

  // bottleneck: Linear -> BatchNorm1d -> ReLU; head: Linear
  const bn0 = normed(g.op('Add', [matMul(x, 'W0'), 'b0']), 'g0', 'be0', '0');
  g.output('mu0', [1, s.b]);
  g.output('var0', [1, s.b]);
  const f = g.op('Relu', [bn0.u]);
  const logits = g.op('Add', [matMul(f, 'Wc'), 'bc']);
  // cross-entropy on the source rows: -sum(y log softmax) / B; its gradient (softmax - y) / B on source rows only
  const lossCls = g.op('Mul', [g.op('ReduceSum', [g.op('Mul', [y, g.op('LogSoftmax', [logits], [attrInt('axis', 1)])]), axesAll], [attrInt('keepdims', 1)]), g.float(-1 / s.B)]);
  const prob = g.op('Softmax', [logits], [attrInt('axis', 1)]);
  const sourceRow = g.op('ReduceSum', [y, axes1], [attrInt('keepdims', 1)]);
  const gLogits = g.op('Mul', [g.op('Mul', [g.op('Sub', [prob, y]), sourceRow]), g.float(1 / s.B)]);
  grads.Wc = gradW(f, gLogits);
  grads.bc = sum0(gLogits);
  let gf = gradIn(gLogits, 'Wc');
  let loss = lossCls;

  if (s.adversarial) {
    const dy = g.input('dy', [n, 1]);
    const grl = g.input('grl', [1]);
    g.input('lr1', [1]);
    // CDAN conditions on f (x) softmax(g) with g detached: no gradient flows into the head through `prob`.
    let h = f;
    let condBack = (gh: string) => gh;
    if (s.randomized) {
      g.input('Rf', [s.b, CDAN_RANDOM_DIM]);
      g.input('Rg', [s.C, CDAN_RANDOM_DIM]);
      const scale = g.float(1 / Math.sqrt(CDAN_RANDOM_DIM));
      const fr = matMul(f, 'Rf');
      const pr = g.op('Mul', [matMul(prob, 'Rg'), scale]);
      h = g.op('Mul', [fr, pr]);
      condBack = (gh) => gradIn(g.op('Mul', [gh, pr]), 'Rf');
    } else if (s.conditional) {
      const p3 = g.op('Reshape', [prob, g.int64s([n, 1, s.C])]);
      h = g.op('Reshape', [g.op('Mul', [g.op('Reshape', [f, g.int64s([n, s.b, 1])]), p3]), g.int64s([n, s.b * s.C])]);
      condBack = (gh) => g.op('ReduceSum', [g.op('Mul', [g.op('Reshape', [gh, g.int64s([n, s.b, s.C])]), p3]), g.int64s([2])], [attrInt('keepdims', 0)]);
    }
    // DomainDiscriminator: Linear-BN-ReLU x2 or Linear-ReLU-Dropout x2, then Linear(1)
    let a2: string;
    let discBack: (ga2: string) => string;
    if (s.discBatchNorm) {
      const l1 = normed(g.op('Add', [matMul(h, 'W1'), 'b1']), 'g1', 'be1');
      const a1 = g.op('Relu', [l1.u]);
      const l2 = normed(g.op('Add', [matMul(a1, 'W2'), 'b2']), 'g2', 'be2');
      a2 = g.op('Relu', [l2.u]);
      discBack = (ga2) => {
        const gz2 = normedBack(g.op('Mul', [ga2, positive(l2.u)]), l2, 'g2', 'be2');
        grads.W2 = gradW(a1, gz2);
        grads.b2 = sum0(gz2);
        const gz1 = normedBack(g.op('Mul', [gradIn(gz2, 'W2'), positive(l1.u)]), l1, 'g1', 'be1');
        grads.W1 = gradW(h, gz1);
        grads.b1 = sum0(gz1);
        return gradIn(gz1, 'W1');
      };
    } else {
      const m1 = g.input('m1', [n, s.H]);
      const m2 = g.input('m2', [n, s.H]);
      const z1 = g.op('Add', [matMul(h, 'W1'), 'b1']);
      const a1 = g.op('Mul', [g.op('Relu', [z1]), m1]);
      const z2 = g.op('Add', [matMul(a1, 'W2'), 'b2']);
      a2 = g.op('Mul', [g.op('Relu', [z2]), m2]);
      discBack = (ga2) => {
        const gz2 = g.op('Mul', [g.op('Mul', [ga2, m2]), positive(z2)]);
        grads.W2 = gradW(a1, gz2);
        grads.b2 = sum0(gz2);
        const gz1 = g.op('Mul', [g.op('Mul', [gradIn(gz2, 'W2'), m1]), positive(z1)]);
        grads.W1 = gradW(h, gz1);
        grads.b1 = sum0(gz1);
        return gradIn(gz1, 'W1');
      };
    }
    const o = g.op('Add', [matMul(a2, 'W3'), 'b3'], [], 'o');
    g.output('o', [n, 1]);
    // CDAN+E: w = 1 + exp(-H(p)), normalised to mean 1 within each domain (detached)
    let w: string | undefined;
    if (s.entropy) {
      const ent = g.op('Neg', [g.op('ReduceSum', [g.op('Mul', [prob, g.op('Log', [g.op('Add', [prob, g.float(ENTROPY_EPS)])])]), axes1], [attrInt('keepdims', 1)])]);
      const raw = g.op('Add', [g.float(1), g.op('Exp', [g.op('Neg', [ent])])]);
      const half = (start: number) => {
        const part = g.op('Slice', [raw, g.int64s([start]), g.int64s([start + s.B]), axes0]);
        return g.op('Div', [g.op('Mul', [part, g.float(s.B)]), g.op('ReduceSum', [part, axesAll], [attrInt('keepdims', 1)])]);
      };
      w = g.op('Concat', [half(0), half(s.B)], [attrInt('axis', 0)]);
    }
    // BCE with logits, stable: relu(o) - o dy + log(1 + exp(-|o|)); mean over the 2B rows, times trade_off
    const bce = g.op('Add', [g.op('Sub', [g.op('Relu', [o]), g.op('Mul', [o, dy])]), g.op('Log', [g.op('Add', [g.float(1), g.op('Exp', [g.op('Neg', [g.op('Abs', [o])])])])])]);
    const scale = g.float(cfg.tradeOff / n);
    const lossAdv = g.op('Mul', [g.op('ReduceSum', [w ? g.op('Mul', [bce, w]) : bce, axesAll], [attrInt('keepdims', 1)]), scale]);
    loss = g.op('Add', [lossCls, lossAdv]);
    let go = g.op('Mul', [g.op('Sub', [g.op('Sigmoid', [o]), dy]), scale]);
    if (w) go = g.op('Mul', [go, w]);
    grads.W3 = gradW(a2, go);
    grads.b3 = sum0(go);
    const gh = discBack(gradIn(go, 'W3'));
    // the gradient reversal layer: the bottleneck receives -coefficient x the discriminator's input gradient
    gf = g.op('Add', [gf, condBack(g.op('Mul', [gh, grl]))]);
  }
  g.op('Identity', [loss], [], 'loss');
  g.output('loss', [1, 1]);
  const gz0 = normedBack(g.op('Mul', [gf, positive(bn0.u)]), bn0, 'g0', 'be0');
  grads.W0 = gradW(x, gz0);
  grads.b0 = sum0(gz0);

  const mom = g.float(cfg.momentum);
  const wd = g.float(cfg.weightDecay);
  const update = (shapes: Shapes, lr: string) => {
    for (const [p, sh] of shapes) {
      const grad = g.op('Add', [grads[p]!, g.op('Mul', [p, wd])]);
      const v = g.op('Add', [g.op('Mul', [`v${p}`, mom]), grad], [], `v${p}_out`);
      g.op('Sub', [p, g.op('Mul', [g.op('Add', [grad, g.op('Mul', [v, mom])]), lr])], [], `${p}_out`);
      g.output(`v${p}_out`, sh);
      g.output(`${p}_out`, sh);
    }
  };
  update(main, 'lr0');
  update(disc, 'lr1');
  return g.model();
}

/** The replay engine on onnxruntime: sessions are cached per game shape and released by `release`. */
export interface OnnxGame {
  play(split: ReplaySplit, cfg: ReplayConfig, opts: TrialOptions): Promise<ReplayTrial>;
  release(): Promise<void>;
}

export function onnxGame(ort: Ort, tf: Tf): OnnxGame {
  const sessions = new Map<string, Promise<Session>>();
  const sessionOpts = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: ORT_TRAIN_THREADS, interOpNumThreads: 1, executionMode: 'sequential' };
  const sessionFor = (s: GameShape, cfg: ReplayConfig): Promise<Session> => {
    const key = JSON.stringify([s, cfg.tradeOff, cfg.momentum, cfg.weightDecay]);
    let sess = sessions.get(key);
    if (!sess) { sess = ort.InferenceSession.create(replayStepGraph(s, cfg), sessionOpts); sessions.set(key, sess); }
    return sess;
  };
  return {
    play: async (split, cfg, opts) => playOnOnnx(ort, tf, await sessionFor(gameShape(split, cfg), cfg), split, cfg, opts),
    release: async () => {
      const all = [...sessions.values()];
      sessions.clear();
      for (const s of all) await (await s).release();
    },
  };
}

async function playOnOnnx(ort: Ort, tf: Tf, session: Session, split: ReplaySplit, cfg: ReplayConfig, opts: TrialOptions): Promise<ReplayTrial> {
  const t0 = performance.now();
  const s = gameShape(split, cfg);
  const { B, d, C, b, H } = s;
  const n = 2 * B;
  // The TF.js engine's draw order (bottleneck, head, the three discriminator layers, the random map), then batches:
  // the same seed gives both engines the same initial weights and the same batches.
  const rand = mulberry32(opts.seed * 2654435761 + 17);
  const init: Record<string, Float32Array> = {};
  const dense = (name: string, fanIn: number, fanOut: number) => {
    init[`W${name}`] = torchLinearInit(fanIn * fanOut, fanIn, rand);
    init[`b${name}`] = torchLinearInit(fanOut, fanIn, rand);
  };
  dense('0', d, b);
  dense('c', b, C);
  dense('1', s.discIn, H);
  dense('2', H, H);
  dense('3', H, 1);
  const Rf = s.randomized ? gaussian(b * CDAN_RANDOM_DIM, rand) : undefined;
  const Rg = s.randomized ? gaussian(C * CDAN_RANDOM_DIM, rand) : undefined;
  for (const k of ['0', '1', '2']) { init[`g${k}`] = new Float32Array(k === '0' ? b : H).fill(1); init[`be${k}`] = new Float32Array(k === '0' ? b : H); }

  const { main, disc } = parameterShapes(s);
  const params = [...main, ...disc];
  const feeds: Record<string, OrtTensor> = {};
  for (const [p, sh] of params) {
    feeds[p] = new ort.Tensor('float32', init[p]!, sh);
    feeds[`v${p}`] = new ort.Tensor('float32', new Float32Array(init[p]!.length), sh);
  }
  if (Rf && Rg) { feeds.Rf = new ort.Tensor('float32', Rf, [b, CDAN_RANDOM_DIM]); feeds.Rg = new ort.Tensor('float32', Rg, [C, CDAN_RANDOM_DIM]); }
  if (s.adversarial) feeds.dy = new ort.Tensor('float32', new Float32Array(n).fill(1, 0, B), [n, 1]);
  const runMean = new Float32Array(b);
  const runVar = new Float32Array(b).fill(1);
  const unbias = n / (n - 1);
  const dropRand = mulberry32((opts.seed * 1000003 + 7) >>> 0);
  const keep = 1 - DISC_DROPOUT;
  const mask = () => {
    const m = new Float32Array(n * H);
    for (let i = 0; i < m.length; i++) m[i] = dropRand() < keep ? 1 / keep : 0;
    return new ort.Tensor('float32', m, [n, H]);
  };
  const scalar = (v: number) => new ort.Tensor('float32', Float32Array.of(v), [1]);

  const loop = trialLoop(split, B, rand, opts);
  let diverged = false;
  let step = 0;
  for (step = 1; step <= opts.iterations; step++) {
    if (opts.signal?.aborted) throw abortError();
    const runIter = runIterationAt(step - 1, opts.iterations, cfg);
    const { si, ti } = loop.batch();
    const x = new Float32Array(n * d);
    x.set(takeRows(split.sourceTrain, si).data, 0);
    x.set(takeRows(split.targetTrain, ti).data, B * d);
    const y = new Float32Array(n * C);
    si.forEach((r, i) => { y[i * C + split.sourceTrainLabels[r]!] = 1; });
    feeds.x = new ort.Tensor('float32', x, [n, d]);
    feeds.y = new ort.Tensor('float32', y, [n, C]);
    feeds.lr0 = scalar(learningRateAt(runIter, cfg, 1));
    if (s.adversarial) {
      feeds.lr1 = scalar(learningRateAt(runIter, cfg, cfg.discLrMult));
      feeds.grl = scalar(-reversalAt(runIter, cfg));
      if (!s.discBatchNorm) { feeds.m1 = mask(); feeds.m2 = mask(); }
    }
    const out = await session.run(feeds);
    if (!Number.isFinite((out.loss!.data as Float32Array)[0]!)) { diverged = true; break; }
    for (const [p] of params) { feeds[p] = out[`${p}_out`]!; feeds[`v${p}`] = out[`v${p}_out`]!; }
    const mu = out.mu0!.data as Float32Array;
    const va = out.var0!.data as Float32Array;
    for (let i = 0; i < b; i++) {
      runMean[i] = (1 - BN_MOMENTUM) * runMean[i]! + BN_MOMENTUM * mu[i]!;
      runVar[i] = (1 - BN_MOMENTUM) * runVar[i]! + BN_MOMENTUM * unbias * va[i]!;
    }
    if (s.adversarial) {
      const o = out.o!.data as Float32Array;
      let right = 0;
      for (let i = 0; i < n; i++) if ((o[i]! > 0) === (i < B)) right++;
      loop.recordDomainAcc(step, (100 * right) / n);
    }
    await loop.tick(step);
  }
  // eval mode in plain typed arrays: BatchNorm's running statistics folded into a scale and shift
  const W0 = feeds.W0!.data as Float32Array, b0 = feeds.b0!.data as Float32Array;
  const g0 = feeds.g0!.data as Float32Array, be0 = feeds.be0!.data as Float32Array;
  const Wc = feeds.Wc!.data as Float32Array, bc = feeds.bc!.data as Float32Array;
  const sc = new Float32Array(b);
  const sh = new Float32Array(b);
  for (let j = 0; j < b; j++) { sc[j] = g0[j]! / Math.sqrt(runVar[j]! + BN_EPS); sh[j] = be0[j]! - runMean[j]! * sc[j]!; }
  const score = (m: Matrix) => {
    const f = linear(m.data, m.rows, d, W0, b0, b);
    for (let r = 0; r < m.rows; r++) for (let j = 0; j < b; j++) { const v = f[r * b + j]! * sc[j]! + sh[j]!; f[r * b + j] = v > 0 ? v : 0; }
    const logits = linear(f, m.rows, b, Wc, bc, C);
    const pred = new Int32Array(m.rows);
    for (let r = 0; r < m.rows; r++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (logits[r * C + c]! > logits[r * C + best]!) best = c;
      pred[r] = best;
    }
    return { pred, feats: { rows: m.rows, cols: b, data: f } };
  };
  return scoreTrial(tf, split, score, { seed: opts.seed, iterations: opts.iterations, stepsRun: step, diverged, tailAcc: loop.tailAcc, curve: loop.curve, t0 });
}

/** x [rows, k] W [k, out] + bias, row by row (W's rows contiguous): rows x k x out multiply-adds. */
function linear(x: Float32Array, rows: number, k: number, W: Float32Array, bias: Float32Array, out: number): Float32Array {
  const y = new Float32Array(rows * out);
  for (let r = 0; r < rows; r++) {
    const yo = r * out;
    y.set(bias, yo);
    for (let i = 0; i < k; i++) {
      const xv = x[r * k + i]!;
      if (xv === 0) continue;
      const wo = i * out;
      for (let o = 0; o < out; o++) y[yo + o] += xv * W[wo + o]!;
    }
  }
  return y;
}
