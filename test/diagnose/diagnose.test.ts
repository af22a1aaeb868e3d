// diagnose(): ranked causes with evidence that raised/lowered them, run-specific fixes, experiments, checked/notChecked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/causes/index.js';
import { runRules } from '../../src/engine/run-rules.js';
import { RULES } from '../../rules/index.js';
import type { Run } from '../../src/model/types.js';
import { sharedRun, realLog, makeRun, switchedOff, tllibSeries } from '../rules/runs.js';
import { KEY } from '../../src/model/metric-keys.js';

const empty = { rules: {}, ruleOptions: {}, metricAliases: {} };
async function judge(run: Run, baseline?: Run) {
  const { findings, notApplicable } = runRules(run, empty, baseline, RULES);
  return { findings, ...diagnose(run, findings, { notApplicable, baseline }) };
}

test('healthy: no causes, and the checked lines say why (with the source-only baseline)', async () => {
  const d = await judge(await sharedRun('healthy')(), await sharedRun('source_only')());
  assert.deepEqual(d.causes, []);
  const checked = d.checked.join('\n');
  assert.match(checked, /domain acc settled at 54\.6% after the GRL warm-up \(epochs 9\.\.14 within 5 points\)/);
  assert.match(checked, /target improved \+35\.1 over source-only source_only \(50\.7% -> 85\.8%\)/);
  assert.match(checked, /no NaN\/Inf or blow-up in 1 loss series/);
  assert.match(checked, /GRL warm-up normal: lambda reaches 0\.98/);
  assert.match(d.notChecked.join('\n'), /features\.npz not evaluated/);
  assert.match(d.notChecked.join('\n'), /per-class-imbalance: no per-class target accuracy/);
});

test('diverged: learning-rate-too-high first, evidence from the findings and the lr, fix with lr=10', async () => {
  const d = await judge(await sharedRun('diverged')());
  const top = d.causes[0];
  assert.equal(top.id, 'learning-rate-too-high');
  assert.ok(top.confidence > 0.9);
  assert.ok(top.evidence.some((e) => e.startsWith('loss-divergence:')));
  assert.ok(top.evidence.some((e) => e.startsWith('lr=10 together with unstable losses')));
  assert.deepEqual(top.fixes[0], 'lr=10 -> 0.01 (tllib DANN SGD default)');
  assert.ok(top.experiment && /lr|trade_off=0/.test(top.experiment));
  assert.ok(!d.checked.some((c) => /NaN/.test(c)), 'a diverged run must not be "checked: no NaN"');
});

test('strong_disc: discriminator-too-strong raised by the config, lowered by the settled domain accuracy', async () => {
  const d = await judge(await sharedRun('strong_disc')());
  const top = d.causes[0];
  assert.equal(top.id, 'discriminator-too-strong');
  assert.ok(top.evidence.some((e) => /settled at 55\.5% after the GRL warm-up .* \(x0\.45\)/.test(e)), top.evidence.join('\n'));
  // noisy-OR of 0.4, 0.1, 0.1 = 0.5139, times 0.45 -> 0.23
  assert.equal(top.confidence, 0.23);
});

test('label_shift: label shift first, conditional shift second, experiment tells them apart', async () => {
  const d = await judge(await sharedRun('label_shift')());
  assert.deepEqual(d.causes.slice(0, 2).map((c) => c.id), ['class-imbalance-or-label-shift', 'conditional-shift']);
  // noisy-OR of 0.7 (per-class-imbalance) and 0.35 (target-acc-degrading)
  assert.equal(d.causes[0].confidence, 0.81);
  assert.match(d.causes[0].fixes.join(' '), /classes 7 - seven left behind/);
  assert.match(d.causes[0].experiment ?? '', /label shift.*conditional shift/);
});

test('dh-digits-b1-b: a frozen discriminator is the top cause, with the BCE-clamp fix', async () => {
  const d = await judge(await realLog('dh-digits-b1-b')());
  assert.equal(d.causes[0].id, 'discriminator-not-learning');
  assert.match(d.causes[0].fixes[0], /BCEWithLogits/);
});

test('DAN (no discriminator): discriminator and GRL causes are never listed', async () => {
  const d = await judge(await realLog('dao-dan-l1')());
  for (const c of d.causes) assert.ok(!['discriminator-too-strong', 'discriminator-not-learning', 'grl-coefficient-too-low'].includes(c.id), c.id);
});

test('info findings alone raise no cause; trade_off fix uses the run value', async () => {
  const shortRun = await realLog('dh-a2w-2ep')();
  const d = await judge(shortRun);
  assert.deepEqual(d.causes, []);
  const low = await judge(makeRun({ hyperparameters: { trade_off: 0.01 } }));
  assert.equal(low.causes[0].id, 'grl-coefficient-too-low');
  assert.ok(low.causes[0].fixes.includes('trade_off=0.01 -> try 1.0'), low.causes[0].fixes.join(' | '));
  const tiny = await judge(makeRun({ hyperparameters: { batch_size: 1 } }));
  assert.equal(tiny.causes[0].id, 'tiny-batch-batchnorm');
  assert.equal(tiny.causes[0].fixes[0], 'batch_size=1 with BatchNorm -> >= 32');
});

