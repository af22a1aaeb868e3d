// compare: pure compareRuns on the real source-only vs healthy runs, the command's three formats and exit codes,
// and seed-set comparison.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import type { Report } from '../../src/report/schema.js';
import { compareRuns, compareCommand, isSourceOnly, compareRunSets } from '../../src/cli/compare.js';
import { SHARED_RUNS, hasShared } from '../helpers/shared.js';
import { copyWithSeed, makeSweep, type Sweep } from './sweep-fixture.js';
import { regressionAgainstBaseline } from '../../src/seeds/index.js';

let report: Report;
let sweep: Sweep;
const run = (name: string) => report.runs.find((r) => r.id === name || r.id.endsWith(`/${name}`))!;

before(async () => {
  report = await diagnose([SHARED_RUNS]);
  sweep = await makeSweep();
});
after(async () => {
  await sweep?.cleanup();
});

function io() {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: new Writable({ write(c, _e, cb) { out += String(c); cb(); } }),
      stderr: new Writable({ write(c, _e, cb) { err += String(c); cb(); } }),
      env: {}, isTTY: false, cwd: SHARED_RUNS,
    },
    out: () => out,
    err: () => err,
  };
}

test('source-only is recognised by algorithm erm or trade_off=0', () => {
  assert.equal(isSourceOnly(run('source_only')), true);
  assert.equal(isSourceOnly(run('healthy')), false);
  assert.equal(isSourceOnly({ algorithm: 'dann', hyperparameters: { trade_off: 0 } }), true);
  assert.equal(isSourceOnly({ algorithm: 'dann', hyperparameters: { trade_off: 0.1 } }), false);
});

test('compareRuns(source_only, healthy): hyperparameter diff, metric deltas, adaptation gain', () => {
  const c = compareRuns(run('source_only'), run('healthy'));
  // Namespace lines: source_only has wd=0.0005, lr_gamma=0.0003 and no trade_off; healthy weight_decay=0.001, lr_gamma=0.001, trade_off=1.0
  const diff = Object.fromEntries(c.hyperparameters.map((d) => [d.key, [d.a, d.b]]));
  assert.deepEqual(diff.lr_gamma, [0.0003, 0.001]);
  assert.deepEqual(diff.trade_off, [undefined, 1]);
  assert.ok(!('log' in diff), 'paths are not configuration');
  assert.ok(!('lr' in diff), 'both used lr=0.01');
  const final = c.metrics.find((m) => m.name === 'final target acc')!;
  assert.equal(final.a, 49.778);
  assert.equal(final.b, 85.778);
  assert.ok(Math.abs(final.delta! - 36) < 1e-9);
  const best = c.metrics.find((m) => m.name === 'best target acc')!;
  assert.ok(Math.abs(best.a! - 50.7) < 0.05 && Math.abs(best.b! - 85.8) < 0.05, `${best.a} ${best.b}`);
  assert.equal(c.adaptationGain.sourceOnly, run('source_only').id);
  assert.ok(Math.abs(c.adaptationGain.gain! - 36) < 1e-9);
  // a finding is in exactly one of the three lists
  const all = [...c.onlyInA, ...c.onlyInB, ...c.inBoth].map((f) => `${f.ruleId}|${f.messageId}`);
  assert.equal(new Set(all).size, all.length);
});

test('compareRuns(healthy, label_shift): per-class deltas need both tables; findings only in label_shift', () => {
  const c = compareRuns(run('healthy'), run('label_shift'));
  assert.equal(c.perClass.length, 0, 'healthy was run without --per-class-eval');
  assert.equal(c.adaptationGain.gain, undefined);
  assert.match(c.adaptationGain.note!, /neither run is source-only/);
  const ls = run('label_shift').findings.filter((f) => !f.suppressed && !run('healthy').findings.some((h) => h.ruleId === f.ruleId && h.messageId === f.messageId));
  assert.deepEqual(c.onlyInB.map((f) => f.ruleId).sort(), [...new Set(ls.map((f) => f.ruleId))].sort());
  // per-class: label_shift against itself gives zero deltas on its 10 classes
  const self = compareRuns(run('label_shift'), run('label_shift'));
  assert.equal(self.perClass.length, 10);
  assert.ok(self.perClass.every((d) => d.delta === 0 || Number.isNaN(d.a!)));
});

