// The discriminator counterfactual trained on onnxruntime-node: one SGD step of tllib's DomainDiscriminator (forward,
// hand-derived backward, momentum update) written as an ONNX graph. onnxruntime only runs inference, but a training
// step is just a function from (weights, batch) to new weights, and its MLAS GEMMs are several times faster than
// TF.js on wasm/cpu (measured in `npm run bench -- eval`).
import type { Matrix } from './matrix.js';
import { takeRows } from './matrix.js';
import { mulberry32, shuffled, range, torchLinearInit } from './rng.js';
import {
  DISC_LR, DISC_MOMENTUM, DISC_DROPOUT,
  DISC_SEPARATED_ACC, DISC_SEPARATION_WINDOW, trainerSetup, type DiscriminatorOptions, type DiscriminatorRun,
} from './discriminator.js';
import { loadOnnxRuntime } from './onnx-mlp.js';
import { GraphBuilder, attrInt, attrInts, FLOAT, type Ort, type OrtTensor } from './onnx-graph.js';
import type { DiscriminatorTrainer } from './measure.js';

/** torch.nn.BatchNorm1d defaults. */
const BN_EPS = 1e-5;
const BN_MOMENTUM = 0.1;
/**
 * One intra-op thread: the batch is only 64 rows, so a second thread buys little, and ORT's thread pool spin-waits,
 * which on a shared machine burns the core another process needs (measured: 2 threads slower than 1 under load).
 */
export const ORT_TRAIN_THREADS = 1;

type ParamName = 'W1' | 'b1' | 'g1' | 'be1' | 'W2' | 'b2' | 'g2' | 'be2' | 'W3' | 'b3';

function paramShapes(d: number, H: number, bn: boolean): [ParamName, number[]][] {
  const base: [ParamName, number[]][] = [['W1', [d, H]], ['b1', [H]], ['W2', [H, H]], ['b2', [H]], ['W3', [H, 1]], ['b3', [1]]];
  return bn ? [...base, ['g1', [H]], ['be1', [H]], ['g2', [H]], ['be2', [H]]] : base;
}

/**
 * One training step on a batch of n rows: inputs x [n, d], y [n, 1] (source 1, target 0), every parameter P and its
 * momentum buffer vP (and dropout masks m1, m2 [n, H], already scaled by 1/(1-p), without BatchNorm); outputs P_out,
 * vP_out, the logits o [n, 1] and (BatchNorm) each layer's batch mean and biased variance for the running stats.
 * Loss: mean BCE with logits; update: v = momentum v + grad, P = P - lr v (torch.optim.SGD with momentum).
 */
