// The JSON report written in pieces (one run at a time, for sweeps) is byte for byte the report written whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import type { Report } from '../../src/report/schema.js';
import { renderJson, renderJsonChunks } from '../../src/reporters/json.js';
import { SHARED_RUNS } from '../helpers/shared.js';

test('renderJsonChunks joins to renderJson: several runs, NaN/Infinity, C1 controls, no runs', async () => {
  const report = await diagnose([SHARED_RUNS], { evaluate: 'off' });
  assert.ok(report.runs.length > 2);
  const pieces = [...renderJsonChunks(report)];
  assert.ok(pieces.length >= report.runs.length + 2, 'the envelope and each run are separate pieces');
  assert.equal(pieces.join(''), renderJson(report));
  // non-finite numbers in several runs (listed once, at the end, with whole-report pointers) and a C1 control in a
  // string that must come out escaped as in the whole text
  const odd: Report = structuredClone(report);
  odd.runs[0].metrics.finalTargetAcc = Number.NaN;
  odd.runs[2].metrics.bestTargetAcc = Infinity;
  odd.runs[1].notes.push({ level: 'info', message: 'odd \u0085 char\nand a newline' });
  odd.errors.push({ path: '/x', message: 'an error after the runs' });
  const whole = renderJson(odd);
  assert.equal([...renderJsonChunks(odd)].join(''), whole);
  assert.deepEqual(JSON.parse(whole).nonFiniteFields.map((f: { pointer: string }) => f.pointer), ['/runs/0/metrics/finalTargetAcc', '/runs/2/metrics/bestTargetAcc']);
  const none: Report = { ...report, runs: [] };
  assert.equal([...renderJsonChunks(none)].join(''), renderJson(none));
});
