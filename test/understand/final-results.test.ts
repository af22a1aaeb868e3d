// End-of-run results on small self-made runs: a source-only stage's target accuracy comes from its test log (never
// from its source validation), a results summary's source-only number is the run's own baseline, a final metrics JSON
// is read and its roles inferred, and console lines labelled with different tasks are separate evaluations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';
import { readSummaryFile } from '../../src/ingest/summary/index.js';
import { readConsoleLog, splitByLabels } from '../../src/ingest/console/index.js';
import { isTestLogName } from '../../src/understand/final-results.js';
import type { RunFragment } from '../../src/model/types.js';

interface Run { id: string; verdict: { kind: string } | string; metrics: Record<string, number | undefined>; findings: { ruleId: string; message: string }[]; checked: string[]; evaluations: { phase: string; domain: string; acc1?: number; labels?: Record<string, string> }[]; series: { rawName: string; key: string; role?: { domain: string; split: string } }[] }

async function report(path: string): Promise<Run[]> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const code = await main([path, '--format', 'json', '--fail-on', 'never', '--no-eval'], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, isTTY: false, cwd: process.cwd(), interrupted: new Promise(() => {}) } as never);
  assert.equal(code, 0);
  return JSON.parse(out).runs as Run[];
}
const kind = (r: Run) => (typeof r.verdict === 'string' ? r.verdict : r.verdict.kind);
const byId = (runs: Run[], suffix: string) => runs.find((r) => r.id.endsWith(suffix))!;

function write(dir: string, name: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}

/**
 * A SHOT-like two-stage layout: a source stage validating on held-out source data (its lines say `Task: A`, the
 * config's `name_src`) that tests the finished model on two targets in log_test.txt, and a target stage for A->D.
 */
function twoStage(targetAccs: number[]): string {
  const root = mkdtempSync(join(tmpdir(), 'dd-two-stage-'));
  const src = join(root, 'source', 'A');
  const header = 's:0\nt:1\ndset:office\nlr:0.01\nbatch_size:64\nname_src:A\n\n';
  write(src, 'log.txt', header + [85, 88, 90, 91, 92].map((a, i) => `Task: A, Iter:${(i + 1) * 100}/500; Accuracy = ${a.toFixed(2)}%`).join('\n') + '\n');
  write(src, 'log_test.txt', '\nTraining: val, Task: AD, Accuracy = 61.00%\nTraining: val, Task: AW, Accuracy = 55.00%');
  const tgt = join(root, 'target', 'AD');
  write(tgt, 'log.txt', 's:0\nt:1\ndset:office\nlr:0.01\nbatch_size:64\nname:AD\nmethod:shot\n\n' + targetAccs.map((a, i) => `Task: AD, Iter:${(i + 1) * 10}/${targetAccs.length * 10}; Accuracy = ${a.toFixed(2)}%`).join('\n') + '\n');
  return root;
}

test('a source-only stage validating on the source: its target accuracy is its test log\'s, labelled per task', async () => {
  const runs = await report(twoStage([70, 74, 77, 79, 80]));
  const src = byId(runs, 'source/A');
  // the training log's accuracy is source validation (its lines say Task: A = name_src), never the target's
  const acc = src.series.find((s) => s.rawName === 'Accuracy' && s.key === 'val/source_acc1');
  assert.ok(acc, JSON.stringify(src.series.map((s) => [s.rawName, s.key])));
  assert.equal(src.metrics.finalTargetAcc, undefined);
  const tests = src.evaluations.filter((e) => e.phase === 'test' && e.domain === 'target');
  assert.deepEqual(tests.map((e) => [e.labels?.Task, e.acc1]), [['AD', 61], ['AW', 55]]);
  // the target stage is compared with the AD test accuracy (61), not the source validation (92): +19 points
  const ad = byId(runs, 'target/AD');
  assert.equal(ad.findings.filter((f) => f.ruleId === 'no-adaptation-gain').length, 0);
  assert.ok(ad.checked.some((c) => /improved \+19 over source-only .*61% -> 80%/.test(c)), ad.checked.join('\n'));
  assert.equal(kind(ad), 'ok');
});

test('the same layout with a target stage ending 1 point above the source-only test accuracy: no adaptation gain', async () => {
  const runs = await report(twoStage([58, 60, 61, 62, 62]));
  const f = byId(runs, 'target/AD').findings.find((x) => x.ruleId === 'no-adaptation-gain');
  assert.ok(f, 'fires against the test-log baseline (61%); against the source validation (92%) it would say -30');
  assert.match(f!.message, /\+1 points from the source-only baseline .*\(61%\)/);
});

