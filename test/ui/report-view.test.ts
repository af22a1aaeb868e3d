// Pure views of a Report for the UI: ordering, verdict, per-class rows, evidence ranges, curve alignment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sortedFindings, verdict, perClassView, evidenceEpochRange, findingEpochRange, alignCurves, curvesOf, hyperLine,
  evidenceLocation, evidenceText, isHealthy, causesOf, curveScale, curveStep,
} from '../../src/ui/state/report-view.js';
import { labelShiftRun, healthyRun, divergedRun } from './report-fixtures.js';
import type { EvalResults } from '../../src/model/types.js';

test('findings are sorted worst first, stable within a severity, suppressed last', () => {
  const run = labelShiftRun();
  assert.deepEqual(sortedFindings(run).map((f) => f.ruleId), ['per-class-imbalance', 'target-acc-degrading', 'oracle-model-selection']);
  run.findings[2].suppressed = true; // per-class-imbalance
  assert.deepEqual(sortedFindings(run).map((f) => f.ruleId), ['target-acc-degrading', 'oracle-model-selection', 'per-class-imbalance']);
});

test('verdict: the top cause with its confidence; healthy says so; a crash names the exception', () => {
  assert.deepEqual(verdict(labelShiftRun()), { severity: 'error', text: 'likely cause: class-imbalance-or-label-shift (confidence 0.78)' });
  assert.deepEqual(verdict(healthyRun()), { severity: 'ok', text: 'no problems found' });
  assert.equal(isHealthy(healthyRun()), true);
  // made up: no shared run crashed; the shape is tllib's traceback tail
  const crashFinding = { ruleId: 'run-crashed', messageId: 'crashed', severity: 'error' as const, message: 'the run crashed', data: {}, evidence: [], causes: [], fingerprint: 'x' };
  const crashed = { ...healthyRun(), status: 'crashed' as const, crash: { file: 'train.txt', line: 120, type: 'RuntimeError', message: 'CUDA out of memory' }, findings: [crashFinding], causes: [] };
  assert.deepEqual(verdict(crashed), { severity: 'error', text: 'crashed: RuntimeError: CUDA out of memory' });
  assert.equal(isHealthy(crashed), false);
});

test('per-class view from the log: the last epoch table (label_shift, lines 394-403, = truth.json)', () => {
  const v = perClassView(labelShiftRun(), undefined)!;
  assert.equal(v.names.length, 10);
  assert.equal(v.names[7], '7 - seven');
  assert.equal(v.target![7], 9.090909004211426);
  assert.equal(v.target![6], 100.0);
  assert.equal(v.source, undefined, 'the log has no source per-class table');
  assert.match(v.targetFrom!, /log val table, epoch 14 at train-2026-11-27-18_38_15\.txt:394/);
  assert.equal(perClassView(healthyRun(), undefined), null, 'no table, no evaluation: unknown');
});

test('per-class view prefers evaluation results (both domains, same model)', () => {
  const ev = {
    backend: 'wasm', backendReason: 'test', numClasses: 2, classNames: ['a', 'b'], seconds: 1, notes: [],
    source: { n: 10, accuracy: 90, perClassAcc: [100, 80], confusion: [], predHistogram: [5, 5], labelHistogram: [5, 5], predEntropyNorm: 1, predictionsFrom: 'logits' },
    target: { n: 10, accuracy: 50, perClassAcc: [90, NaN], confusion: [], predHistogram: [9, 1], labelHistogram: [5, 5], predEntropyNorm: 0.47, predictionsFrom: 'logits' },
  } satisfies EvalResults;
  const v = perClassView(labelShiftRun(), ev)!;
  assert.deepEqual(v.names, ['a', 'b']);
  assert.deepEqual(v.source, [100, 80]);
  assert.ok(Number.isNaN(v.target![1]));
  assert.equal(v.targetFrom, 're-evaluated (logits, n=10)');
});

test('evidence ranges: epochs as given, steps converted with iters per epoch, none without a range', () => {
  const run = labelShiftRun(); // 300 iterations per epoch
  assert.deepEqual(evidenceEpochRange(run, { file: 'f', observed: 1, from: 1, to: 14, unit: 'epoch' }), { from: 1, to: 14 });
  assert.deepEqual(evidenceEpochRange(run, { file: 'f', observed: 1, from: 600, to: 1499, unit: 'step' }), { from: 2, to: 4 });
  assert.equal(evidenceEpochRange({ ...run, itersPerEpoch: undefined }, { file: 'f', observed: 1, from: 600, unit: 'step' }), null);
  assert.equal(evidenceEpochRange(run, { file: 'f', observed: 1 }), null);
  const degrading = sortedFindings(run)[1];
  assert.deepEqual(findingEpochRange(run, degrading), { from: 1, to: 14, series: 'val/acc1' });
});

