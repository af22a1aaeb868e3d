// Tests for the DeepDA, Dassl and Keras/ADAPT text-log readers (fixtures built from the tools' format strings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDeepdaLog, readDasslLog, readKerasLog, parseDeepdaFields, parseKerasPairs, sniffDeepda, sniffDassl, sniffKeras } from '../../src/ingest/textlogs/index.js';
import { FIXTURES, SHARED_RUNS, hasShared } from '../helpers/shared.js';
import type { RunFragment, Series } from '../../src/model/types.js';

const TL = join(FIXTURES, 'textlogs');
const seriesOf = (f: RunFragment, key: string): Series => {
  const s = f.series!.find((x) => x.key === key);
  assert.ok(s, `series ${key} present (have ${f.series!.map((x) => x.key).join(', ')})`);
  return s;
};

test('DeepDA epoch fields: with and without a colon (test_loss has none)', () => {
  assert.deepEqual(parseDeepdaFields('cls_loss: 3.1772, transfer_loss: 0.1302, total_Loss: 3.3074, test_loss 3.069487, test_acc: 21.7252'), [
    { name: 'cls_loss', value: 3.1772 }, { name: 'transfer_loss', value: 0.1302 }, { name: 'total_Loss', value: 3.3074 },
    { name: 'test_loss', value: 3.069487 }, { name: 'test_acc', value: 21.7252 },
  ]);
  assert.deepEqual(parseDeepdaFields('cls_loss: nan, transfer_loss: inf'), [{ name: 'cls_loss', value: NaN }, { name: 'transfer_loss', value: Infinity }]);
});

test('DeepDA finished log: per-epoch series (0-based), Namespace hyperparameters, Transfer result = best', async () => {
  const truth = JSON.parse(readFileSync(join(SHARED_RUNS, 'truth.json'), 'utf8')).healthy;
  const f = await readDeepdaLog(join(TL, 'deepda_DANN_clean2rotated.txt'));
  // the reader names the framework; src/understand/algorithm.ts reads transfer_loss='adv' (test/understand/algorithm-keys.test.ts)
  assert.deepEqual([f.format, f.status, f.algorithm, f.epochsCompleted, f.itersPerEpoch], ['deepda-log', 'finished', 'deepda', 15, 300]);
  // `Epoch: [ 1/15]` .. `[15/15]`: 1-based in the log, 0-based indices in the series, the log's total kept
  assert.deepEqual([f.epochBase, f.epochsPlanned], [1, 15]);
  const val = seriesOf(f, 'val/acc1');
  assert.deepEqual([val.rawName, val.granularity, val.unit], ['test_acc', 'epoch', 'percent']);
  assert.deepEqual(val.points.map((p) => p.step), [...Array(15).keys()]);
  val.points.forEach((p, i) => assert.ok(Math.abs(p.value - truth.val_acc_per_epoch[i]) < 1e-3));
  assert.equal(f.bestAcc1, 85.778); // `Transfer result: 85.7780`
  assert.equal(seriesOf(f, 'train/loss').rawName, 'total_Loss');
  assert.deepEqual([seriesOf(f, 'val/loss').points[0].value, seriesOf(f, 'val/loss').points[0].line], [1.605356, 2]);
  assert.equal(f.evaluations!.length, 15);
  assert.deepEqual([f.evaluations![14].acc1, f.evaluations![14].loss, f.evaluations![14].epoch], [85.778, 0.984593, 14]);
  assert.equal(f.hyperparameters!.transfer_loss, 'adv');
  assert.equal(f.hyperparameters!.lr, 0.01);
  assert.equal(f.hyperparameters!.device, "device(type='cuda')");
  assert.deepEqual(f.hyperparametersFrom, { file: join(TL, 'deepda_DANN_clean2rotated.txt'), line: 1 });
});

test('DeepDA crashed log: traceback -> crashed with the exception and its line', async () => {
  const f = await readDeepdaLog(join(TL, 'deepda_crashed.txt'));
  assert.equal(f.status, 'crashed');
  assert.deepEqual(f.crash, { file: join(TL, 'deepda_crashed.txt'), line: 10, type: 'RuntimeError', message: 'CUDA out of memory. Tried to allocate 20.00 MiB' });
  assert.equal(f.epochsCompleted, 3);
  assert.equal(f.bestAcc1, 63.111); // no Transfer result: the best logged test_acc
});

