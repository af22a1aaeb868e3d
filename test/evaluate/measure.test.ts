// Probes, the discriminator counterfactual and the rebuilt head on the real shared dumps; reproducibility and no tensor leaks.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readNpz } from '../../src/ingest/npy/index.js';
import { readPth } from '../../src/ingest/pth/index.js';
import type { NdArray } from '../../src/model/ndarray.js';
import { loadBackend, type LoadedBackend } from '../../src/evaluate/backend.js';
import { measure } from '../../src/evaluate/measure.js';
import { trainDomainProbe, proxyADistance, perClassADistance } from '../../src/evaluate/probe.js';
import { trainDiscriminator } from '../../src/evaluate/discriminator.js';
import { headFromStateDict } from '../../src/evaluate/head.js';
import { forwardMlp } from '../../src/evaluate/mlp.js';
import { toMatrix, toLabels } from '../../src/evaluate/matrix.js';
import { hasShared } from '../helpers/shared.js';
import { sharedRun, TEST_BACKEND } from './helpers.js';

let be: LoadedBackend;
const dumps = new Map<string, Map<string, NdArray>>();
const dump = async (run: string) => {
  if (!dumps.has(run)) dumps.set(run, await readNpz(resolve(sharedRun(run), 'features.npz')));
  return dumps.get(run)!;
};
before(async () => { be = await loadBackend({ backend: TEST_BACKEND }); });

test('proxy A-distance is 2(1-2err), clipped at 0 for worse-than-chance probes', () => {
  assert.equal(proxyADistance(0), 2);
  assert.equal(proxyADistance(0.25), 1);
  assert.equal(proxyADistance(0.5), 0);
  assert.equal(proxyADistance(0.7), 0);
});

test('domain probe: source-only features separate almost perfectly, DANN-aligned ones much less, a dead network not at all', async () => {
  const probe = async (run: string) => {
    const a = await dump(run);
    return trainDomainProbe(be.tf, toMatrix('s', a.get('source_features')!), toMatrix('t', a.get('target_features')!), { seed: 0 })!;
  };
  const so = await probe('source_only');
  const healthy = await probe('healthy');
  const dead = await probe('diverged');
  assert.ok(so.accuracy > 95, `source_only ${so.accuracy}`);
  assert.ok(healthy.aDistance < so.aDistance - 0.5, `healthy A ${healthy.aDistance} vs source_only ${so.aDistance}`);
  // the diverged net maps every input to the same features: nothing to separate
  assert.equal(dead.accuracy, 50);
  assert.equal(dead.aDistance, 0);
  assert.equal(so.heldOut, 2 * Math.round(225 * 0.3));
});

test('the same seed gives the same probe', async () => {
  const a = await dump('healthy');
  const s = toMatrix('s', a.get('source_features')!);
  const t = toMatrix('t', a.get('target_features')!);
  const r1 = trainDomainProbe(be.tf, s, t, { seed: 3, steps: 50 })!;
  const r2 = trainDomainProbe(be.tf, s, t, { seed: 3, steps: 50 })!;
  assert.deepEqual(r1, r2);
});

test('discriminator counterfactual (small shape): a BatchNorm discriminator separates source-only features; runs are reproducible', async () => {
  const a = await dump('source_only');
  const s = toMatrix('s', a.get('source_features')!);
  const t = toMatrix('t', a.get('target_features')!);
  const opts = { seed: 1, batchNorm: true, hidden: 64, budgetSteps: 40 };
  const r1 = trainDiscriminator(be.tf, s, t, opts)!;
  const r2 = trainDiscriminator(be.tf, s, t, opts)!;
  assert.deepEqual(r1, r2);
  assert.ok(r1.stepsToSeparate !== null && r1.stepsToSeparate <= 40, JSON.stringify(r1));
  assert.ok(r1.finalAccuracy > 90, JSON.stringify(r1));
  // the dead network's features are identical across domains: no discriminator can beat chance on held-out rows
  const d = await dump('diverged');
  const dead = trainDiscriminator(be.tf, toMatrix('s', d.get('source_features')!), toMatrix('t', d.get('target_features')!), { ...opts, batchNorm: false })!;
  assert.equal(dead.stepsToSeparate, null);
  assert.ok(Math.abs(dead.finalAccuracy - 50) <= 1, JSON.stringify(dead));
});

test('rebuilt bottleneck reproduces the dumped post-bottleneck features, and the head the dumped logits', async () => {
  for (const run of ['healthy', 'label_shift']) {
    const { stateDict } = await readPth(resolve(sharedRun(run), 'checkpoints/latest.pth'));
    const h = headFromStateDict(stateDict)!;
    assert.equal(h.prefix, '');
    assert.equal(h.inDim, 128);
    assert.equal(h.bottleneckDim, 128);
    assert.equal(h.numClasses, 10);
    const a = await dump(run);
    const feats = forwardMlp(be.tf, h.bottleneck, toMatrix('b', a.get('target_backbone_features')!), 100);
    const want = toMatrix('f', a.get('target_features')!);
    let maxDiff = 0;
    for (let i = 0; i < want.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(feats.data[i]! - want.data[i]!));
    assert.ok(maxDiff < 1e-4, `${run} features differ by ${maxDiff}`);
  }
});

