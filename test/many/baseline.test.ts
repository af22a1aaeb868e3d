// The baseline file: write -> apply round trip on real runs, new findings still count, a checkout elsewhere still
// matches, stale entries, bad files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import type { Report } from '../../src/report/schema.js';
import { writeBaseline, applyBaseline, baselineText, parseBaseline, applyBaselineFile, writeBaselineFile } from '../../src/suppressions/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import { hasShared } from '../helpers/shared.js';
import { makeSweep, type Sweep } from './sweep-fixture.js';

let sweep: Sweep;
let report: Report;
const count = (r: Report, pred: (s: boolean) => boolean) => r.runs.reduce((n, run) => n + run.findings.filter((f) => pred(!!f.suppressed)).length, 0);

before(async () => {
  sweep = await makeSweep();
  report = await diagnose([sweep.root]);
});
after(async () => {
  await sweep?.cleanup();
});

test('round trip: every finding written is suppressed when applied to a fresh diagnosis of the same runs', async () => {
  const total = count(report, () => true);
  assert.ok(total > 0, 'the sweep has findings (diverged, label_shift ...)');
  const text = baselineText(report);
  const again = await diagnose([sweep.root]);
  const applied = applyBaseline(again, text);
  assert.equal(applied.suppressed, total);
  assert.equal(count(applied.report, (s) => !s), 0);
  assert.equal(applied.stale.length, 0);
  assert.equal(count(again, (s) => s), 0, 'applyBaseline does not change its input');
  // stable: the same findings give the same file, sorted
  assert.deepEqual(writeBaseline(again, new Date(0)).findings, writeBaseline(report, new Date(0)).findings);
});

test('a new finding is not suppressed; a fixed one shows up as stale', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-baseline-'));
  try {
    // baseline written when only healthy and diverged existed
    await cp(join(sweep.root, 'runs', 'healthy'), join(dir, 'healthy'), { recursive: true });
    await cp(join(sweep.root, 'runs', 'diverged'), join(dir, 'diverged'), { recursive: true });
    const first = await diagnose([dir]);
    const b = writeBaseline(first);
    // then label_shift is added, and diverged is fixed (removed)
    await cp(join(sweep.root, 'runs', 'label_shift'), join(dir, 'label_shift'), { recursive: true });
    await rm(join(dir, 'diverged'), { recursive: true });
    const later = await diagnose([dir]);
    const applied = applyBaseline(later, b);
    const ls = applied.report.runs.find((r) => r.id.endsWith('label_shift'))!;
    assert.ok(ls.findings.length > 0 && ls.findings.every((f) => !f.suppressed), 'label_shift findings are new');
    const diverged = first.runs.find((r) => r.id.endsWith('diverged'))!;
    assert.equal(applied.stale.filter((e) => e.runId === diverged.id).length, diverged.findings.length);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the same runs checked out in another folder still match (path-independent key)', async () => {
  const other = await mkdtemp(join(tmpdir(), 'dd-baseline-moved-'));
  try {
    // run ids are relative to the given root's parent, so the moved root keeps its folder name (as a CI checkout does)
    const moved = join(other, sweep.root.split('/').at(-1)!);
    await cp(sweep.root, moved, { recursive: true });
    const again = await diagnose([moved]);
    assert.deepEqual(again.runs.map((r) => r.id), report.runs.map((r) => r.id));
    const applied = applyBaseline(again, writeBaseline(report));
    assert.equal(count(applied.report, (s) => !s), 0, 'nothing new after a move');
  } finally {
    await rm(other, { recursive: true, force: true });
  }
});

test('file IO: write, apply in place, and clear errors naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-baseline-io-'));
  try {
    const file = join(dir, 'dann-doctor.baseline.json');
    await writeBaselineFile(report, file);
    const doc = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(doc.schemaVersion, 1);
    assert.ok(doc.findings.every((e: { key: string; fingerprint: string }) => e.key && e.fingerprint));
    const again = await diagnose([sweep.root]);
    const res = await applyBaselineFile(again, file);
    assert.equal(res.report, again, 'applied in place (the CLI keeps its report object)');
    assert.equal(count(again, (s) => !s), 0);

    await writeFile(join(dir, 'bad.json'), '{"schemaVersion": 1, "findings": [');
    await assert.rejects(applyBaselineFile(again, join(dir, 'bad.json')), (e: unknown) => e instanceof InputError && /bad\.json.*not valid JSON/.test(e.message));
    await assert.rejects(applyBaselineFile(again, join(dir, 'missing.json')), /missing\.json: no such file or directory/);
    assert.throws(() => parseBaseline('{"schemaVersion": 9, "findings": []}', 'x.json'), /x\.json: unsupported baseline schemaVersion 9/);
    assert.throws(() => parseBaseline('{"schemaVersion": 1, "findings": [{}]}', 'x.json'), /x\.json: findings\[0\] has neither/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