test('re-evaluation evidence: the BatchNorm counterfactual raises discriminator-too-strong, a probe line is checked', async () => {
  const base = await sharedRun('strong_disc')();
  const run: Run = {
    ...base,
    eval: {
      backend: 'test', backendReason: 'test', numClasses: 10, seconds: 0, notes: [],
      domainProbe: { accuracy: 72.5, aDistance: 0.9, heldOut: 90, seed: 0 },
      discriminatorCounterfactual: { withBatchNorm: { stepsToSeparate: 12, finalAccuracy: 99 }, withoutBatchNorm: { stepsToSeparate: null, finalAccuracy: 71 }, budgetSteps: 100 },
    },
  };
  const d = await judge(run);
  assert.equal(d.causes[0].id, 'discriminator-too-strong');
  assert.ok(d.causes[0].evidence.some((e) => /BatchNorm discriminator separates the domains in 12 steps, without BatchNorm not within 100 steps/.test(e)));
  // noisy-OR of 0.4, 0.1, 0.1, 0.15 = 0.5869, times 0.45 (domain acc settled at 55.5%) -> 0.26
  assert.equal(d.causes[0].confidence, 0.26);
  assert.ok(d.checked.some((c) => /linear probe reaches 72\.5% \(A-distance 0\.9\)/.test(c)));
});

test('GRL switched off mid-run: grl-coefficient-too-low ranks first, with the switch in the fix', async () => {
  const d = await judge(switchedOff());
  assert.deepEqual(d.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId).sort(), ['curve-jump', 'domain-acc-saturated', 'trade-off-extreme']);
  assert.equal(d.causes[0].id, 'grl-coefficient-too-low');
  assert.ok(d.causes[0].fixes.some((f) => /grl_switch_iter=2400, grl_switch_hi=0: the reversal drops to 0 mid-run/.test(f)), d.causes[0].fixes.join(' | '));
});

// Made-up runs for the pathologies the shared generator's options allow but the shared runs do not show.
test('trade_off=0.01 with an unlogged (tllib default BatchNorm) discriminator: the weak reversal ranks first', async () => {
  const d = await judge(makeRun({ hyperparameters: { trade_off: 0.01 }, series: [tllibSeries(KEY.domainAcc, [95, 97, 98, 98, 99, 99, 99, 99, 99, 99])] }));
  assert.deepEqual(d.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId).sort(), ['discriminator-batchnorm', 'domain-acc-saturated', 'trade-off-extreme']);
  assert.equal(d.causes[0].id, 'grl-coefficient-too-low');
  assert.ok(d.causes[0].fixes.includes('trade_off=0.01 -> try 1.0'));
});

test('trade_off=10 pinning the discriminator at chance: trade-off-too-high ranks first', async () => {
  const d = await judge(makeRun({ hyperparameters: { trade_off: 10 }, series: [tllibSeries(KEY.domainAcc, [51, 50.5, 50.2, 50.1, 50.3]), tllibSeries(KEY.transferLoss, [0.693, 0.693, 0.693, 0.693, 0.693])] }));
  assert.deepEqual(d.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId).sort(), ['domain-acc-at-chance', 'trade-off-extreme']);
  assert.equal(d.causes[0].id, 'trade-off-too-high');
  assert.match(d.causes[0].fixes[0], /^trade_off=10 -> try 1\.0/);
});

test('batch_size=1 with a BatchNorm discriminator that wins: tiny-batch-batchnorm ranks first', async () => {
  const d = await judge(makeRun({ hyperparameters: { batch_size: 1, disc_batch_norm: true }, series: [tllibSeries(KEY.domainAcc, [95, 97, 98, 98, 99, 99, 99, 99, 99, 99])] }));
  assert.equal(d.causes[0].id, 'tiny-batch-batchnorm');
  assert.equal(d.causes[1].id, 'discriminator-too-strong');
});

test('nan rows in the target per-class table (classes without target samples) raise label-space-mismatch', async () => {
  const rows = [90, 85, 88, 20, NaN, NaN, NaN].map((acc, i) => ({ name: `c${i}`, acc }));
  const run = makeRun({
    series: [tllibSeries(KEY.clsAcc, [90, 99, 99, 99, 99])],
    testAcc1: 30,
    perClass: [{ file: '/fake/run/train.txt', line: 70, endLine: 80, domain: 'target', origin: 'log', phase: 'val', epoch: 4, rows }],
  });
  const d = await judge(run);
  const c = d.causes.find((x) => x.id === 'label-space-mismatch');
  assert.ok(c, JSON.stringify(d.causes.map((x) => x.id)));
  assert.ok(c.evidence.some((e) => /3 of 7 classes have no target samples in the per-class table \(c4, c5, c6; \/fake\/run\/train\.txt:70\)/.test(e)));
});
