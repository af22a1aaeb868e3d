// Copies of one training (same seed, same numbers) are one sample: said, never averaged into an interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunReport } from '../../src/report/schema.js';
import { groupBySeed, sameTraining, duplicatesText } from '../../src/seeds/group-by-seed.js';
import { renderSeedGroupsText } from '../../src/sweep/render-triage.js';

function run(id: string, seed: number | undefined, metrics: RunReport['metrics']): RunReport {
  return {
    id, path: `/runs/${id}`, formats: ['tllib'], files: [], earlierAttempts: [], status: 'finished', algorithm: 'dann',
    hyperparameters: { trade_off: 1, lr: 0.01, ...(seed !== undefined ? { seed } : {}) }, metrics, series: [], evaluations: [],
    perClass: [], checkpoints: [], findings: [], causes: [], notApplicable: [], checked: [], notChecked: [], notes: [],
    verdict: 'ok', coverage: { found: [], missing: [] },
  } as RunReport;
}

test('fifty copies of one run: n=1 and the copies said, not "85.8 +- 0.0, n=50"', () => {
  const runs = Array.from({ length: 50 }, (_, i) => run(`copy${i + 1}`, 1, { finalTargetAcc: 85.778, bestTargetAcc: 86.2, finalSourceAcc: 99.1 }));
  const [g] = groupBySeed(runs);
  assert.equal(g.runIds.length, 50);
  assert.deepEqual(g.values, [85.778]);
  assert.equal(g.interval.n, 1);
  const text = renderSeedGroupsText([g]);
  assert.doesNotMatch(text, /n=50/);
  assert.match(text, /85\.8 \(n=1, no CI\)/);
  assert.match(text, /50 runs are copies of 1 training/);
});

test('a text log and its CSV (no seed in the CSV) with the same numbers are one training; distinct seeds stay', () => {
  const log = run("dann/log", 2, { finalTargetAcc: 84.1, bestTargetAcc: 85.0 });
  const csv = run('dann/metrics.csv', undefined, { finalTargetAcc: 84.1000004, bestTargetAcc: 85.0 });
  assert.ok(sameTraining(log, csv));
  // one equal number is not enough without a seed to compare
  assert.ok(!sameTraining(log, run('x', undefined, { finalTargetAcc: 84.1 })));
  // different seeds are different trainings even when the final number agrees
  assert.ok(!sameTraining(log, run('y', 3, { finalTargetAcc: 84.1, bestTargetAcc: 85.0 })));
  const [g] = groupBySeed([log, csv, run('dann/seed3', 3, { finalTargetAcc: 86.0, bestTargetAcc: 86.5 })]);
  assert.deepEqual(g.values, [84.1, 86.0]);
  assert.match(duplicatesText(g), /^2 runs are copies of 1 training .*dann\/log = dann\/metrics\.csv/);
});

test('triage seed column: seed=None and no seed both show "-"', async () => {
  const { triageTable } = await import('../../src/sweep/triage-table.js');
  const a = run('a', 1, { finalTargetAcc: 80 });
  const b = { ...run('b', undefined, { finalTargetAcc: 81 }), hyperparameters: { trade_off: 1, lr: 0.01, seed: null } } as RunReport;
  const c = run('c', undefined, { finalTargetAcc: 82 });
  const t = triageTable({ schemaVersion: 1, tool: { name: 'dann-doctor', version: '0' }, generatedAt: '', runs: [a, b, c], errors: [] } as never);
  const col = t.columns.indexOf('seed');
  assert.ok(col >= 0, t.columns.join(','));
  assert.deepEqual(t.rows.map((r) => r.cells[col]).sort(), ['-', '-', '1']);
});