function coralLike(before: number, after: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'dd-summary-'));
  write(dir, 'metrics.csv', 'epoch,total_loss,ce_loss,coral_loss,train_src_acc,val_acc,tgt_test_acc\n' +
    [0.80, 0.84, 0.86, 0.87, 0.88, 0.88].map((t, i) => `${i + 1},${(0.5 - i * 0.05).toFixed(3)},${(0.4 - i * 0.05).toFixed(3)},0.01,0.99,0.99,${t}`).join('\n') + '\n');
  write(dir, 'results_summary.txt', `=== Deep CORAL ===\n\nlambda_coral:        1.0\nlr:                  0.001\nepochs:              6\n\n--- Results ---\nsource_acc_before:   0.9980\ntarget_acc_before:   ${before}  (source-only baseline)\nsource_acc_after:    0.9979\ntarget_acc_after:    ${after}  (CORAL adapted)\ndelta_target:        ${(after - before).toFixed(4)}\nnegative_transfer:   ${after < before}\n`);
  return dir;
}

test('a results summary stating the source-only target accuracy: the run\'s own baseline (negative transfer is a problem)', async () => {
  const [r] = await report(coralLike(0.9, 0.88));
  assert.equal(r.metrics.testAcc, 88);
  const f = r.findings.find((x) => x.ruleId === 'no-adaptation-gain');
  assert.ok(f, JSON.stringify(r.findings.map((x) => x.ruleId)));
  assert.match(f!.message, /88% \(test_acc1\) is -2 points from the source-only baseline stated in results_summary\.txt as target_acc_before \(90%\)/);
  // and when adaptation helped, the same summary makes no finding and says the gain
  const [ok] = await report(coralLike(0.8, 0.88));
  assert.equal(ok.findings.filter((x) => x.ruleId === 'no-adaptation-gain').length, 0);
  assert.ok(ok.checked.some((c) => /improved \+8 over source-only \(target_acc_before, stated by the run\)/.test(c)), ok.checked.join('\n'));
});

test('summary reader: JSON dict of final metrics and text summaries; logs and JSON lines are not summaries', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-summary-read-'));
  write(dir, 'metrics.json', '{"test_acc": 91.5, "test_loss": 0.3, "test_a_distance": 1.7, "nested": {"val_acc": 0.9}}');
  const j = (await readSummaryFile(join(dir, 'metrics.json'))) as RunFragment;
  assert.deepEqual(j.series!.map((s) => [s.rawName, s.points[0].value, s.endOfRun]), [['test_acc', 91.5, 'summary'], ['test_loss', 0.3, 'summary'], ['nested/val_acc', 0.9, 'summary']]);
  assert.equal(j.hyperparameters!.test_a_distance, 1.7);
  write(dir, 'results.json', '{"iteration": 1, "total_loss": 2.1}\n{"iteration": 2, "total_loss": 1.9}\n');
  assert.equal(await readSummaryFile(join(dir, 'results.json')), 'not-a-summary');
  write(dir, 'results.txt', 'epoch: 1, acc: 0.5\nepoch: 2, acc: 0.6\n');
  assert.equal(await readSummaryFile(join(dir, 'results.txt')), 'not-a-summary');
  write(dir, 'final.json', '{"status": "done"}');
  assert.equal(await readSummaryFile(join(dir, 'final.json')), 'no-metrics');
  // Keras history dumped as JSON: curves, one value per epoch
  write(dir, 'history.json', '{"loss": [1.0, 0.8, 0.6], "val_accuracy": [0.5, 0.6, 0.7]}');
  const h = (await readSummaryFile(join(dir, 'history.json'))) as RunFragment;
  assert.deepEqual(h.series!.map((x) => [x.rawName, x.granularity, x.endOfRun, x.points.map((p) => p.value)]), [
    ['loss', 'epoch', undefined, [1, 0.8, 0.6]], ['val_accuracy', 'epoch', undefined, [0.5, 0.6, 0.7]],
  ]);
  write(dir, 'summary.txt', 'lr: 0.01\nfinal accuracy: 87.5 %\n');
  const t = (await readSummaryFile(join(dir, 'summary.txt'))) as RunFragment;
  assert.deepEqual(t.series!.map((s) => [s.rawName, s.points[0].value, s.points[0].line]), [['final accuracy', 87.5, 2]]);
  assert.equal(t.hyperparameters!.lr, 0.01);
});

