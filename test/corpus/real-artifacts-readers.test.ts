// Reading facts from ../shared/real-artifacts, checked against the numbers its README states (read by hand from the
// files), not against dann-doctor's own output: what the readers and discovery must get right on real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { SHARED } from '../helpers/shared.js';
import { discoverRuns } from '../../src/discover/discover-runs.js';
import { loadRun } from '../../src/pipeline/load-run.js';
import { readTfeventsDir, readTfeventsFile } from '../../src/ingest/tfevents/index.js';
import { readWandbRun } from '../../src/ingest/wandb/index.js';
import { readConsoleLog } from '../../src/ingest/console/index.js';
import type { Series, RunFragment } from '../../src/model/types.js';

const ART = join(SHARED, 'real-artifacts');
const raw = (f: { series?: Series[] } | { series: Record<string, Series> }, name: string): Series => {
  const list = Array.isArray(f.series) ? f.series : Object.values(f.series ?? {});
  const s = list.find((x) => x.rawName === name);
  assert.ok(s, `series "${name}" present (have ${list.map((x) => x.rawName).join(', ')})`);
  return s;
};
const close = (a: number, b: number, tol = 0.01) => assert.ok(Math.abs(a - b) <= tol, `${a} ≈ ${b}`);
const maxOf = (s: Series) => s.points.reduce((m, p) => (p.value > m.value ? p : m));

