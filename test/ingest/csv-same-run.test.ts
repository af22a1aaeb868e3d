// The healthy run logged two ways (tllib text log, Lightning CSVLogger files) must get the same verdicts (issue 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { SHARED_RUNS, hasShared } from '../helpers/shared.js';

test('healthy (tllib log) and healthy_lightning (metrics.csv + hparams.yaml): same findings, same not-applicable rules', async () => {
  const report = await diagnose([join(SHARED_RUNS, 'healthy'), join(SHARED_RUNS, 'healthy_lightning')], { evaluate: false });
  assert.deepEqual(report.errors, []);
  const [log, csv] = ['healthy', 'healthy_lightning'].map((id) => report.runs.find((r) => r.id === id)!);
  assert.deepEqual(csv.formats, ['lightning-csv']);
  const verdict = (r: typeof log) => ({
    findings: r.findings.map((f) => `${f.ruleId}/${f.messageId}`).sort(),
    notApplicable: r.notApplicable.map((n) => n.ruleId).sort(),
    causes: r.causes.map((c) => c.id),
    status: r.status,
    algorithm: r.algorithm,
  });
  assert.deepEqual(verdict(csv), verdict(log));
  assert.ok(Math.abs(csv.metrics.finalTargetAcc! - log.metrics.finalTargetAcc!) < 0.01);
  assert.ok(Math.abs(csv.metrics.bestTargetAcc! - log.metrics.bestTargetAcc!) < 0.05); // the log prints best with 1 decimal
  assert.ok(Math.abs(csv.metrics.finalDomainAcc! - log.metrics.finalDomainAcc!) < 5); // csv samples every 50 steps
});