test('evidence text: location with line range, series range, observed vs threshold', () => {
  const ev = labelShiftRun().findings[1].evidence[0];
  assert.equal(evidenceLocation(ev), 'train-2026-11-27-18_38_15.txt:49-387');
  assert.equal(evidenceText(ev), 'val/acc1 epochs 1..14 · observed 52 vs threshold 59.56');
  const big = divergedRun().findings[0].evidence[0];
  assert.equal(evidenceText(big), 'train/loss epochs 0..1 · observed 9.17e+10 vs threshold 100');
});

test('causes of a finding come ranked with the diagnose confidence; unranked ones are left out', () => {
  const run = labelShiftRun();
  const f = { ...sortedFindings(run)[0], causes: ['conditional-shift', 'discriminator-too-strong', 'class-imbalance-or-label-shift'] as const };
  assert.deepEqual(causesOf(run, { ...f, causes: [...f.causes] }).map((c) => [c.id, c.confidence]), [['class-imbalance-or-label-shift', 0.78], ['conditional-shift', 0.31]]);
});

test('curves come in reading order and share one epoch axis with gaps as null', () => {
  const run = labelShiftRun();
  assert.deepEqual(curvesOf(run).map((c) => c.label), ['source acc', 'target acc', 'domain acc', 'loss', 'lr']);
  const short = { ...run, series: [run.series[1], { ...run.series[4], epochMeans: run.series[4].epochMeans.slice(5, 8) }] };
  const { epochs, values } = alignCurves(curvesOf(short));
  assert.equal(epochs.length, 15);
  assert.deepEqual(values[1].slice(4, 9), [null, 57.333, 53.778, 57.778, null]);
});

test('hyperparameter line reads like the ux sketch', () => {
  assert.match(hyperLine(labelShiftRun()), /^15 ep × 300 it · arch lenet_small · batch 32 · lr 0.01 · trade_off 1 · /);
});

test('curve scale: accuracy noise at chance drawn over 10 points, a diverging loss on log10, else its own range', () => {
  // diverged: Cls Acc epoch averages 9.3..10.7 (log), loss 3.01 -> 9.17e10 -> 3.10
  assert.deepEqual(curveScale('percent', [9.6, 9.8, 10.7, 9.3]), { min: 5, max: 15, log: false });
  assert.deepEqual(curveScale('percent', [99.1, 99.9]), { min: 90, max: 100, log: false }, 'kept inside 0..100');
  // label_shift domain acc 82.4 -> 55.8 spans 26.6 points: its own range
  assert.deepEqual(curveScale('percent', [82.4, 68.8, 55.8, 56.2]), { log: false });
  // label_shift target acc 50.222..59.556 spans 9.3 points: widened around its middle 54.889
  const t = curveScale('percent', [54.667, 59.556, 50.222, 52.0]);
  assert.ok(Math.abs(t.min! - 49.889) < 1e-9 && Math.abs(t.max! - 59.889) < 1e-9, JSON.stringify(t));
  assert.deepEqual(curveScale('loss', [145990213.92, 91730808209.29, 3.1]), { log: true });
  assert.deepEqual(curveScale('loss', [0.89, 0.66, 0.7]), { log: false });
  assert.deepEqual(curveScale('loss', [NaN, null]), { log: false });
});

test('a step is marked only when it is a jump, not a trend', () => {
  // label_shift domain acc settles 82.4 -> ~56 (a trend: change-point score ~6) -> no step
  assert.equal(curveStep(labelShiftRun().series[2].epochMeans.map((p) => p.mean)), null);
  const step = curveStep([48, 49, 48.5, 49, 0.7, 0.68, 0.69])!;
  assert.equal(step.index, 4);
  assert.equal(step.before, 48.625);
  assert.ok(Math.abs(step.after - 0.69) < 1e-9);
  assert.equal(curveStep([48, 49, null, 0.7, 0.68]), null, 'gaps: no step');
});
