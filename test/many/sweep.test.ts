// Sweep triage on a sweep assembled from the real runs: parallel diagnosis equals the sequential one, table order and
// columns, seed groups.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import type { Report, RunReport } from '../../src/report/schema.js';
import { triageTable, renderTriageText, renderTriageMarkdown, renderSeedGroupsText } from '../../src/sweep/index.js';
import { diagnoseMany, workerCount, CORES_PER_SHARE } from '../../src/pipeline/diagnose-many.js';
import { availableParallelism } from 'node:os';
import { groupBySeed, compareSeedGroups } from '../../src/seeds/index.js';
import { hasShared } from '../helpers/shared.js';
import { renderText } from '../../src/reporters/text.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { RULES } from '../../rules/index.js';
import { makeSweep, type Sweep } from './sweep-fixture.js';

let sweep: Sweep;
let sequential: Report;
let parallel: Report;
const byId = (r: Report, id: string): RunReport => {
  const run = r.runs.find((x) => x.id === id);
  assert.ok(run, `run ${id} in ${r.runs.map((x) => x.id).join(', ')}`);
  return run;
};

before(async () => {
  sweep = await makeSweep();
  sequential = await diagnose([sweep.root]);
  // tiny batches and one run per worker force the worker path on 11 runs, with source_only in another worker's
  // share than most adapted runs (the cross-worker baseline path)
  parallel = await diagnoseMany([sweep.root], { concurrency: 2 }, { minRunsPerWorker: 1, batchRuns: 2 });
});
after(async () => {
  await sweep?.cleanup();
});

test('workerCount: no workers for small sweeps, at most the shares asked for (default: one per CORES_PER_SHARE free cores)', () => {
  assert.equal(workerCount(5, 2), 1);
  assert.equal(workerCount(1000, 2), 2);
  assert.equal(workerCount(1000, 8), 8);
  assert.equal(workerCount(30, 8), 1);
  // by default a share per CORES_PER_SHARE free cores: never a second share on a 2-core machine
  const d = workerCount(1000);
  assert.ok(d >= 1 && d <= Math.max(1, Math.floor(availableParallelism() / CORES_PER_SHARE)), `default ${d}`);
});