test('tensorboardX DANN usps→svhn: first run 2,300 train points (step 0..2299) and 100 val points; the restart is an attempt', async () => {
  const dir = join(ART, 'tensorboardx-dann-usps2svhn', 'runs', 'transfer', 'usps');
  const first = await readTfeventsFile(join(dir, 'events.out.tfevents.1637126528.LAPTOP-INA9BI17'));
  for (const tag of ['Source_loss', 'Source_acc', 'Domain_loss', 'Domain_acc']) {
    const s = raw(first, tag);
    assert.equal(s.points.length, 2300, tag);
    assert.deepEqual([s.points[0].step, s.points.at(-1)!.step], [0, 2299]);
  }
  for (const tag of ['Domain_val_loss', 'Domain_val_acc', 'Source_val_loss', 'Source_val_acc', 'Target_val_loss']) assert.equal(raw(first, tag).points.length, 100, tag);
  const src = raw(first, 'Source_acc');
  close(src.points[0].value, 8.98);
  close(src.points.at(-1)!.value, 96.45);
  close(maxOf(src).value, 98.44);
  const dom = raw(first, 'Domain_acc');
  close(dom.points[0].value, 47.07);
  close(dom.points.at(-1)!.value, 66.10);
  assert.deepEqual([Math.round(maxOf(dom).value * 100) / 100, maxOf(dom).step], [70.9, 575]);
  close(maxOf(raw(first, 'Domain_val_acc')).value, 92.8, 0.05);
  assert.equal(maxOf(raw(first, 'Domain_val_acc')).step, 14);
  assert.ok(raw(first, 'Target_val_loss').points.every((p) => p.value === 0));
  assert.ok(!first.series!.some((s) => /target/i.test(s.rawName) && /acc/i.test(s.rawName)), 'no target accuracy is logged');

  // the directory: a zero-byte file (a note), the first run, then a second run whose steps restart at 0 (an attempt)
  const whole = await readTfeventsDir(dir);
  assert.equal(whole.attempts?.length, 2);
  assert.equal(whole.attempts![0].pointCounts.Source_acc, 2300);
  assert.equal(whole.attempts![1].pointCounts.Source_acc, 2188);
  assert.equal(whole.attempts![1].pointCounts.Source_val_acc, 95);
  const second = raw(whole, 'Domain_acc');
  close(second.points[0].value, 66.8, 0.05);
  close(second.points.at(-1)!.value, 63.9, 0.05);
  close(raw(whole, 'Source_acc').points[0].value, 96.9, 0.05);
  assert.ok(whole.notes!.some((n) => /cut short/.test(n.message)), 'the truncated last record is noted');
  assert.ok(whole.notes!.some((n) => /1 event file\(s\) hold no scalars \(1 zero-byte/.test(n.message)));
  // five zero-byte files alone: a note, and the command does not fail for it
  const empty = await readTfeventsDir(join(ART, 'tensorboardx-dann-usps2svhn', 'runs', 'source_only', 'usps'));
  assert.deepEqual(empty.series, []);
  assert.ok(empty.notes!.some((n) => /5 event file\(s\) hold no scalars \(5 zero-byte/.test(n.message)));
});

test('W&B bnb7rj6y: killed (no exit record), average_loss NaN from epoch 4, NaN in the summary, config read', async () => {
  const dir = join(ART, 'wandb-cifar100-nan-and-linear-probe', 'wandb', 'run-20240413_191550-bnb7rj6y');
  const f = await readWandbRun(dir);
  assert.equal(f.status, 'killed');
  assert.equal(f.hyperparameters?.learning_rate, 0.0005);
  assert.equal(f.hyperparameters?.batch_size, 128);
  assert.equal(f.hyperparameters?.epochs, 200);
  assert.equal(f.hyperparameters?.T_max, 100);
  assert.equal(f.hyperparameters?.weight_decay, 0.001);
  const loss = raw(f, 'average_loss');
  const firstNaN = loss.points.find((p) => Number.isNaN(p.value))!;
  assert.equal(firstNaN.epoch ?? firstNaN.step, 4);
  assert.ok(loss.points.filter((p) => p.step < 4).every((p) => Number.isFinite(p.value)));
  close(loss.points[0].value, 4.266, 0.001);
  const trn = raw(f, 'trn_accuracy');
  close(trn.points[0].value, 5.49);
  close(trn.points.find((p) => p.step === 3)!.value, 15.47);
  assert.ok(trn.points.filter((p) => p.step >= 5).every((p) => p.value === 1));
  assert.equal(trn.points.at(-1)!.step, 15, 'the summary\'s epoch 15 completes the history');
  assert.ok(f.notes!.some((n) => /non-finite/.test(n.message)));
  assert.ok(f.notes!.some((n) => /no W&B exit record/.test(n.message) && /3712 s/.test(n.message)));
});

test('W&B qlypj1lr: linear probe, clean exit (finished), val acc 79.87 last, test_accuracy 79.46', async () => {
  const dir = join(ART, 'wandb-cifar100-nan-and-linear-probe', 'wandb', 'run-20240414_211558-qlypj1lr');
  const f = await readWandbRun(dir);
  assert.equal(f.status, 'finished');
  assert.equal(f.hyperparameters?.train_mode, 'linear-probe');
  assert.equal(f.hyperparameters?.learning_rate, 0.001);
  assert.equal(f.hyperparameters?.batch_size, 64);
  assert.equal(f.hyperparameters?.epochs, 20);
  close(raw(f, 'trn_accuracy').points[0].value, 63.55, 0.01);
  close(raw(f, 'trn_accuracy').points.at(-1)!.value, 87.0);
  close(raw(f, 'val_accuracy').points.at(-1)!.value, 79.87);
  close(raw(f, 'test_accuracy').points.at(-1)!.value, 79.46);
  // discovery: both run folders, nothing from files/ or logs/ as runs of their own
  const { runs } = await discoverRuns([join(ART, 'wandb-cifar100-nan-and-linear-probe')]);
  assert.deepEqual(runs.map((r) => r.id.split('/').at(-1)).sort(), ['run-20240413_191550-bnb7rj6y', 'run-20240414_211558-qlypj1lr']);
});

test('DomainBed out.txt: 11 invocations, 10 tracebacks (3 KeyboardInterrupt = killed, an OOM), 18 result rows in the last', async () => {
  const f = await readConsoleLog(join(ART, 'domainbed-nci-pacs-uda', 'train_output', 'out.txt'));
  const a = f.attempts!;
  assert.equal(a.length, 11);
  assert.equal(a.filter((x) => x.crash).length, 10);
  assert.deepEqual(a.slice(0, 10).map((x) => x.crash!.type.split('.').pop()), [
    'ValueError', 'KeyboardInterrupt', 'KeyboardInterrupt', 'FileNotFoundError', 'ValueError', 'NotImplementedError', 'TypeError', 'TypeError', 'KeyboardInterrupt', 'OutOfMemoryError',
  ]);
  assert.equal(a.filter((x) => x.status === 'killed').length, 3);
  assert.match(a[9].crash!.message, /23\.69 GiB total capacity/);
  assert.match(a[5].crash!.message, /Algorithm not found: nci/);
  assert.equal(a[10].crash, undefined);
  assert.equal(f.crash, undefined, 'the newest invocation finished: earlier tracebacks are history');
  const cfg = f.hyperparameters!;
  assert.equal(cfg['args.algorithm'], 'NCI');
  assert.equal(cfg['args.dataset'], 'PACS');
  assert.equal(cfg['args.task'], 'domain_adaptation');
  assert.equal(cfg['args.test_envs'], '[0]');
  assert.equal(cfg['args.uda_holdout_fraction'], 0.1);
  assert.equal(cfg['args.batch_size'], 64);
  assert.equal(cfg['hparams.batch_size'], 32);
  assert.equal(cfg['hparams.lr'], 5e-5);
  const in0 = raw(f, 'env0_in_acc');
  assert.equal(in0.points.length, 18);
  assert.deepEqual([in0.points[0].step, in0.points.at(-1)!.step], [0, 5000]);
  close(in0.points[0].value, 28.66);
  close(in0.points.at(-1)!.value, 83.20);
  assert.deepEqual([Math.round(maxOf(in0).value * 100) / 100, maxOf(in0).step], [85.16, 3000]);
  close(raw(f, 'nll').points[0].value, 1.984, 0.001);
  close(raw(f, 'nll').points.at(-1)!.value, 0.0151, 0.0001);
  close(raw(f, 'mem_gb').points.at(-1)!.value, 21.05);

  // the run folder: results.jsonl carries the series, `done` says finished, out.txt the attempts
  const { runs } = await discoverRuns([join(ART, 'domainbed-nci-pacs-uda')]);
  assert.equal(runs.length, 1);
  const run = await loadRun(runs[0]);
  assert.equal(run.status, 'finished');
  assert.equal(run.crash, undefined);
  assert.equal(run.attempts?.length, 11);
});

test('CDAN appended log.txt: 64 invocations (13 CDAN, 50 CDAN+E, 1 DANN), 46 with evals, 777 eval lines', async () => {
  const f = await readConsoleLog(join(ART, 'cdan-appended-log-office31-d2a', 'snapshot', 'san', 'log.txt'));
  const a = f.attempts!;
  assert.equal(a.length, 64);
  const methods: Record<string, number> = {};
  for (const x of a) methods[String(x.config?.method)] = (methods[String(x.config?.method)] ?? 0) + 1;
  assert.deepEqual(methods, { CDAN: 13, 'CDAN+E': 50, DANN: 1 });
  const evals = a.map((x) => x.pointCounts.precision ?? 0);
  assert.equal(evals.filter((n) => n > 0).length, 46);
  assert.equal(evals.reduce((s, n) => s + n, 0), 777);
  assert.equal(evals.filter((n) => n === 1).length, 11, 'eleven stop after the iter-0 eval');
  // every invocation shares the setup: ResNet-50, bottleneck 256, lr 0.001, 16,004 iterations
  assert.ok(a.every((x) => x.config?.['network.params.resnet_name'] === 'ResNet50' && x.config?.['network.params.bottleneck_dim'] === 256));
  assert.ok(a.every((x) => x.config?.['optimizer.optim_params.lr'] === 0.001 && x.config?.num_iterations === 16004));
  const fileRepr = a.filter((x) => String(x.config?.out_file ?? '').startsWith('<open file'));
  assert.equal(fileRepr.length, 10);
  assert.ok(fileRepr.every((x) => !x.pointCounts.precision));
  assert.equal(f.algorithm, 'cdan');
});

test('SHOT logs: key:value header as config, Task/Iter/Accuracy lines, pseudo-label before -> after', async () => {
  const base = join(ART, 'shot-office31-a2d-a2w', 'ckps');
  const src = await readConsoleLog(join(base, 'source', 'uda', 'office', 'A', 'log.txt'));
  const acc = raw(src, 'Accuracy');
  assert.equal(acc.points.length, 10);
  assert.deepEqual([acc.points[0].step, acc.points.at(-1)!.step], [400, 4000]);
  assert.deepEqual([acc.points[0].value, acc.points.at(-1)!.value], [88.65, 91.49]);
  assert.equal(src.hyperparameters?.lr, 0.01);
  assert.equal(src.hyperparameters?.batch_size, 64);
  assert.equal(src.hyperparameters?.max_epoch, 100);
  assert.equal(src.hyperparameters?.seed, 2020);
  assert.equal(src.status, 'finished');
  for (const [task, first, last, before, after, from, to] of [['AD', 86.95, 92.77, 78.71, 90.56, 8, 120], ['AW', 87.42, 88.93, 75.85, 85.41, 13, 195]] as const) {
    const t = await readConsoleLog(join(base, 'target', 'uda', 'office', task, 'log_par_0.3.txt'));
    const a = raw(t, 'Accuracy');
    assert.equal(a.points.length, 15);
    assert.deepEqual([a.points[0].step, a.points.at(-1)!.step], [from, to]);
    assert.deepEqual([a.points[0].value, a.points.at(-1)!.value], [first, last]);
    assert.equal(raw(t, 'Accuracy (before)').points[0].value, before);
    assert.equal(raw(t, 'Accuracy (after)').points[0].value, after);
    assert.equal(t.hyperparameters?.cls_par, 0.3);
    assert.equal(t.hyperparameters?.ent_par, 1);
  }
});

test('hand-written DANN logs: target accuracy per epoch peaks at 0.28650 (epoch 2); err lines read', async () => {
  const base = join(ART, 'dann-mnistm2svhn-custom-log', 'problem3_DANN');
  const f = await readConsoleLog(join(base, 'mnistm2svhn_log.txt'));
  const s = raw(f, 'accuracy of the svhn dataset');
  // as written (fractions); whether the role layer shows them as percent is not the reader's business
  const asWritten = (v: number) => Math.round((s.scaledFrom === 'fraction' ? v / 100 : v) * 100000) / 100000;
  assert.equal(s.points.length, 100);
  assert.equal(s.granularity, 'epoch');
  const best = maxOf(s);
  assert.deepEqual([best.step, asWritten(best.value)], [2, 0.2865]);
  const after = s.points.filter((p) => p.step > 2).map((p) => asWritten(p.value));
  assert.deepEqual([Math.min(...after), Math.max(...after)], [0.20012, 0.26438]);
  assert.equal(s.points.find((p) => asWritten(p.value) === 0.20012)!.step, 50);
  assert.deepEqual([s.points.at(-1)!.step, asWritten(s.points.at(-1)!.value)], [100, 0.23331]);
  const err = raw(await readConsoleLog(join(base, 'log', 'mnistm2svhn_log.txt')), 'err');
  assert.equal(err.points.length, 102);
  assert.equal(err.points[0].value, 0.34453);
  assert.equal(err.points.at(-1)!.value, 0.00872);
  const zero = await readConsoleLog(join(base, '0_log.txt'));
  const svhn = raw(zero, 'accuracy of the svhn dataset');
  const w = (v: number) => Math.round((svhn.scaledFrom === 'fraction' ? v / 100 : v) * 100000) / 100000;
  assert.ok(svhn.points.some((p) => w(p.value) === 0.48055) && svhn.points.some((p) => w(p.value) === 0.66948));
});

test('scalar-less TensorBoard folders (CDAN vis/, Keras 06-02-14) are a note; the Keras 18-50-22 tensors are read', async () => {
  for (const d of ['CDAN', 'CDAN+E']) {
    const f = await readTfeventsDir(join(ART, 'cdan-appended-log-office31-d2a', 'vis', d, 'D2A'));
    assert.deepEqual(f.series, []);
    assert.ok(f.notes!.some((n) => /hold no scalars \(0 zero-byte/.test(n.message)));
  }
  const tb = join(ART, 'mlflow-keras-vgg16-transfer', 'artifacts', 'prepare_callbacks', 'tensorboard_log_dir');
  const early = await readTfeventsDir(join(tb, 'tb_logs_at_2022-09-27-06-02-14'));
  assert.deepEqual(early.series, []);
  const late = await readTfeventsDir(join(tb, 'tb_logs_at_2022-09-27-18-50-22'));
  close(raw(late, 'train/epoch_loss').points[0].value, 5.944, 0.001);
  close(raw(late, 'validation/epoch_loss').points[0].value, 3.331, 0.001);
  close(raw(late, 'validation/epoch_accuracy').points[0].value, 78.69, 0.01);
  assert.equal(raw(late, 'validation/evaluation_accuracy_vs_iterations').points[0].step, 1250);
  // discovery finds the Keras logs under artifacts/ (not skipped)
  const { runs } = await discoverRuns([join(ART, 'mlflow-keras-vgg16-transfer')]);
  assert.ok(runs.some((r) => r.tfeventsDir?.endsWith('tb_logs_at_2022-09-27-18-50-22')));
  assert.ok(runs.some((r) => r.mlflowDir));
});

test('Lightning TensorBoardLogger: train_loss_step 78 points (step 49..3899), valid_loss_step per dataloader 157 points', async () => {
  const f: RunFragment = await readTfeventsDir(join(ART, 'lightning-tb-pickled-hparams', 'lightning_logs', 'version_0'));
  const tl = raw(f, 'train_loss_step');
  assert.equal(tl.points.length, 78);
  assert.deepEqual([tl.points[0].step, tl.points.at(-1)!.step], [49, 3899]);
  close(tl.points[0].value, 1.502, 0.001);
  close(tl.points.at(-1)!.value, 0.955, 0.001);
  assert.equal(raw(f, 'valid_loss_step/epoch_0').points.length, 157);
  assert.equal(raw(f, 'valid_loss_step/epoch_1').points.length, 157);
  close(raw(f, 'valid_loss_epoch').points[0].value, 1.0123, 0.0001);
  close(raw(f, 'valid_loss_epoch').points.at(-1)!.value, 0.9833, 0.0001);
  assert.equal(f.hyperparameters?.learning_rate, 0.001);
  void readdirSync;
});