test('compare command: text, json and markdown; exit 1 on a regression only with --fail-on-regression', async () => {
  const t = io();
  assert.equal(await compareCommand(['source_only', 'healthy'], t.io), 0);
  assert.match(t.out(), /compare A=.*source_only \(erm, finished\) with B=.*healthy \(dann, finished\)/);
  assert.match(t.out(), /final target acc\s+49\.8\s+85\.8\s+\+36\.0/);
  assert.match(t.out(), /adaptation gain of .*healthy over source-only .*source_only: \+36\.0 points/);

  const j = io();
  assert.equal(await compareCommand(['healthy', '--baseline', 'source_only', '--format', 'json'], j.io), 0);
  const doc = JSON.parse(j.out());
  assert.equal(doc.kind, 'run-comparison');
  assert.match(doc.a.id, /source_only/);
  assert.ok(Math.abs(doc.adaptationGain.gain - 36) < 1e-9);

  const m = io();
  assert.equal(await compareCommand(['source_only', 'healthy', '--format=markdown'], m.io), 0);
  assert.match(m.out(), /\| final target acc \| 49\.8 \| 85\.8 \| \+36\.0 \|/);

  const r = io();
  assert.equal(await compareCommand(['healthy', 'diverged', '--fail-on-regression'], r.io), 1, '85.8 -> 9.8 is a regression');
  assert.equal(await compareCommand(['healthy', 'strong_disc', '--fail-on-regression'], io().io), 0, '85.778 -> 85.778 is not');

  const u = io();
  assert.equal(await compareCommand(['only-one'], u.io), 2);
  assert.match(u.err(), /compare needs two paths/);
  const missing = io();
  assert.equal(await compareCommand(['healthy', 'no-such-run'], missing.io), 2);
  assert.match(missing.err(), /no-such-run/);
});

test('compare seed sets: three seeds of healthy vs two of diverged is a drop beyond seed noise', async () => {
  const a = join(sweep.root, 'set-a');
  const b = join(sweep.root, 'set-b');
  await mkdir(a);
  await mkdir(b);
  for (const s of [1, 2, 3]) await copyWithSeed(join(SHARED_RUNS, 'healthy'), join(a, `s${s}`), s);
  for (const s of [1, 2]) await copyWithSeed(join(SHARED_RUNS, 'diverged'), join(b, `s${s}`), s);
  const ra = await diagnose([a]);
  const rb = await diagnose([b]);
  const c = compareRunSets(ra.runs, rb.runs);
  assert.equal(c.a.values.length, 3);
  assert.equal(c.b.values.length, 2);
  assert.ok(Math.abs(c.test.test.diff - (9.778 - 85.778)) < 1e-9);
  assert.equal(c.test.verdict, 'worse');
  assert.deepEqual(c.hyperparameters.map((d) => d.key), ['lr'], 'lr=10 is the only config difference (seeds left out)');
  // the same question asked as a regression check of the diverged seeds against the healthy ones
  const reg = regressionAgainstBaseline(rb.runs, ra.runs);
  assert.equal(reg.verdict, 'worse');
  assert.match(reg.summary, /^current \(n=2\) vs baseline \(n=3\): -76\.0 points/);
  // and a single current run against the three seeds (one-sample test on the baseline's spread)
  assert.equal(regressionAgainstBaseline([ra.runs[0]], ra.runs).verdict, 'within-noise');
  const t = io();
  assert.equal(await compareCommand([a, b, '--fail-on-regression'], t.io), 1);
  assert.match(t.out(), /compare A \(3 runs\) with B \(2 runs\)/);
  assert.match(t.out(), /worse beyond seed noise/);
});
