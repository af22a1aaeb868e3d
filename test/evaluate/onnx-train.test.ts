// The onnxruntime discriminator trainer reproduces the TF.js one step for step; the counterfactual stops once clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOnnxRuntime } from '../../src/evaluate/onnx-mlp.js';
import { onnxDiscriminatorTrainer } from '../../src/evaluate/onnx-train.js';
import { trainDiscriminator, type DiscriminatorOptions, type DiscriminatorRun } from '../../src/evaluate/discriminator.js';
import { discriminatorCounterfactual } from '../../src/evaluate/measure.js';
import { loadBackend } from '../../src/evaluate/backend.js';
import { mulberry32 } from '../../src/evaluate/rng.js';
import type { Matrix } from '../../src/evaluate/matrix.js';
import { TEST_BACKEND } from './helpers.js';

const ort = (await loadOnnxRuntime()).ort;
const r = mulberry32(3);
const m = (rows: number, shift: number): Matrix => ({ rows, cols: 8, data: Float32Array.from({ length: rows * 8 }, (_, i) => r() + (i % 8 === 0 ? shift : 0)) });

test('with BatchNorm (no dropout randomness) onnxruntime and TF.js give the same accuracies at every step', { skip: !ort && 'onnxruntime-node not installed' }, async () => {
  const s = m(80, 0);
  const t = m(80, 0.6);
  const opts = (accs: number[]): DiscriminatorOptions => ({ seed: 1, batchNorm: true, hidden: 16, budgetSteps: 25, stopWhen: (_k, _s, a) => { accs.push(a.at(-1)!); return false; } });
  const a: number[] = [];
  const b: number[] = [];
  const onnx = await (await onnxDiscriminatorTrainer())!(s, t, opts(a));
  const be = await loadBackend({ backend: TEST_BACKEND });
  const tfjs = trainDiscriminator(be.tf, s, t, opts(b));
  assert.deepEqual(a, b);
  assert.deepEqual(onnx, tfjs);
  assert.equal(onnx!.stepsRun, 25);
});

test('the counterfactual stops once the answer is clear: BN separated at w, no-BN stopped at 2w; neither: chance plateau', async () => {
  const fake = (sepAt: number | null, acc: number) => async (_s: Matrix, _t: Matrix, o: DiscriminatorOptions): Promise<DiscriminatorRun> => {
    const accs: number[] = [];
    let sep: number | null = null;
    let k = 0;
    for (k = 1; k <= o.budgetSteps!; k++) {
      accs.push(acc);
      if (sepAt !== null && k >= sepAt) sep ??= k;
      if (o.stopWhen?.(k, sep, accs)) break;
    }
    return { stepsToSeparate: sep, finalAccuracy: 0, finalTrainAccuracy: 0, stepsRun: Math.min(k, o.budgetSteps!) };
  };
  const x = m(10, 0);
  // BN separates at 15; without BN it never does: stopped at 30 = 2 x 15 (enough for "at least 2x slower")
  const trainer = (s: Matrix, t: Matrix, o: DiscriminatorOptions) => (o.batchNorm ? fake(15, 0.95) : fake(null, 0.55))(s, t, o);
  const cf = (await discriminatorCounterfactual(trainer, x, x, { seed: 0, budget: 100, earlyStop: true }))!;
  assert.deepEqual(cf.stepsRun, { withBatchNorm: 15, withoutBatchNorm: 30 });
  assert.equal(cf.withBatchNorm.stepsToSeparate, 15);
  assert.equal(cf.withoutBatchNorm.stepsToSeparate, null);
  // neither separates and both sit at 50%: each stops at CHANCE_STOP_STEPS (40)
  const dead = (await discriminatorCounterfactual(fake(null, 0.5), x, x, { seed: 0, budget: 100, earlyStop: true }))!;
  assert.deepEqual(dead.stepsRun, { withBatchNorm: 40, withoutBatchNorm: 40 });
  // early stop off: the whole budget
  const full = (await discriminatorCounterfactual(fake(null, 0.5), x, x, { seed: 0, budget: 100, earlyStop: false }))!;
  assert.deepEqual(full.stepsRun, { withBatchNorm: 100, withoutBatchNorm: 100 });
});