test('state_dict layouts: a DataParallel prefix, a head without bottleneck, no head at all', () => {
  const t = (shape: number[], fill: number): NdArray => ({ dtype: 'f4', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });
  const plain = headFromStateDict(new Map([['module.head.weight', t([3, 5], 1)], ['module.head.bias', t([3], 0)]]))!;
  assert.equal(plain.prefix, 'module.');
  assert.equal(plain.bottleneckDim, null);
  assert.equal(plain.bottleneck.length, 0);
  assert.equal(headFromStateDict(new Map([['backbone.0.weight', t([2, 2], 1)]])), null);
  // BN folding: running_mean 1, running_var 3 (+eps), gamma 2, beta 0.5 on a 1x1 Linear w=1 b=0:
  // y = 2 * (x - 1) / sqrt(3 + 1e-5) + 0.5
  const bn = headFromStateDict(new Map([
    ['bottleneck.0.weight', t([1, 1], 1)], ['bottleneck.0.bias', t([1], 0)],
    ['bottleneck.1.weight', t([1], 2)], ['bottleneck.1.bias', t([1], 0.5)],
    ['bottleneck.1.running_mean', t([1], 1)], ['bottleneck.1.running_var', t([1], 3)],
    ['head.weight', t([2, 1], 1)], ['head.bias', t([2], 0)],
  ]))!;
  const x = 4;
  const want = Math.max(0, (2 * (x - 1)) / Math.sqrt(3 + 1e-5) + 0.5);
  const y = forwardMlp(be.tf, bn.bottleneck, { rows: 1, cols: 1, data: Float32Array.of(x) });
  assert.ok(Math.abs(y.data[0]! - want) < 1e-5, `${y.data[0]} vs ${want}`);
  assert.throws(() => headFromStateDict(new Map([['head.weight', t([4], 1)]])), /expected \[classes, features\]/);
});

test('ten measure() runs leave no tensor behind, and give identical results', async () => {
  const arrays = await dump('label_shift');
  const opts = { discBudgetSteps: 3, discHidden: 16 };
  const first = await measure(be, { arrays }, opts);
  const before = be.tf.memory().numTensors;
  for (let i = 0; i < 10; i++) {
    const r = await measure(be, { arrays }, opts);
    assert.deepEqual({ ...r, seconds: 0 }, { ...first, seconds: 0 });
  }
  assert.equal(be.tf.memory().numTensors, before);
});

test('progress is reported from 0 to 1, never backwards', async () => {
  const arrays = await dump('healthy');
  const fracs: number[] = [];
  await measure(be, { arrays }, { discBudgetSteps: 10, discHidden: 16, onProgress: (_m, f) => fracs.push(f) });
  assert.equal(fracs[0], 0);
  assert.equal(fracs.at(-1), 1);
  for (let i = 1; i < fracs.length; i++) assert.ok(fracs[i]! >= fracs[i - 1]!, `progress went back at ${i}: ${fracs.join(',')}`);
});

test('maxPoints subsamples each domain (seeded) for the probes and says so in a note', async () => {
  const arrays = await dump('healthy');
  const res = await measure(be, { arrays }, { maxPoints: 100, discBudgetSteps: 0, perClassADistance: false });
  // 100 rows per domain, 30 held out of each
  assert.equal(res.domainProbe!.heldOut, 60);
  assert.ok(res.notes.some((n) => /100 of 225 rows/.test(n.message)), JSON.stringify(res.notes));
  // classification still uses every row
  assert.equal(res.target!.n, 225);
});

test('without target labels (the usual UDA dump) the target label distribution is still estimated from the predictions', async () => {
  const all = await dump('label_shift');
  const arrays = new Map([...all].filter(([k]) => k !== 'target_labels'));
  const res = await measure(be, { arrays }, { discBudgetSteps: 0, perClassADistance: false });
  assert.equal(res.target, undefined);
  // truth.json target_pred_histogram of label_shift: [10, 13, 12, 35, 11, 25, 34, 20, 23, 42] over 225 rows
  assert.deepEqual(res.targetLabelDistribution, [10, 13, 12, 35, 11, 25, 34, 20, 23, 42].map((c) => c / 225));
});

test('per-class A-distance: source-only classes sit far apart, DANN-aligned ones closer; diverged 0 everywhere', async () => {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const perClass = async (run: string) => {
    const a = await dump(run);
    return perClassADistance(be.tf, toMatrix('s', a.get('source_features')!), toLabels('ys', a.get('source_labels')!),
      toMatrix('t', a.get('target_features')!), toLabels('yt', a.get('target_labels')!), 10, { seed: 0 });
  };
  const so = mean(await perClass('source_only'));
  const healthy = mean(await perClass('healthy'));
  assert.ok(so > 1.5, `source_only mean ${so}`);
  assert.ok(healthy < so - 0.4, `healthy mean ${healthy} vs source_only ${so}`);
  assert.deepEqual(await perClass('diverged'), new Array(10).fill(0));
});
