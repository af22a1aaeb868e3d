// readTllibLog on every real tllib log in ../shared (5 run logs, 4 published logs); expected numbers read off the files by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readTllibLog, tllibReader } from '../../src/ingest/tllib/index.js';
import { SHARED_REAL_LOGS, SHARED_RUNS, hasShared, trainLogOf } from '../helpers/shared.js';
import type { RunFragment, Series } from '../../src/model/types.js';
import { readFileSync } from 'node:fs';

const skip = !hasShared;
const run = (name: string): string => trainLogOf(resolve(SHARED_RUNS, name));
const real = (p: string): string => resolve(SHARED_REAL_LOGS, p);
const series = (f: RunFragment, key: string): Series => {
  const s = f.series?.find((x) => x.key === key);
  assert.ok(s, `series ${key} present (have: ${f.series?.map((x) => x.key).join(', ')})`);
  return s;
};
/** the last running average logged in an epoch: what tllib's AverageMeter reports as the epoch mean */
const lastAvgOfEpoch = (s: Series, epoch: number): number | undefined => s.points.filter((p) => p.epoch === epoch).at(-1)?.avg;

test('runs/healthy: DANN, finished, 15 epochs x 300 iterations, every meter with value and running average', { skip }, async () => {
  const file = run('healthy');
  const f = await readTllibLog(file);
  assert.equal(f.format, 'tllib');
  assert.deepEqual(f.files, [file]);
  assert.equal(f.status, 'finished');
  assert.equal(f.algorithm, 'dann');
  assert.equal(f.itersPerEpoch, 300);
  assert.equal(f.epochsCompleted, 15);
  assert.equal(f.bestAcc1, 85.8);
  assert.equal(f.testAcc1, 85.8);
  assert.equal(f.hyperparameters?.trade_off, 1.0);
  assert.equal(f.hyperparameters?.disc_batch_norm, false);
  assert.deepEqual(f.hyperparametersFrom, { file, line: 1 });

  const dom = series(f, 'train/domain_acc');
  assert.equal(dom.rawName, 'Domain Acc');
  assert.equal(dom.unit, 'percent');
  assert.equal(dom.granularity, 'iteration');
  assert.equal(dom.points.length, 90, '15 epochs x 6 printed iterations (i = 0, 50, ..., 250)');
  // line 16: Epoch: [0][  0/300] ... Domain Acc 54.7 (54.7)
  assert.deepEqual(dom.points[0], { step: 0, value: 54.7, avg: 54.7, epoch: 0, iter: 0, line: 16 });
  // last line of epoch 14 (line 147): Domain Acc 60.9 (55.0); global step = 14 * 300 + 250
  assert.deepEqual(dom.points.at(-1), { step: 4450, value: 60.9, avg: 55.0, epoch: 14, iter: 250, line: 147 });
  assert.equal(lastAvgOfEpoch(dom, 0), 81.6, 'Epoch: [0][250/300] ... Domain Acc 85.9 (81.6)');
  assert.equal(series(f, 'train/cls_acc').rawName, 'Cls Acc');
  assert.equal(series(f, 'train/loss').points[0].value, 3.01);

  const lr = series(f, 'lr');
  assert.equal(lr.granularity, 'epoch');
  assert.equal(lr.points.length, 15);
  assert.deepEqual(lr.points.slice(0, 2).map((p) => [p.step, p.value]), [[0, 0.01], [1, 0.008213769018249545]]);

  const val = series(f, 'val/acc1');
  assert.equal(val.granularity, 'epoch');
  assert.equal(val.unit, 'percent');
  assert.equal(val.rawName, 'Acc@1');
  assert.equal(val.points.length, 15);
  assert.deepEqual([val.points[0].step, val.points[0].value], [0, 48.889]);
  assert.deepEqual([val.points[14].step, val.points[14].value], [14, 85.778]);

  assert.equal(f.evaluations?.length, 16, '15 validations + the test pass after best_acc1');
  const test = f.evaluations!.at(-1)!;
  assert.equal(test.phase, 'test');
  assert.equal(test.epoch, undefined);
  assert.equal(test.acc1, 85.778);
  assert.deepEqual([test.line, test.endLine], [151, 152]);
  const v0 = f.evaluations![0];
  assert.deepEqual({ phase: v0.phase, domain: v0.domain, epoch: v0.epoch, acc1: v0.acc1, line: v0.line, endLine: v0.endLine },
    { phase: 'val', domain: 'target', epoch: 0, acc1: 48.889, line: 22, endLine: 23 });
  assert.ok(f.notes?.some((n) => n.line === 2 && n.message.startsWith('UserWarning: You have chosen to seed training')));
});