test('the sweep has all 11 runs with ids relative to the root', () => {
  const ids = sequential.runs.map((r) => r.id.replace(/^[^/]+\//, '')).sort();
  assert.deepEqual(ids, [
    'real-logs/dao-dan-l1', 'real-logs/dh-a2w-2ep', 'real-logs/dh-digits-b1-b',
    'runs/diverged', 'runs/healthy', 'runs/healthy_lightning', 'runs/healthy_seed2', 'runs/healthy_seed3',
    'runs/label_shift', 'runs/source_only', 'runs/strong_disc',
  ]);
});

test('diagnoseMany in worker threads gives the same report as sequential diagnose()', () => {
  assert.deepEqual(parallel.runs.map((r) => r.id), sequential.runs.map((r) => r.id), 'same runs, same order');
  for (const s of sequential.runs) {
    const p = byId(parallel, s.id);
    assert.deepEqual(p.metrics, s.metrics, s.id);
    assert.deepEqual(p.hyperparameters, s.hyperparameters, s.id);
    assert.deepEqual(p.findings.map((f) => [f.ruleId, f.severity, f.fingerprint]), s.findings.map((f) => [f.ruleId, f.severity, f.fingerprint]), `findings of ${s.id}`);
    assert.deepEqual(p.notApplicable, s.notApplicable, `notApplicable of ${s.id} (baselines picked across workers)`);
    assert.deepEqual(p.causes.map((c) => c.id), s.causes.map((c) => c.id), s.id);
  }
  assert.deepEqual(parallel.errors, sequential.errors);
});

test('triage table: worst first, headline numbers read off the logs, varying hyperparameters as columns', () => {
  const t = triageTable(parallel);
  assert.deepEqual(t.columns.slice(0, 7), ['run', 'algorithm', 'status', 'verdict', 'target acc', 'top finding', 'top cause']);
  assert.equal(t.rows.length, 11);
  // the last ` * Acc@1` of each training log (read by hand): diverged 9.778, healthy 85.778, label_shift 52.000, source_only 49.778
  const cell = (suffix: string) => t.rows.find((r) => r.runId.endsWith(suffix))!;
  assert.equal(cell('runs/diverged').cells[4], '9.8');
  assert.equal(cell('runs/healthy').cells[4], '85.8');
  assert.equal(cell('runs/label_shift').cells[4], '52.0');
  assert.equal(cell('runs/source_only').cells[4], '49.8');
  // seeds differ across the sweep, log paths always do: seed is a column, log is not
  assert.ok(t.varying.includes('seed'), `varying: ${t.varying.join(', ')}`);
  assert.ok(t.varying.includes('lr'), 'diverged used lr=10');
  assert.ok(!t.varying.includes('log') && !t.varying.includes('root'));
  // order: severity never increases down the table; within a severity, accuracy never decreases
  const rank = { error: 3, warn: 2, info: 1 } as const;
  const sev = (i: number) => (t.rows[i].topFinding ? rank[t.rows[i].topFinding!.severity] : 0);
  for (let i = 1; i < t.rows.length; i++) assert.ok(sev(i) <= sev(i - 1), `row ${i} (${t.rows[i].runId}) after a less severe row`);
  // the diverged run (loss explodes to ~1e8 in the log) must be above the healthy one
  const pos = (suffix: string) => t.rows.findIndex((r) => r.runId.endsWith(suffix));
  assert.ok(pos('runs/diverged') < pos('runs/healthy'), 'diverged sorts above healthy');
  assert.equal(t.rows.find((r) => r.runId.endsWith('runs/diverged'))!.topFinding?.severity !== undefined, true);
});

test('triage text and Markdown renderings', () => {
  const t = triageTable(parallel);
  const plain = renderTriageText(t, { color: false });
  assert.doesNotMatch(plain, /\u001b\[/);
  const lines = plain.split('\n');
  assert.match(lines[0], /^run\s+algorithm\s+status\s+verdict\s+target acc\s+top finding\s+top cause/);
  assert.equal(lines.filter((l) => /runs\/|real-logs\//.test(l)).length, 11);
  assert.match(plain, /11 runs, \d+ with warnings or errors/);
  assert.match(renderTriageText(t, { color: true }), /\u001b\[3[123]m/);
  const md = renderTriageMarkdown(t);
  assert.equal(md.split('\n').filter((l) => l.startsWith('| ')).length, 12);
});

test('a sweep kept as run summaries (--format text/markdown/sarif) renders exactly what the full reports render', async () => {
  // worker path with tiny batches, so summaries cross threads and the cross-worker re-judging is summarised too
  const slim = await diagnoseMany([sweep.root], { concurrency: 2, detail: 'summary' }, { minRunsPerWorker: 1, batchRuns: 2 });
  assert.equal(slim.runs.length, sequential.runs.length);
  // the bulk is gone: no run keeps its series, logged evaluations, per-class tables or checkpoint tensor lists
  for (const r of slim.runs) assert.deepEqual([r.series.length, r.evaluations.length, r.perClass.length, r.checks, r.checkpoints.reduce((n, c) => n + c.tensors.length, 0)], [0, 0, 0, undefined, 0]);
  assert.ok(sequential.runs.some((r) => r.series.length > 0 && r.perClass.length > 0), 'the full reports do have them');
  assert.ok(sequential.runs.some((r) => r.checkpoints.some((c) => c.tensors.length > 0)), 'the full reports list checkpoint tensors');
  // evaluation durations are measured per run: the only thing allowed to differ
  const noTimes = (t: string) => t.replace(/\d+(\.\d+)? s\b/g, '# s');
  assert.equal(noTimes(renderText(slim, { color: false, verboseNotes: true, allRuns: true })), noTimes(renderText(sequential, { color: false, verboseNotes: true, allRuns: true })));
  assert.equal(noTimes(renderMarkdown(slim)), noTimes(renderMarkdown(sequential)));
  const sarif = (r: Report) => renderSarif(r, RULES.map((x) => x.meta), { baseDir: sweep.root, toolVersion: 'x' });
  assert.equal(sarif(slim), sarif(sequential));
});

test('seed groups: the healthy config and its two re-seeded copies form one group with mean 85.778', () => {
  const groups = groupBySeed(parallel.runs);
  const g = groups.find((x) => x.runIds.some((id) => id.endsWith('runs/healthy_seed2')))!;
  for (const id of ['runs/healthy', 'runs/healthy_seed2', 'runs/healthy_seed3']) assert.ok(g.runIds.some((r) => r.endsWith(id)), `${id} in ${g.runIds.join(', ')}`);
  assert.ok(!g.runIds.some((r) => /strong_disc|diverged|label_shift|source_only/.test(r)), 'other configs stay out');
  assert.ok(g.seeds.includes('2') && g.seeds.includes('3'));
  // healthy_lightning is the same training logged by Lightning: its hparams.yaml equals healthy's Namespace but for
  // `log`, so it joins the group, with its accuracy logged as the float32 fraction 0.8577777743339539
  assert.ok(g.runIds.some((r) => r.endsWith('runs/healthy_lightning')));
  assert.equal(g.runIds.length, 4);
  // ...but it is the same training as healthy (seed 1, same numbers): counted once, and said
  assert.equal(g.duplicates.length, 1);
  assert.deepEqual(g.duplicates[0].map((id) => id.split('/').pop()).sort(), ['healthy', 'healthy_lightning']);
  assert.equal(g.values.length, 3);
  for (const v of g.values) assert.ok(Math.abs(v - 85.778) < 1e-3, String(v));
  assert.ok(Math.abs(g.interval.mean - 85.778) < 1e-3);
  // strong_disc (different discriminator) and diverged (lr 10) are configs of their own
  const diverged = groups.find((x) => x.runIds.some((id) => id.endsWith('runs/diverged')))!;
  assert.equal(diverged.runIds.length, 1);
  assert.match(diverged.label, /lr=10/);
  // three seeds at 85.778 vs one diverged run at 9.778: outside seed noise
  assert.equal(compareSeedGroups(diverged, g).verdict, 'worse');
  assert.match(renderSeedGroupsText(groups), /85\.8 \+- 0\.0 \(95% CI, n=3\)/);
  assert.match(renderSeedGroupsText(groups), /2 runs are copies of 1 training \(same seed, same metrics; counted once\)/);
});

test('an explicit --baseline run reaches every worker: same no-adaptation-gain verdicts as diagnose()', async () => {
  const real = `${sweep.root}/real-logs`;
  const base = `${sweep.root}/runs/source_only`;
  const seq = await diagnose([real], { baseline: base });
  const par = await diagnoseMany([real], { baseline: base, concurrency: 2 }, { minRunsPerWorker: 1, batchRuns: 1 });
  const pick = (r: Report) => r.runs.map((x) => [x.id, x.findings.filter((f) => f.ruleId === 'no-adaptation-gain').map((f) => f.message), x.notApplicable.filter((n) => n.ruleId === 'no-adaptation-gain')]);
  assert.deepEqual(pick(par), pick(seq));
  // dh-digits-b1-b's test_acc1 = 26.3 against source_only's test_acc1 = 50.7 (both read off the logs): -24.4 points
  const dh = par.runs.find((r) => r.id.endsWith('dh-digits-b1-b'))!;
  assert.match(dh.findings.find((f) => f.ruleId === 'no-adaptation-gain')!.message, /-24\.4 points from the source-only baseline source_only/);
});

test('suppressed findings (baseline file) neither top a row nor sort it up', async () => {
  const { applyBaseline, writeBaseline } = await import('../../src/suppressions/index.js');
  const diverged = byId(parallel, parallel.runs.find((r) => r.id.endsWith('runs/diverged'))!.id);
  const known = writeBaseline({ ...parallel, runs: [diverged] });
  const t = triageTable(applyBaseline(parallel, known).report);
  const row = t.rows.find((r) => r.runId === diverged.id)!;
  assert.equal(row.topFinding, undefined);
  assert.equal(row.cells[5], 'ok');
  assert.equal(row.verdict, 'ok'); // judged: target accuracy and domain accuracy were found and checked
  // with nothing left to show, its 9.8% puts it first among the clean finished runs (lowest accuracy first)
  const clean = t.rows.filter((r) => !r.topFinding && r.status === 'finished');
  assert.equal(clean[0].runId, diverged.id);
});

test('parallel sweep: a run with nothing readable is an error entry, the others are diagnosed and ordered', async () => {
  const { mkdtemp, mkdir, writeFile, cp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { diagnoseMany } = await import('../../src/pipeline/diagnose-many.js');
  const { SHARED_RUNS } = await import('../helpers/shared.js');
  const dir = await mkdtemp(join(tmpdir(), 'dd-sweep-bad-'));
  try {
    await mkdir(join(dir, 'bad'));
    await writeFile(join(dir, 'bad', 'train-2024-01-01-00_00_00.txt'), '');
    await cp(join(SHARED_RUNS, 'healthy'), join(dir, 'healthy'), { recursive: true });
    await cp(join(SHARED_RUNS, 'source_only'), join(dir, 'source_only'), { recursive: true });
    const r = await diagnoseMany([dir], { concurrency: 2 }, { minRunsPerWorker: 1, batchRuns: 1 });
    assert.deepEqual(r.runs.map((x) => x.id.split('/').at(-1)), ['healthy', 'source_only']);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /bad\/train-2024-01-01-00_00_00\.txt: empty file/);
    assert.ok(r.runs[0].checked.some((c) => /over source-only/.test(c)), 'the source-only run is still the baseline');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('progress says how many runs so far have problems, counting up to the final count', async () => {
  const messages: string[] = [];
  const report = await diagnoseMany([sweep.root], { concurrency: 1, onProgress: (m) => messages.push(m) }, { localBatchRuns: 2 });
  const counts = messages.map((m) => Number(/(\d+) with problems so far/.exec(m)?.[1] ?? 0));
  const final = report.runs.filter((r) => r.findings.some((f) => !f.suppressed && f.severity !== 'info')).length;
  assert.ok(final > 0, 'the sweep has runs with problems');
  assert.ok(counts.some((c) => c > 0 && c < final), `an intermediate count is shown: ${[...new Set(counts)].join(', ')}`);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] >= counts[i - 1], 'the count never goes down');
  assert.ok(Math.max(...counts) <= final);
});