export function trainStepGraph(n: number, d: number, H: number, bn: boolean, lr = DISC_LR, momentum = DISC_MOMENTUM): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input('x', [n, d]);
  const y = g.input('y', [n, 1]);
  const params = paramShapes(d, H, bn);
  for (const [p, s] of params) { g.input(p, s); g.input(`v${p}`, s); }
  const zero = g.float(0);
  const axes0 = g.int64s([0]);
  const mean0 = (t: string) => g.op('ReduceMean', [t], [attrInts('axes', [0]), attrInt('keepdims', 1)]);
  const sum0 = (t: string) => g.op('ReduceSum', [t, axes0], [attrInt('keepdims', 0)]);
  const reluMask = (t: string) => g.op('Cast', [g.op('Greater', [t, zero])], [attrInt('to', FLOAT)]);
  const grads: Partial<Record<ParamName, string>> = {};

  let h1: string, h2: string;
  let back: (gh2: string) => void;
  if (bn) {
    const eps = g.float(BN_EPS);
    const layer = (inp: string, W: string, b: string, gam: string, beta: string, k: number) => {
      const z = g.op('Add', [g.op('MatMul', [inp, W]), b]);
      const mu = g.op('ReduceMean', [z], [attrInts('axes', [0]), attrInt('keepdims', 1)], `mu${k}`);
      const c = g.op('Sub', [z, mu]);
      const v = g.op('ReduceMean', [g.op('Mul', [c, c])], [attrInts('axes', [0]), attrInt('keepdims', 1)], `var${k}`);
      const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [v, eps])])]);
      const xh = g.op('Mul', [c, inv]);
      const u = g.op('Add', [g.op('Mul', [xh, gam]), beta]);
      return { inv, xh, u, h: g.op('Relu', [u]) };
    };
    const layerBack = (gh: string, l: ReturnType<typeof layer>, inp: string, W: string, gam: string, k: 1 | 2, needInput: boolean) => {
      const gu = g.op('Mul', [gh, reluMask(l.u)]);
      grads[`g${k}`] = sum0(g.op('Mul', [gu, l.xh]));
      grads[`be${k}`] = sum0(gu);
      const gxh = g.op('Mul', [gu, gam]);
      const gz = g.op('Mul', [l.inv, g.op('Sub', [g.op('Sub', [gxh, mean0(gxh)]), g.op('Mul', [l.xh, mean0(g.op('Mul', [gxh, l.xh]))])])]);
      grads[`W${k}`] = g.op('Gemm', [inp, gz], [attrInt('transA', 1)]);
      grads[`b${k}`] = sum0(gz);
      return needInput ? g.op('Gemm', [gz, W], [attrInt('transB', 1)]) : '';
    };
    const l1 = layer(x, 'W1', 'b1', 'g1', 'be1', 1);
    const l2 = layer(l1.h, 'W2', 'b2', 'g2', 'be2', 2);
    h1 = l1.h; h2 = l2.h;
    back = (gh2) => {
      const gh1 = layerBack(gh2, l2, l1.h, 'W2', 'g2', 2, true);
      layerBack(gh1, l1, x, 'W1', 'g1', 1, false);
    };
    for (const k of [1, 2]) { g.output(`mu${k}`, [1, H]); g.output(`var${k}`, [1, H]); }
  } else {
    const m1 = g.input('m1', [n, H]);
    const m2 = g.input('m2', [n, H]);
    const z1 = g.op('Add', [g.op('MatMul', [x, 'W1']), 'b1']);
    h1 = g.op('Mul', [g.op('Relu', [z1]), m1]);
    const z2 = g.op('Add', [g.op('MatMul', [h1, 'W2']), 'b2']);
    h2 = g.op('Mul', [g.op('Relu', [z2]), m2]);
    back = (gh2) => {
      const gz2 = g.op('Mul', [g.op('Mul', [gh2, m2]), reluMask(z2)]);
      grads.W2 = g.op('Gemm', [h1, gz2], [attrInt('transA', 1)]);
      grads.b2 = sum0(gz2);
      const gh1 = g.op('Gemm', [gz2, 'W2'], [attrInt('transB', 1)]);
      const gz1 = g.op('Mul', [g.op('Mul', [gh1, m1]), reluMask(z1)]);
      grads.W1 = g.op('Gemm', [x, gz1], [attrInt('transA', 1)]);
      grads.b1 = sum0(gz1);
    };
  }
  const o = g.op('Add', [g.op('MatMul', [h2, 'W3']), 'b3'], [], 'o');
  g.output('o', [n, 1]);
  const go = g.op('Mul', [g.op('Sub', [g.op('Sigmoid', [o]), y]), g.float(1 / n)]);
  grads.W3 = g.op('Gemm', [h2, go], [attrInt('transA', 1)]);
  grads.b3 = sum0(go);
  back(g.op('Gemm', [go, 'W3'], [attrInt('transB', 1)]));
  const mom = g.float(momentum);
  const lrC = g.float(lr);
  for (const [p, s] of params) {
    const v = g.op('Add', [g.op('Mul', [`v${p}`, mom]), grads[p]!], [], `v${p}_out`);
    g.op('Sub', [p, g.op('Mul', [v, lrC])], [], `${p}_out`);
    g.output(`v${p}_out`, s);
    g.output(`${p}_out`, s);
  }
  return g.model();
}