test('runs/label_shift: --per-class-eval tables, one per validation plus the test table', { skip }, async () => {
  const f = await readTllibLog(run('label_shift'));
  assert.equal(f.status, 'finished');
  assert.equal(f.bestAcc1, 59.6);
  assert.equal(f.testAcc1, 59.6);
  assert.equal(f.perClass?.length, 16);
  const first = f.perClass![0];
  assert.deepEqual({ line: first.line, endLine: first.endLine, epoch: first.epoch, phase: first.phase, domain: first.domain, origin: first.origin },
    { line: 24, endLine: 40, epoch: 0, phase: 'val', domain: 'target', origin: 'log' });
  assert.deepEqual([first.globalCorrect, first.meanCorrect, first.meanIoU], [54.7, 54.7, 38.1]);
  assert.equal(first.rows.length, 10);
  assert.deepEqual(first.rows[0], { name: '0 - zero', acc: 90.90909576416016, iou: 86.9565200805664 });
  const last = f.perClass!.at(-1)!;
  assert.equal(last.phase, 'test');
  assert.equal(last.epoch, undefined);
  assert.deepEqual([last.line, last.endLine], [408, 424]);
  assert.deepEqual([last.globalCorrect, last.meanCorrect, last.meanIoU], [59.6, 59.5, 44.4]);
  assert.deepEqual(last.rows.map((r) => r.name), ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine']);
  assert.deepEqual(last.rows[7], { name: '7 - seven', acc: 4.545454502105713, iou: 3.3333334922790527 });
  assert.deepEqual(last.rows[6], { name: '6 - six', acc: 78.26087188720703, iou: 58.06451416015625 });
  assert.deepEqual(f.perClass!.slice(0, 15).map((t) => t.epoch), [...Array(15).keys()]);
});

test('runs/source_only: erm from the log path, list lr lines, no domain accuracy', { skip }, async () => {
  const f = await readTllibLog(run('source_only'));
  assert.equal(f.algorithm, 'erm');
  assert.equal(f.status, 'finished');
  assert.equal(f.testAcc1, 50.7);
  assert.equal(f.hyperparameters?.wd, 0.0005);
  assert.equal(f.series?.some((s) => s.key === 'train/domain_acc'), false);
  const lr = series(f, 'lr');
  assert.equal(lr.points.length, 15);
  assert.equal(lr.points[0].value, 0.01, '[0.01, 0.01, 0.01]: the first (backbone) group');
  assert.equal(lr.points[0].line, 17);
  assert.ok(f.notes?.some((n) => n.line === 15 && n.message.includes('get_last_lr')), 'the lr_scheduler warning is noted');
});

test('runs/diverged and runs/strong_disc: huge losses kept as numbers; a 10-epoch run', { skip }, async () => {
  const d = await readTllibLog(run('diverged'));
  assert.equal(d.status, 'finished');
  assert.equal(d.hyperparameters?.lr, 10.0);
  const loss = series(d, 'train/loss');
  // line 17: Loss 1453032.62 (70008.20)
  assert.deepEqual([loss.points[1].value, loss.points[1].avg, loss.points[1].line], [1453032.62, 70008.2, 17]);
  assert.equal(d.bestAcc1, 10.2);
  assert.equal(series(d, 'val/acc1').points.at(-1)?.value, 9.778);

  const s = await readTllibLog(run('strong_disc'));
  assert.equal(s.epochsCompleted, 10);
  assert.equal(s.algorithm, 'dann');
  assert.equal(s.hyperparameters?.disc_hidden, 2048);
  assert.equal(s.evaluations?.length, 11);
});

test('real-logs/dh-a2w-2ep: unmodified dann.py, Office-31 A->W, 2 epochs of 1000 iterations', { skip }, async () => {
  const f = await readTllibLog(real('dh-a2w-2ep/train-2023-03-26-19_51_41.txt'));
  assert.equal(f.algorithm, 'dann');
  assert.equal(f.status, 'finished');
  assert.equal(f.itersPerEpoch, 1000);
  assert.equal(f.epochsCompleted, 2);
  assert.deepEqual(f.evaluations?.map((e) => [e.phase, e.epoch, e.acc1]), [['val', 0, 76.855], ['val', 1, 85.912], ['test', undefined, 85.912]]);
  assert.equal(f.bestAcc1, 85.9);
  assert.equal(f.testAcc1, 85.9);
  assert.deepEqual(series(f, 'lr').points.map((p) => p.value), [0.001, 0.0005946035575013606]);
  const dom = series(f, 'train/domain_acc');
  assert.equal(lastAvgOfEpoch(dom, 0), 75.7, 'line 32: Domain Acc 75.0 (75.7)');
  assert.equal(lastAvgOfEpoch(dom, 1), 64.6);
  assert.equal(dom.points.find((p) => p.step === 1900)?.line, 45, 'step of [1][900/1000] = 1*1000+900');
  // the multi-line transform reprs are recognised, not counted as unknown lines
  assert.equal(f.notes?.some((n) => /not recognised/.test(n.message)), false, JSON.stringify(f.notes));
});

test('real-logs/dh-digits-b1-b: 100 epochs, 101 evaluations, a stray print line noted', { skip }, async () => {
  const f = await readTllibLog(real('dh-digits-b1-b/train-2023-04-19-10_04_13.txt'));
  assert.equal(f.algorithm, 'dann');
  assert.equal(f.status, 'finished');
  assert.equal(f.epochsCompleted, 100);
  assert.equal(f.evaluations?.length, 101);
  assert.equal(series(f, 'val/acc1').points.at(-1)?.value, 22.92);
  assert.equal(f.evaluations?.at(-1)?.acc1, 26.308);
  assert.equal(f.bestAcc1, 26.3);
  assert.equal(series(f, 'train/domain_acc').points.length, 1000);
  assert.equal(series(f, 'lr').points.length, 100);
  assert.ok(f.notes?.some((n) => n.line === 16 && /1 line\(s\) not recognised/.test(n.message)), "the 'convnet' print");
});

test('real-logs/dao-dan-l1 train: DAN fork with F1 lines and per-class tables every epoch', { skip }, async () => {
  const f = await readTllibLog(real('dao-dan-l1/train-2023-10-01-14_05_16.txt'));
  assert.equal(f.algorithm, 'dan', "log='Result/DAN/...'");
  assert.equal(f.status, 'finished');
  assert.equal(f.itersPerEpoch, 500);
  assert.equal(f.epochsCompleted, 250);
  assert.equal(f.evaluations?.length, 251);
  assert.equal(f.perClass?.length, 251);
  assert.equal(f.bestAcc1, 57.50636);
  assert.equal(f.testAcc1, 57.50636);
  assert.equal(f.hyperparameters?.seed, null);
  const tr = series(f, 'train/transfer_loss');
  assert.equal(tr.rawName, 'Trans Loss');
  // line 6: Trans Loss 0.7967 (0.7967)
  assert.deepEqual([tr.points[0].value, tr.points[0].avg, tr.points[0].line], [0.7967, 0.7967, 6]);
  assert.equal(series(f, 'val/acc1').points[0].value, 24.17303);
  const f1 = series(f, 'val/f1_macro');
  assert.equal(f1.unit, 'fraction');
  assert.deepEqual([f1.points[0].step, f1.points[0].value], [0, 0.17852]);
  assert.equal(f1.points.length, 250, 'the test-phase F1 lines are not validation points');
  const t0 = f.perClass![0];
  assert.deepEqual(t0.rows, [
    { name: 'E-commerce', acc: 14.457830429077148, iou: 8.0 },
    { name: 'Video on-demand', acc: 64.55696105957031, iou: 22.173912048339844 },
    { name: 'Interactive data', acc: 13.51351261138916, iou: 12.42236042022705 },
  ]);
  const last = f.perClass!.at(-1)!;
  assert.equal(last.phase, 'test');
  assert.deepEqual(last.rows[1], { name: 'Video on-demand', acc: 0, iou: 0 });
  assert.equal(last.meanCorrect, 48.8);
});

test('real-logs/dao-dan-l1 analysis: A-distance, per-epoch ANet lines, tqdm noise skipped', { skip }, async () => {
  const file = real('dao-dan-l1/analysis-2023-10-01-18_28_58.txt');
  const f = await readTllibLog(file);
  assert.equal(f.status, 'finished');
  assert.deepEqual(f.aDistance, { value: 1.5659, ref: { file, line: 32 } });
  const ad = series(f, 'analysis/a_distance');
  assert.equal(ad.points.length, 10);
  assert.deepEqual([ad.points[9].step, ad.points[9].value, ad.points[9].line], [9, 1.5658626556396484, 31]);
  assert.equal(series(f, 'analysis/anet_acc').points[0].value, 85.0185546875);
  assert.equal(f.hyperparameters?.phase, 'analysis');
  assert.equal(f.evaluations, undefined);
  assert.equal(f.notes?.filter((n) => n.message.startsWith('FutureWarning')).length, 4);
});

test('sniff: every real log is claimed by content, whatever the name; other files are not', { skip }, () => {
  const files = [run('healthy'), run('source_only'), real('dh-a2w-2ep/train-2023-03-26-19_51_41.txt'),
    real('dao-dan-l1/analysis-2023-10-01-18_28_58.txt'), real('dao-dan-l1/train-2023-10-01-14_05_16.txt')];
  for (const file of files) assert.equal(tllibReader.sniff('out.log', readFileSync(file).subarray(0, 65536)), true, file);
  assert.equal(tllibReader.sniff('train-x.txt', readFileSync(resolve(SHARED_RUNS, 'healthy_lightning/metrics.csv'))), false);
  assert.equal(tllibReader.sniff('train-x.txt', readFileSync(resolve(SHARED_RUNS, 'healthy/features.npz')).subarray(0, 65536)), false);
  const body = readFileSync(run('healthy'), 'utf8').split('\n').slice(14).join('\n');
  assert.equal(tllibReader.sniff('log.txt', Buffer.from(body)), true, 'Epoch lines without the header');
  assert.equal(tllibReader.sniff('x', Buffer.from('Test: [ 0/8]\tTime 1 (1)\n * Acc@1 80.1\n')), true, 'a validation summary');
  assert.equal(tllibReader.sniff('runs/x/train-2023-04-19-10_04_13.txt', Buffer.alloc(0)), true, 'an empty CompleteLogger file, by name');
  assert.equal(tllibReader.sniff('', Buffer.alloc(0)), false);
  assert.equal(tllibReader.sniff('notes.txt', Buffer.from('hello\n')), false);
});