test('a final metrics.json beside a checkpoint: test_acc is the target test accuracy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-final-json-'));
  write(dir, 'metrics.json', '{"test_acc": 91.5, "test_f1": 0.91, "test_drift_score": 0.009}');
  write(dir, 'best_params.json', '{"lr": 0.03, "trade_off": 1.5}');
  const [r] = await report(dir);
  assert.equal(r.metrics.testAcc, 91.5);
  const acc = r.series.find((s) => s.rawName === 'test_acc')!;
  assert.equal(acc.role!.domain, 'target');
  assert.equal(acc.role!.split, 'test');
  assert.deepEqual(r.evaluations.filter((e) => e.phase === 'test').map((e) => e.acc1), [91.5]);
});

test('console lines labelled with different tasks are separate evaluations; a constant label stays on the series', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-labels-'));
  write(dir, 'log_test.txt', 'Training: val, Task: AD, Accuracy = 78.71%\nTraining: val, Task: AW, Accuracy = 70.00%\n');
  const f = await readConsoleLog(join(dir, 'log_test.txt'));
  assert.deepEqual(f.series!.map((s) => [s.key, s.rawName, s.points.map((p) => p.value), s.labels]), [
    ['Accuracy [Task: AD]', 'Accuracy', [78.71], { Training: 'val', Task: 'AD' }],
    ['Accuracy [Task: AW]', 'Accuracy', [70], { Training: 'val', Task: 'AW' }],
  ]);
  const pts = [{ step: 1, value: 1 }, { step: 2, value: 2 }];
  const one = splitByLabels(pts, () => ({ Task: 'A' }));
  assert.equal(one.length, 1);
  assert.deepEqual(one[0].labels, { Task: 'A' });
  assert.ok(isTestLogName('/x/log_test.txt') && isTestLogName('eval.log') && !isTestLogName('log.txt') && !isTestLogName('latest.txt'));
  assert.ok(!isTestLogName('train_eval.log'), 'a log of training and evaluation is a training log');
});

test('a label naming the split gives the role: acc on `phase: val` lines is validation, on `phase: train` lines training', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-label-split-'));
  const lines: string[] = [];
  for (let e = 1; e <= 6; e++) lines.push(`epoch: ${e}, phase: train, loss: ${(1 / e).toFixed(3)}, acc: ${(0.5 + e / 20).toFixed(2)}`, `epoch: ${e}, phase: val, loss: ${(1.2 / e).toFixed(3)}, acc: ${(0.45 + e / 25).toFixed(2)}`);
  write(dir, 'train.log', lines.join('\n') + '\n');
  const [r] = await report(dir);
  const val = r.series.find((s) => s.key === 'val/acc1');
  assert.ok(val, JSON.stringify(r.series.map((s) => [s.key, s.rawName])));
  assert.equal(r.metrics.finalTargetAcc, 69); // 0.45 + 6/25 on the last `phase: val` line
  assert.ok(r.series.some((s) => s.key === 'train/cls_acc'));
});

test('a "test" log with a test pass every epoch is a curve, not end-of-run results', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-test-curve-'));
  write(dir, 'test.log', Array.from({ length: 8 }, (_, i) => `epoch: ${i + 1}, test_acc: ${(60 + i).toFixed(1)}`).join('\n') + '\n');
  const [r] = await report(dir);
  assert.equal(r.series.find((s) => s.rawName === 'test_acc')!.key, 'val/acc1');
  assert.equal(r.metrics.finalTargetAcc, 67);
});

test('SHOT-like explicit --baseline: a source stage tested on several tasks gives the test of the run\'s own task', async () => {
  const root = twoStage([70, 74, 77, 79, 80]);
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  await main([join(root, 'target', 'AD'), '--baseline', join(root, 'source', 'A'), '--format', 'json', '--fail-on', 'never'], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, isTTY: false, cwd: process.cwd(), interrupted: new Promise(() => {}) } as never);
  const r = (JSON.parse(out).runs as Run[])[0];
  assert.ok(r.checked.some((c) => /improved \+19 over source-only A \(61% -> 80%\)/.test(c)), r.checked.join('\n'));
});
