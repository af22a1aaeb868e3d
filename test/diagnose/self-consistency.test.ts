// Self-consistency over our own fixtures (no ../shared needed), and the checker itself on made-up reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync, statSync } from 'node:fs';
import { FIXTURES } from '../helpers/shared.js';
import { diagnose, judgeRun, resolveConfig } from '../../src/index.js';
import type { RunReport } from '../../src/report/schema.js';
import { reportConsistency } from '../helpers/consistency.js';
import { makeRun, epochSeries } from '../rules/runs.js';
import { KEY } from '../../src/model/metric-keys.js';

/** Every fixture folder that holds runs (hostile inputs, bare arrays, checkpoints and SARIF samples are not runs). */
const NOT_RUNS = new Set(['hostile', 'npy', 'pth', 'sarif']);
const dirs = readdirSync(FIXTURES).filter((d) => !NOT_RUNS.has(d) && statSync(join(FIXTURES, d)).isDirectory()).sort();

test('fixture folders found', () => assert.ok(dirs.length >= 6, dirs.join(', ')));

for (const dir of dirs) {
  test(`self-consistent: fixtures/${dir}`, async () => {
    const rep = await diagnose([join(FIXTURES, dir)]);
    for (const r of rep.runs) assert.deepEqual(reportConsistency(r).problems, []);
  });
}

// The run: best at epoch 0 (29.5%), then 8-17%, ending at 17.3%.
const fallen = [29.5, 12, 9, 15, 8, 13, 11, 14, 10, 12, 15, 9, 13, 16, 12, 14, 11, 15, 16, 17.3];

test('a first-epoch peak never reached again: degrading, and no "did not degrade" sentence', () => {
  const r = judgeRun(makeRun({ series: [epochSeries(KEY.valAcc, fallen)] }), resolveConfig());
  assert.ok(r.findings.some((f) => f.ruleId === 'target-acc-degrading'));
  assert.ok(!r.checked.some((c) => /did not degrade/.test(c)), r.checked.join('\n'));
  assert.deepEqual(reportConsistency(r).problems, []);
});

test('the checker catches "did not degrade" next to a far lower end (the old sentence)', () => {
  const r = judgeRun(makeRun({ series: [epochSeries(KEY.valAcc, fallen)] }), resolveConfig({ rules: { 'target-acc-degrading': 'off' } }));
  // what the report used to say for this run
  const old: RunReport = {
    ...r,
    checked: ['target accuracy did not degrade (29.5% at epoch 0 -> 17.3% at epoch 19)'],
    checks: [{ claim: 'target-not-degrading', series: KEY.valAcc, limit: 5, text: 'target accuracy did not degrade (29.5% at epoch 0 -> 17.3% at epoch 19)', values: [{ name: 'first', value: 29.5, how: 'value', epoch: 0 }, { name: 'last', value: 17.3, how: 'value', epoch: 19 }] }],
  };
  const res = reportConsistency(old);
  assert.equal(res.problems.length, 1, res.problems.join('\n'));
  assert.match(res.problems[0], /held 29.5/);
  // a wrong number is caught too
  const wrong: RunReport = { ...old, checks: [{ ...old.checks![0], limit: 100, values: [{ name: 'last', value: 20, how: 'value', epoch: 19 }] }] };
  assert.match(reportConsistency(wrong).problems.join('\n'), /at epoch 19 is 17.3/);
  // with the rule off the new code says nothing rather than "fine"
  assert.ok(!r.checked.some((c) => /did not degrade/.test(c)), r.checked.join('\n'));
});
