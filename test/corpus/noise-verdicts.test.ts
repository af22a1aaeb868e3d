// The noise-model verdicts on real series from ../shared: degradation from a smoothed (or first-epoch) peak,
// oscillation with its lucky best epoch, warm-up climbs that are not jumps, and domain signals read from losses.
// Numbers by hand from the files (quoted in each case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHARED } from '../helpers/shared.js';
import { loadRuns, judgeRun, resolveConfig } from '../../src/index.js';
import type { Run } from '../../src/model/types.js';
import { KEY } from '../../src/model/metric-keys.js';
import { makeRun, epochSeries } from '../rules/runs.js';
import { domainSignalOf } from '../../src/facts/domain-signal.js';
import { targetCurveFactsOf } from '../../src/facts/facts.js';

async function one(rel: string): Promise<Run> {
  const { runs } = await loadRuns([join(SHARED, rel)]);
  assert.equal(runs.length, 1, rel);
  return runs[0];
}
const findings = (run: Run) => judgeRun(run, resolveConfig()).findings;

test('first-epoch peak never reached again (student DANN, MNIST-M -> SVHN): degrading', async () => {
  // mnistm2svhn_log.txt: epoch 001 0.27163, 002 0.28650, then 0.20-0.26; last five 0.25800 0.21000 0.22794 0.22694 0.23331
  const { runs } = await loadRuns([join(SHARED, 'real-artifacts/dann-mnistm2svhn-custom-log/problem3_DANN')]);
  const s = runs.flatMap((r) => Object.values(r.series)).find((x) => /svhn/.test(x.rawName));
  assert.ok(s, 'svhn accuracy series');
  // roles make it the target accuracy (svhn is the target of mnistm2svhn), so it arrives in percent under val/acc1
  assert.equal(s.key, KEY.valAcc);
  const values = s.points.map((p) => (s.unit === 'percent' ? p.value : p.value * 100));
  assert.equal(values.length, 100);
  const r = judgeRun(makeRun({ series: [epochSeries(KEY.valAcc, values)] }), resolveConfig());
  const f = r.findings.find((x) => x.ruleId === 'target-acc-degrading');
  assert.ok(f, r.findings.map((x) => x.message).join('\n'));
  // the smoothed level's highest point is the first epoch itself (27.163; the median-3 at epoch 1 is 27.163 too)
  assert.equal(f.data.peakEpoch, 0);
  assert.equal(f.data.peak, '27.2');
  assert.equal(f.data.end, '22.8'); // median(25.8, 21.0, 22.794, 22.694, 23.331)
  assert.equal(f.data.drop, '4.4');
  assert.ok(!r.checked.some((c) => /did not degrade/.test(c)));
});

test('keras lung CT: val accuracy oscillates; its best epoch (0.950 at 7) is a lucky draw, not a peak, and nothing degrades', async () => {
  // training_log.csv val_accuracy: 0.593 0.391 0.798 0.860 0.663 0.930 0.853 0.950 0.946 0.868
  const run = await one('real-artifacts/keras-csvlogger-lung');
  const fs = findings(run);
  const osc = fs.find((f) => f.ruleId === 'oscillation');
  assert.equal(osc?.messageId, 'target');
  assert.equal(osc?.data.bestEpoch, 7);
  assert.equal(osc?.data.best, '95');
  assert.match(osc!.message, /is a lucky draw of the swings, not a peak/);
  assert.ok(!fs.some((f) => f.ruleId === 'target-acc-degrading' || f.ruleId === 'curve-jump'));
});

test('healthy DANN: the climb 48.9 -> 76.4 over epochs 0-5 is a warm-up, not a jump or an oscillation', async () => {
  // val/acc1: 48.89 59.56 63.11 67.56 72.89 76.44 78.22 76.89 79.56 81.78 82.67 84.44 84.89 84.89 85.78
  const run = await one('runs/healthy');
  const facts = targetCurveFactsOf(run)!;
  assert.ok(facts.model.warmupEnd >= 3, `warm-up ends at ${facts.model.warmupEnd}`);
  assert.equal(facts.oscillating, false);
  assert.equal(facts.degrading, false);
  assert.deepEqual(findings(run).map((f) => f.ruleId), []);
});

test('domain loss stands in for a missing domain accuracy: healthy_lightning (one BCE term) and tensorboardX DANN (two)', async () => {
  // healthy_lightning metrics.csv: train_transfer_loss epoch means ~0.5-0.69 (domain acc 82 -> 54%)
  const hl = await one('runs/healthy_lightning');
  const noAcc = { ...hl, series: { ...hl.series } } as Run;
  delete noAcc.series[KEY.domainAcc];
  const sig = domainSignalOf(noAcc)!;
  assert.equal(sig.kind, 'bce-loss');
  assert.equal(sig.terms, 1);
  const r = judgeRun(noAcc, resolveConfig());
  assert.ok(!r.findings.some((f) => f.ruleId.startsWith('domain-acc')), r.findings.map((f) => f.message).join('\n'));
  assert.ok(r.checks!.some((c) => c.claim === 'domain-loss-final'));
  assert.ok(r.notChecked.some((l) => /judged from the domain loss/.test(l)));
  // tensorboardX: Domain_loss 1.426 -> 1.279 (source + target BCE, near 2 ln 2 = 1.386), domain acc 47 -> 66%
  const tb = await one('real-artifacts/tensorboardx-dann-usps2svhn/runs/transfer/usps');
  const tbNoAcc = { ...tb, series: { ...tb.series } } as Run;
  delete tbNoAcc.series[KEY.domainAcc];
  assert.equal(domainSignalOf(tbNoAcc)?.terms, 2);
  assert.ok(!findings(tbNoAcc).some((f) => f.ruleId.startsWith('domain-acc')));
});