/** Eval-mode forward: o = relu(relu((x W1 + b1) s1 + t1) W2 + b2) s2 + t2) W3 + b3, rows symbolic (BatchNorm folded into s, t). */
export function evalGraph(d: number, H: number): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input('x', ['rows', d]);
  for (const [p, s] of [['W1', [d, H]], ['b1', [H]], ['s1', [H]], ['t1', [H]], ['W2', [H, H]], ['b2', [H]], ['s2', [H]], ['t2', [H]], ['W3', [H, 1]], ['b3', [1]]] as const) g.input(p, [...s]);
  const layer = (inp: string, k: number) => g.op('Relu', [g.op('Add', [g.op('Mul', [g.op('Add', [g.op('MatMul', [inp, `W${k}`]), `b${k}`]), `s${k}`]), `t${k}`])]);
  g.op('Add', [g.op('MatMul', [layer(layer(x, 1), 2), 'W3']), 'b3'], [], 'o');
  g.output('o', ['rows', 1]);
  return g.model();
}

/**
 * trainDiscriminator's contract (same split, batches, init and separation test, see discriminator.ts) on onnxruntime.
 * Null when onnxruntime-node does not load. Sessions are built per call (~50 ms) and released at the end.
 */
export async function onnxDiscriminatorTrainer(): Promise<DiscriminatorTrainer | null> {
  const { ort } = await loadOnnxRuntime();
  if (!ort) return null;
  return (src, tgt, opts) => trainOnOnnx(ort as unknown as Ort, src, tgt, opts);
}