test('DeepDA log that just stops: incomplete, with a note', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-tl-'));
  try {
    writeFileSync(join(dir, 'x.log'), 'Epoch: [ 1/500], cls_loss: 3.1772, transfer_loss: 0.1302, total_Loss: 3.3074, test_loss 3.069487, test_acc: 21.7252\n');
    const f = await readDeepdaLog(join(dir, 'x.log'));
    assert.equal(f.status, 'incomplete');
    assert.equal(f.algorithm, 'deepda'); // no Namespace: the transfer loss is unknown
    assert.ok(f.notes!.some((n) => /after 1 of 500 epochs/.test(n.message)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Dassl log: meters with running averages, eval blocks, per-class table, final test, config', async () => {
  const file = join(TL, 'dassl_log.txt');
  const f = await readDasslLog(file);
  assert.deepEqual([f.format, f.status, f.algorithm, f.itersPerEpoch, f.epochsCompleted], ['dassl-log', 'finished', 'dann', 100, 3]);
  const d = seriesOf(f, 'train/transfer_loss');
  assert.equal(d.rawName, 'loss_d');
  // line 39 `epoch [2/3] batch [50/100] ... loss_d 1.2701 (1.2801)` -> epoch 1, iteration 49, step 149
  assert.deepEqual([d.points[2].step, d.points[2].epoch, d.points[2].iter, d.points[2].value, d.points[2].avg, d.points[2].line], [149, 1, 49, 1.2701, 1.2801, 39]);
  assert.equal(seriesOf(f, 'train/cls_acc').points[0].avg, 95);
  assert.equal(seriesOf(f, 'lr').points[0].value, 0.002);
  assert.equal(f.series!.find((s) => s.rawName === 'eta' || s.rawName === 'time'), undefined);
  assert.deepEqual(seriesOf(f, 'val/acc1').points.map((p) => [p.step, p.value]), [[0, 48.9], [1, 59.6], [2, 63.1]]);
  assert.equal(f.bestAcc1, 63.1);
  assert.equal(f.testAcc1, 85.8); // after `Finish training`
  assert.deepEqual(f.evaluations!.map((e) => e.phase), ['val', 'val', 'val', 'test']);
  assert.equal(f.perClass!.length, 1);
  assert.deepEqual(f.perClass![0].rows, [{ name: 'zero', acc: 100 }, { name: 'one', acc: 69.6 }]);
  assert.deepEqual([f.perClass![0].epoch, f.perClass![0].meanCorrect, f.perClass![0].globalCorrect, f.perClass![0].line], [2, 84.8, 63.1, 59]);
  assert.equal(f.hyperparameters!.trainer, 'DANN');
  assert.deepEqual(f.hyperparameters!.source_domains, ['clean']);
  assert.equal(f.hyperparameters!['OPTIM.LR'], 0.002);
  assert.equal(f.hyperparameters!.lr, 0.002);
});

test('Keras/ADAPT console: last progress line of each epoch (after a \\r redraw), fractions scaled, incomplete', async () => {
  assert.deepEqual(parseKerasPairs('32/32 [====] - 0s 4ms/step - loss: 0.31 - disc_loss: 1.38 - disc_acc: 0.52'), [
    { name: 'loss', value: 0.31 }, { name: 'disc_loss', value: 1.38 }, { name: 'disc_acc', value: 0.52 },
  ]);
  assert.deepEqual(parseKerasPairs('32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 4ms/step - disc_acc: 0.5200 - loss: 0.3100'), [{ name: 'disc_acc', value: 0.52 }, { name: 'loss', value: 0.31 }]);
  const f = await readKerasLog(join(TL, 'adapt_keras_console.txt'));
  assert.deepEqual([f.format, f.status, f.epochsCompleted, f.algorithm], ['keras-log', 'incomplete', 3, 'dann']);
  const dom = seriesOf(f, 'train/domain_acc');
  assert.deepEqual([dom.rawName, dom.scaledFrom, dom.granularity], ['disc_acc', 'fraction', 'epoch']);
  assert.deepEqual(dom.points.map((p) => Math.round(p.value * 100) / 100), [81.68, 67.18, 59.41]); // not the 0.9999 of the redrawn ETA line
  assert.ok(Math.abs(f.bestAcc1! - 63.11) < 1e-9);
  assert.ok(f.notes!.some((n) => /3 of 5 epochs/.test(n.message)));
});

test('sniffers recognise their own logs and not each other\'s', () => {
  const head = (n: string) => readFileSync(join(TL, n));
  const cases: [string, [boolean, boolean, boolean]][] = [
    ['deepda_DANN_clean2rotated.txt', [true, false, false]],
    ['dassl_log.txt', [false, true, false]],
    ['adapt_keras_console.txt', [false, false, true]],
  ];
  for (const [name, want] of cases) assert.deepEqual([sniffDeepda('', head(name)), sniffDassl('', head(name)), sniffKeras('', head(name))], want, name);
  const tllib = Buffer.from("Namespace(root='data/office31', data='Office31', lr=0.01)\nEpoch: [0][  0/500]\tTime  1.0 ( 1.0)\n");
  assert.deepEqual([sniffDeepda('', tllib), sniffDassl('', tllib), sniffKeras('', tllib)], [false, false, false]);
});

test('Dassl (newer): tab-separated `epoch [e/E][b/B]` lines, evaluation result, `Finished training`', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const dir = await mkdtemp(join(tmpdir(), 'dd-dassl-'));
  try {
    const lines = [
      '***************', '** Arguments **', '***************', 'trainer: DANN', 'seed: 1',
      'epoch [1/2][1/4]\ttime 0.120 (0.130)\tdata 0.010 (0.020)\tloss_x 2.1000 (2.1000)\tacc_x 25.0000 (25.0000)\tloss_d 1.3800 (1.3800)\tlr 1.0000e-03\teta 0:00:10',
      'epoch [1/2][4/4]\ttime 0.120 (0.130)\tdata 0.010 (0.020)\tloss_x 1.5000 (1.8000)\tacc_x 50.0000 (40.0000)\tloss_d 1.3500 (1.3600)\tlr 1.0000e-03\teta 0:00:05',
      'Evaluate on the *val* set', '=> result', '* total: 100', '* correct: 61', '* accuracy: 61.0%', '* error: 39.0%', '* macro_f1: 60.2%',
      'epoch [2/2][4/4]\ttime 0.120 (0.130)\tdata 0.010 (0.020)\tloss_x 1.0000 (1.2000)\tacc_x 75.0000 (70.0000)\tloss_d nan (nan)\tlr 5.0000e-04\teta 0:00:00',
      'Evaluate on the *val* set', '=> result', '* total: 100', '* correct: 72', '* accuracy: 72.0%',
      'Finished training', 'Evaluate on the *test* set', '=> result', '* total: 200', '* correct: 150', '* accuracy: 75.0%', 'Elapsed: 0:00:12',
    ];
    const file = join(dir, 'log.txt');
    await writeFile(file, lines.join('\n') + '\n');
    assert.ok(sniffDassl('', Buffer.from(lines.slice(5).join('\n'))));
    const f = await readDasslLog(file);
    assert.deepEqual([f.status, f.algorithm, f.itersPerEpoch, f.epochsCompleted, f.testAcc1, f.bestAcc1], ['finished', 'dann', 4, 2, 75, 72]);
    const lossX = f.series!.find((s) => s.rawName === 'loss_x')!;
    assert.deepEqual(lossX.points.map((p) => [p.step, p.value, p.avg]), [[0, 2.1, 2.1], [3, 1.5, 1.8], [7, 1, 1.2]]);
    assert.ok(Number.isNaN(f.series!.find((s) => s.rawName === 'loss_d')!.points[2].value));
    assert.ok(!f.series!.some((s) => ['time', 'data', 'eta'].includes(s.rawName)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
