// evaluateRun on the real shared runs: per-class target accuracy must match truth.json to 0.5 points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateRun } from '../../src/evaluate/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import { SHARED_RUNS, FIXTURES, hasShared } from '../helpers/shared.js';
import { runAt, readTruth, TEST_BACKEND } from './helpers.js';

/** The acceptance tolerance of issue 5: the run's own per-class numbers to 0.5 points. */
const PER_CLASS_TOLERANCE = 0.5;
// Speed: probes and the discriminator are tested elsewhere; here only the classification path runs.
const FAST = { backend: TEST_BACKEND, discBudgetSteps: 0, perClassADistance: false, probeSteps: 20 } as const;

const runs = hasShared
  ? readdirSync(SHARED_RUNS).filter((n) => statSync(resolve(SHARED_RUNS, n)).isDirectory() && existsSync(resolve(SHARED_RUNS, n, 'features.npz')))
  : [];

test('every shared run with a dump is evaluated, matching truth.json per class from the logits and from the rebuilt head', async () => {
  const truth = readTruth();
  assert.ok(runs.length >= 6, `expected the six shared runs, found ${runs.join(', ')}`);
  for (const name of runs) {
    const t = truth[name]!;
    const res = await evaluateRun(runAt(resolve(SHARED_RUNS, name)), FAST);
    assert.ok(res, name);
    assert.equal(res.backend, TEST_BACKEND);
    assert.match(res.backendReason, /forced/);
    assert.equal(res.numClasses, 10);
    const want = Object.values(t.per_class_target_acc);
    const fromLogits = res.target!;
    const fromHead = res.rebuiltHead!.target!;
    assert.equal(fromLogits.predictionsFrom, 'logits');
    assert.equal(fromHead.predictionsFrom, 'rebuilt-head');
    want.forEach((w, c) => {
      assert.ok(Math.abs(fromLogits.perClassAcc[c]! - w) <= PER_CLASS_TOLERANCE, `${name} class ${c}: logits ${fromLogits.perClassAcc[c]} vs ${w}`);
      assert.ok(Math.abs(fromHead.perClassAcc[c]! - w) <= PER_CLASS_TOLERANCE, `${name} class ${c}: rebuilt ${fromHead.perClassAcc[c]} vs ${w}`);
    });
    assert.ok(Math.abs(fromLogits.accuracy - t.final_target_acc) <= PER_CLASS_TOLERANCE, `${name} target acc`);
    assert.ok(Math.abs(res.source!.accuracy - t.source_acc) <= PER_CLASS_TOLERANCE, `${name} source acc`);
    assert.deepEqual(fromLogits.predHistogram, t.target_pred_histogram, `${name} prediction histogram`);
    assert.deepEqual(fromLogits.labelHistogram, t.target_label_histogram, `${name} label histogram`);
    assert.equal(res.rebuiltHead!.agreementWithDump, 100, name);
    // float32 logits recomputed in another order: agree to float rounding, not bit for bit
    assert.ok(res.rebuiltHead!.maxAbsLogitDiff! < 1e-3, `${name} logit diff ${res.rebuiltHead!.maxAbsLogitDiff}`);
  }
});

test('diverged: every target prediction is one class, entropy 0; healthy spreads them (entropy near 1)', async () => {
  const dead = (await evaluateRun(runAt(resolve(SHARED_RUNS, 'diverged')), FAST))!;
  assert.equal(dead.target!.predEntropyNorm, 0);
  assert.deepEqual(dead.targetLabelDistribution, [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  const ok = (await evaluateRun(runAt(resolve(SHARED_RUNS, 'healthy')), FAST))!;
  assert.ok(ok.target!.predEntropyNorm > 0.99, String(ok.target!.predEntropyNorm));
  // source test split is balanced: 22-23 of 225 per class
  for (const p of ok.sourceLabelDistribution!) assert.ok(Math.abs(p - 0.1) < 0.01);
});

test('the checkpoint facts come through: bottleneck BatchNorm and iterations trained (15 epochs x 300 iters)', async () => {
  const res = (await evaluateRun(runAt(resolve(SHARED_RUNS, 'healthy')), FAST))!;
  assert.equal(res.rebuiltHead!.bottleneckBatchNorm, true);
  assert.equal(res.rebuiltHead!.batchesTracked, 4500);
  assert.match(res.rebuiltHead!.checkpoint, /latest\.pth$/);
});

test('class names come from the run log per-class table when it has one row per class', async () => {
  const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
  const run = runAt(resolve(SHARED_RUNS, 'healthy'), {
    perClass: [{ file: 'x', domain: 'target', origin: 'log', phase: 'test', rows: names.map((name) => ({ name, acc: 0 })) }],
  });
  const res = (await evaluateRun(run, FAST))!;
  assert.deepEqual(res.classNames, names);
});

test('a run without a feature dump has nothing to evaluate: null', async () => {
  assert.equal(await evaluateRun(runAt(resolve(FIXTURES, 'evaluate/no-dump')), FAST), null);
});

test('a dump whose label array is a matrix is an InputError naming the file', async () => {
  await assert.rejects(
    evaluateRun(runAt(resolve(FIXTURES, 'evaluate/bad-labels')), FAST),
    (e: unknown) => e instanceof InputError && /bad-labels\/features\.npz/.test(e.file) && /source_labels/.test(e.message),
  );
});