async function trainOnOnnx(ort: Ort, src: Matrix, tgt: Matrix, opts: DiscriminatorOptions): Promise<DiscriminatorRun | null> {
  const setup = trainerSetup(src, tgt, opts);
  if (!setup) return null;
  const { rand, H, d, budget, s, t, B } = setup;
  const n = 2 * B;
  const bn = opts.batchNorm;
  // same draw order as trainDiscriminator: W1, b1, W2, b2, W3, b3
  const init: Record<string, Float32Array> = {
    W1: torchLinearInit(d * H, d, rand), b1: torchLinearInit(H, d, rand),
    W2: torchLinearInit(H * H, H, rand), b2: torchLinearInit(H, H, rand),
    W3: torchLinearInit(H, H, rand), b3: torchLinearInit(1, H, rand),
  };
  if (bn) Object.assign(init, { g1: new Float32Array(H).fill(1), be1: new Float32Array(H), g2: new Float32Array(H).fill(1), be2: new Float32Array(H) });
  const shapes = paramShapes(d, H, bn);
  const feeds: Record<string, OrtTensor> = {};
  for (const [p, sh] of shapes) {
    feeds[p] = new ort.Tensor('float32', init[p]!, sh);
    feeds[`v${p}`] = new ort.Tensor('float32', new Float32Array(init[p]!.length), sh);
  }
  const running = { m1: new Float32Array(H), v1: new Float32Array(H).fill(1), m2: new Float32Array(H), v2: new Float32Array(H).fill(1) };
  const sessionOpts = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: ORT_TRAIN_THREADS, interOpNumThreads: 1, executionMode: 'sequential' };
  const step = await ort.InferenceSession.create(trainStepGraph(n, d, H, bn), sessionOpts);
  try {
    const yBatch = new Float32Array(n).fill(1, 0, B);
    feeds.y = new ort.Tensor('float32', yBatch, [n, 1]);
    const sOrder: number[] = [];
    const tOrder: number[] = [];
    const nextBatch = (order: number[], m: Matrix): Matrix => {
      if (order.length < B) order.push(...shuffled(range(m.rows), rand));
      return takeRows(m, order.splice(0, B));
    };
    const dropRand = mulberry32((opts.seed * 100003) >>> 0);
    const keep = 1 - DISC_DROPOUT;
    const mask = () => {
      const m = new Float32Array(n * H);
      for (let i = 0; i < m.length; i++) m[i] = dropRand() < keep ? 1 / keep : 0;
      return new ort.Tensor('float32', m, [n, H]);
    };
    const window: number[] = [];
    const accs: number[] = [];
    let stepsToSeparate: number | null = null;
    let stepsRun = 0;
    const unbias = n / (n - 1);
    for (let k = 1; k <= budget; k++) {
      const xs = nextBatch(sOrder, s.train);
      const xt = nextBatch(tOrder, t.train);
      const data = new Float32Array(n * d);
      data.set(xs.data, 0);
      data.set(xt.data, B * d);
      feeds.x = new ort.Tensor('float32', data, [n, d]);
      if (!bn) { feeds.m1 = mask(); feeds.m2 = mask(); }
      const out = await step.run(feeds);
      for (const [p] of shapes) { feeds[p] = out[`${p}_out`]!; feeds[`v${p}`] = out[`v${p}_out`]!; }
      if (bn) {
        const upd = (r: Float32Array, b: Float32Array, f: number) => { for (let i = 0; i < H; i++) r[i] = (1 - BN_MOMENTUM) * r[i]! + BN_MOMENTUM * f * b[i]!; };
        upd(running.m1, out.mu1!.data as Float32Array, 1);
        upd(running.v1, out.var1!.data as Float32Array, unbias);
        upd(running.m2, out.mu2!.data as Float32Array, 1);
        upd(running.v2, out.var2!.data as Float32Array, unbias);
      }
      const o = out.o!.data as Float32Array;
      let right = 0;
      for (let i = 0; i < n; i++) if ((o[i]! > 0) === (i < B)) right++;
      const acc = right / n;
      window.push(acc);
      accs.push(acc);
      stepsRun = k;
      if (window.length > DISC_SEPARATION_WINDOW) window.shift();
      if (stepsToSeparate === null && window.length === DISC_SEPARATION_WINDOW && window.reduce((a, b) => a + b, 0) / window.length >= DISC_SEPARATED_ACC) stepsToSeparate = k;
      opts.onStep?.(k, budget);
      if (opts.stopWhen?.(k, stepsToSeparate, accs)) break;
    }
    // held-out accuracy in eval mode: running statistics folded into a scale and shift, no dropout
    const fold = (k: 1 | 2) => {
      const sc = new Float32Array(H).fill(1);
      const sh = new Float32Array(H);
      if (bn) {
        const gam = feeds[`g${k}`]!.data as Float32Array;
        const beta = feeds[`be${k}`]!.data as Float32Array;
        const rm = k === 1 ? running.m1 : running.m2;
        const rv = k === 1 ? running.v1 : running.v2;
        for (let i = 0; i < H; i++) { sc[i] = gam[i]! / Math.sqrt(rv[i]! + BN_EPS); sh[i] = beta[i]! - rm[i]! * sc[i]!; }
      }
      return [new ort.Tensor('float32', sc, [H]), new ort.Tensor('float32', sh, [H])] as const;
    };
    const [s1, t1] = fold(1);
    const [s2, t2] = fold(2);
    const evalSession = await ort.InferenceSession.create(evalGraph(d, H), sessionOpts);
    try {
      const held = new Float32Array((s.held.rows + t.held.rows) * d);
      held.set(s.held.data, 0);
      held.set(t.held.data, s.held.data.length);
      const res = await evalSession.run({
        x: new ort.Tensor('float32', held, [s.held.rows + t.held.rows, d]),
        W1: feeds.W1!, b1: feeds.b1!, s1, t1, W2: feeds.W2!, b2: feeds.b2!, s2, t2, W3: feeds.W3!, b3: feeds.b3!,
      });
      const o = res.o!.data as Float32Array;
      let right = 0;
      for (let i = 0; i < o.length; i++) if ((o[i]! > 0) === (i < s.held.rows)) right++;
      return {
        stepsToSeparate,
        finalAccuracy: (100 * right) / o.length,
        finalTrainAccuracy: (100 * window.reduce((a, b) => a + b, 0)) / window.length,
        stepsRun,
      };
    } finally {
      await evalSession.release();
    }
  } finally {
    await step.release();
  }
}
