// readTllibLog on the other tllib scripts' log shapes (formats.md 2.4-2.9). No real logs of these exist in ../shared,
// so each input is built from the exact lines formats.md quotes ([real] where marked there, else reconstructed from
// the scripts' format strings).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTllibLog } from '../../src/ingest/tllib/index.js';
import type { RunFragment, Series } from '../../src/model/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tllib-formats-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
async function read(lines: string[]): Promise<RunFragment> {
  const file = join(dir, `log-${n++}.txt`);
  writeFileSync(file, lines.join('\n') + '\n');
  return readTllibLog(file);
}
const series = (f: RunFragment, key: string): Series => {
  const s = f.series?.find((x) => x.key === key);
  assert.ok(s, `series ${key} present (have: ${f.series?.map((x) => x.key).join(', ')})`);
  return s;
};
const T = '\t';
const ns = (log: string, extra = ''): string => `Namespace(arch='resnet50', batch_size=32, log='${log}', lr=0.01, phase='train'${extra})`;

test('CDAN: Trans Loss + Domain Acc; the meters decide when the log path names nothing', async () => {
  const line = `Epoch: [0][ 100/1000]${T}Time 0.0 (0.0)${T}Data 0.0 (0.0)${T}Loss 0.04 (1.18)${T}Trans Loss 0.01 (0.23)${T}Cls Acc 100.0 (68.3)${T}Domain Acc 100.0 (92.1)`;
  const f = await read([ns('my_runs/run1'), 'lr: 0.001', line]);
  assert.equal(f.algorithm, 'cdan');
  assert.equal(f.status, 'incomplete');
  const tl = series(f, 'train/transfer_loss');
  assert.deepEqual([tl.rawName, tl.points[0].value, tl.points[0].avg, tl.points[0].step], ['Trans Loss', 0.01, 0.23, 100]);
  assert.equal((await read([ns('logs/dann/x'), 'lr: 0.001', line])).algorithm, 'dann', 'the log path wins over the meters');
});

test('MDD: list lr + Trans Loss, no Domain Acc; lr keeps the backbone group (first) value', async () => {
  const f = await read([
    ns('runs/a2w'),
    '[0.0004, 0.004, 0.004, 0.004]',
    `Epoch: [3][ 200/1000]${T}Time 0.4 (0.4)${T}Data 0.1 (0.1)${T}Loss 1.02 (1.10)${T}Trans Loss 0.85 (0.91)${T}Cls Acc 96.9 (95.2)`,
  ]);
  assert.equal(f.algorithm, 'mdd');
  assert.equal(series(f, 'lr').points[0].value, 0.0004);
  assert.equal(series(f, 'train/cls_acc').points[0].step, 3200);
  const g = await read([ns('runs/a2w'), 'lr: [0.0004, 0.004]', `Epoch: [0][ 0/10]${T}Loss 1.0 (1.0)${T}Trans Loss 0.8 (0.8)${T}Cls Acc 9.4 (9.4)`]);
  assert.equal(g.algorithm, 'mdd', '`lr: [..]` counts as a list too');
});

test('ERM: only Loss and Cls Acc', async () => {
  const f = await read([ns('out'), '[0.0001, 0.001, 0.001]', `Epoch: [0][100/500]${T}Time 0.1 (0.1)${T}Data 0.0 (0.0)${T}Loss 2.38 (3.02)${T}Cls Acc 43.8 (24.8)`]);
  assert.equal(f.algorithm, 'erm');
});

test('DAN/JAN [real DAN fork line]: negative Trans Loss with 4 decimals; script-only arguments tell JAN from DAN', async () => {
  const line = `Epoch: [4][200/500]${T}Time 0.11 (0.11)${T}Data 0.0 (0.0)${T}Loss -1.40 (1.01)${T}Trans Loss -2.0205 (0.2824)${T}Cls Acc 100.0 (75.4)`;
  const f = await read([ns('out'), line]);
  assert.equal(f.algorithm, 'dan');
  const tl = series(f, 'train/transfer_loss');
  assert.deepEqual([tl.points[0].value, tl.points[0].avg, tl.points[0].step], [-2.0205, 0.2824, 2200]);
  assert.equal(series(f, 'train/loss').points[0].value, -1.4);
  assert.equal((await read([ns('out', ', adversarial=False'), line])).algorithm, 'jan');
});

test('MCD: two-head validation, results tuple, test acc of the better head', async () => {
  const f = await read([
    ns('out', ', num_k=4'),
    `Epoch: [0][   0/1000]${T}Time 0.1 (0.1)${T}Data 0.0 (0.0)${T}Loss 3.2 (3.2)${T}Trans Loss 0.01 (0.01)${T}Cls Acc 3.1 (3.1)`,
    `Test: [ 0/25]${T}Time  0.788 ( 0.788)${T}Acc_1  96.88 ( 96.88)${T}Acc_2  93.75 ( 93.75)`,
    ' * Acc1 80.629 Acc2 79.245',
    'best_acc1 = 80.6, results = (80.62893081761007, 79.24528301886792)',
    `Test: [ 0/25]${T}Time  0.788 ( 0.788)${T}Acc_1  96.88 ( 96.88)${T}Acc_2  93.75 ( 93.75)`,
    ' * Acc1 80.629 Acc2 79.245',
    'test_acc1 = 80.6',
  ]);
  assert.equal(f.algorithm, 'mcd');
  assert.equal(f.status, 'finished');
  assert.deepEqual(f.evaluations?.map((e) => [e.phase, e.epoch, e.acc1, e.acc2]), [['val', 0, 80.629, 79.245], ['test', undefined, 80.629, 79.245]]);
  assert.equal(series(f, 'val/acc1').rawName, 'Acc1');
  assert.equal(series(f, 'val/acc2').points[0].value, 79.245);
  assert.equal(f.bestAcc1, 80.6);
  assert.equal(f.testAcc1, 80.6);
  assert.ok(f.notes?.some((n) => n.line === 5 && n.message.includes('(80.62893081761007, 79.24528301886792)')));
  const noArgs = await read(['Namespace(log=\'out\')', `Epoch: [0][ 0/10]${T}Loss 3.2 (3.2)${T}Trans Loss 0.01 (0.01)${T}Cls Acc 3.1 (3.1)`, ' * Acc1 80.629 Acc2 79.245']);
  assert.equal(noArgs.algorithm, 'mcd', 'the two-head summary alone says MCD');
});

test('ADDA: the source pretraining block gets pretrain/ series and does not count as the run', async () => {
  const f = await read([
    ns('out'),
    'Pretraining the model on source domain.',
    'lr: [0.0001, 0.001]',
    `Epoch: [0][  0/500]${T}Time 1.00 (1.00)${T}Data 0.00 (0.00)${T}Loss 2.30 (2.30)${T}Cls Acc 9.4 (9.4)`,
    `Test: [ 0/25]${T}Time  0.1 ( 0.1)${T}Loss 1.0e+00 (1.0e+00)${T}Acc@1  50.00 ( 50.00)`,
    ' * Acc@1 70.000',
    'Pretraining process is done.',
    'lr: [0.0001, 0.001]',
    `Epoch: [0][   0/1000]${T}Time  0.50 ( 0.50)${T}Data  0.01 ( 0.01)${T}Transfer Loss   0.69 (  0.69)${T}Domain Acc 50.0 (50.0)`,
  ]);
  assert.equal(f.algorithm, 'adda');
  assert.equal(series(f, 'pretrain/train/cls_acc').points[0].value, 9.4);
  assert.equal(series(f, 'pretrain/lr').points.length, 1);
  assert.equal(series(f, 'train/transfer_loss').rawName, 'Transfer Loss');
  assert.equal(series(f, 'lr').points.length, 1);
  assert.equal(f.itersPerEpoch, 1000, 'pretraining epochs (500 iterations) do not set the run shape');
  assert.equal(f.evaluations, undefined, 'the pretraining validation is not a target evaluation');
  assert.equal(f.series?.some((s) => s.key === 'train/cls_acc'), false);
});

test('AFN and fixmatch: their own meters name them', async () => {
  const afn = await read([ns('out'), `Epoch: [0][ 0/500]${T}Time 0.1 (0.1)${T}Data 0.0 (0.0)${T}Cls Loss 2.30 (2.30)${T}Norm Loss 0.50 (0.50)${T}Source Feature Norm 20.10 (20.10)${T}Target Feature Norm 19.80 (19.80)${T}Cls Acc 9.4 (9.4)`]);
  assert.equal(afn.algorithm, 'afn');
  assert.equal(series(afn, 'train/cls_loss').rawName, 'Cls Loss');
  assert.equal(series(afn, 'Source Feature Norm').points[0].value, 20.1, 'unknown meters keep their raw name as key');
  const fm = await read([ns('out'), 'lr: [0.001, 0.01]', `Epoch: [0][ 0/500]${T}Time  0.10 ( 0.10)${T}Data  0.00 ( 0.00)${T}Cls Loss   2.30 (  2.30)${T}Self Training Loss   0.00 (  0.00)${T}Loss   2.30 (  2.30)${T}Cls Acc 9.4 (9.4)${T}Pseudo Label Ratio 0.0 (0.0)${T}Pseudo Label Acc 0.0 (0.0)`]);
  assert.equal(fm.algorithm, 'fixmatch');
});

test('pre-Sep-2021 logs: Acc@5 meter and summary, no lr line, "pre-trained model" line', async () => {
  const f = await read([
    ns('logs/dann/Office31_A2W'),
    "=> using pre-trained model 'resnet50'",
    `Epoch: [0][   0/1000]${T}Time  2.16 ( 2.16)${T}Data  0.01 ( 0.01)${T}Loss   4.26 (  4.26)${T}Cls Acc 6.2 (6.2)${T}Domain Acc 43.8 (43.8)`,
    `Test: [ 0/25]${T}Time  0.788 ( 0.788)${T}Loss 3.1701e-01 (3.1701e-01)${T}Acc@1  96.88 ( 96.88)${T}Acc@5 100.00 (100.00)`,
    ' * Acc@1 80.629 Acc@5 95.220',
  ]);
  assert.deepEqual(f.evaluations?.map((e) => [e.epoch, e.acc1, e.acc5, e.line, e.endLine]), [[0, 80.629, 95.22, 4, 5]]);
  assert.equal(series(f, 'val/acc5').points[0].value, 95.22);
  assert.equal(f.epochsCompleted, 1);
  assert.equal(f.notes?.some((n) => /not recognised/.test(n.message)), false);
});

test('2020 dalib-era logs: bare lr float lines, even right after a summary, are lr (not a test print)', async () => {
  const f = await read([
    '0.001',
    `Epoch: [0][  0/500]${T}Time 1.14 (1.14)${T}Data 0.0 (0.0)${T}Loss 3.48 (3.48)${T}Cls Acc 0.0 (0.0)`,
    ' * Acc@1 45.000',
    '0.0005946035575013606',
    `Epoch: [1][  0/500]${T}Time 1.14 (1.14)${T}Data 0.0 (0.0)${T}Loss 1.48 (1.48)${T}Cls Acc 50.0 (50.0)`,
  ]);
  assert.deepEqual(series(f, 'lr').points.map((p) => [p.step, p.value]), [[0, 0.001], [1, 0.0005946035575013606]]);
  assert.equal(f.testAcc1, undefined);
  assert.equal(f.status, 'incomplete');
  assert.equal(f.hyperparameters, undefined);
  assert.equal(f.algorithm, 'erm');
  const modern = await read([ns('logs/dann/x'), 'lr: 0.001', '42', `Epoch: [0][ 0/10]${T}Loss 1.0 (1.0)`, ' * Acc@1 45.000', '7']);
  assert.deepEqual(series(modern, 'lr').points.map((p) => p.value), [0.001], 'a stray number print in a log with lr: lines is not an lr');
  assert.ok(modern.notes?.some((x) => /2 line\(s\) not recognised/.test(x.message)));
});

test('test phase [real]: the summary is a test evaluation, the bare float print is test_acc1, the run is finished', async () => {
  const f = await read([
    "Namespace(log='logs/dann/Office31_A2W', phase='test')",
    "=> using model 'resnet50'",
    `Test: [ 0/25]${T}Time  0.838 ( 0.838)${T}Loss 3.1909e-02 (3.1909e-02)${T}Acc@1 100.00 (100.00)`,
    ' * Acc@1 89.686',
    '89.68553458159825',
  ]);
  assert.equal(f.status, 'finished');
  assert.equal(f.testAcc1, 89.68553458159825);
  assert.deepEqual(f.evaluations?.map((e) => [e.phase, e.epoch, e.acc1, e.line]), [['test', undefined, 89.686, 3]]);
  assert.equal(f.series?.some((s) => s.key === 'val/acc1'), false);
  const mcd = await read(["Namespace(log='logs/mcd/x', phase='test')", ' * Acc1 80.629 Acc2 79.245', '(80.62893081761007, 79.24528301886792)']);
  assert.equal(mcd.status, 'finished');
  assert.equal(mcd.testAcc1, 80.62893081761007, 'MCD prints the tuple; the better head is the test accuracy');
  const noHeader = await read([' * Acc@1 89.686', '89.68553458159825']);
  assert.equal(noHeader.evaluations?.[0].phase, 'test', 'without a header the matching print still marks a test run');
});

test('analysis phase on CPU: A-distance = tensor(x) without a device', async () => {
  const f = await read(["Namespace(log='logs/dann/x', phase='analysis')", 'Saving t-SNE to logs/dann/x/visualize/TSNE.pdf', 'epoch 0 accuracy: 78.94002532958984 A-dist: 1.1576008796691895', 'A-distance = tensor(1.3640)']);
  assert.equal(f.status, 'finished');
  assert.equal(f.aDistance?.value, 1.364);
  assert.equal(f.aDistance?.ref.line, 4);
  assert.equal(series(f, 'analysis/a_distance').points[0].value, 1.1576008796691895);
});

test('nan and inf meters are kept as numbers (a NaN is a symptom)', async () => {
  const f = await read([ns('logs/dann/x'), `Epoch: [0][ 0/10]${T}Loss    nan (   nan)${T}Cls Acc 6.2 (6.2)${T}Domain Acc inf (-inf)`]);
  const loss = series(f, 'train/loss').points[0];
  assert.ok(Number.isNaN(loss.value) && Number.isNaN(loss.avg!));
  const d = series(f, 'train/domain_acc').points[0];
  assert.deepEqual([d.value, d.avg], [Infinity, -Infinity]);
});

test('per-class table: names with spaces and "|", nan rows, a table cut short', async () => {
  const f = await read([
    ns('logs/dann/x'),
    ' * Acc@1 51.000',
    'global correct: 51.0',
    'mean correct:34.1',
    'mean IoU: 21.0',
    '+------------------+-------------------+--------------------+',
    '|      class       |        acc        |        iou         |',
    '+------------------+-------------------+--------------------+',
    '|    E-commerce    |  87.360595703125  | 49.78813552856445  |',
    '|  a | b  | nan | nan |',
    '+------------------+-------------------+--------------------+',
    ' * Acc@1 52.000',
    'global correct: 52.0',
    '+---+---+---+',
    '| class | acc | iou |',
    '+---+---+---+',
    '| x | 1.0 | 2.0 |',
  ]);
  assert.equal(f.perClass?.length, 2);
  const [t, cut] = f.perClass!;
  assert.deepEqual([t.globalCorrect, t.meanCorrect, t.meanIoU, t.line, t.endLine], [51.0, 34.1, 21.0, 3, 11]);
  assert.equal(t.rows[0].name, 'E-commerce');
  assert.equal(t.rows[1].name, 'a|b');
  assert.ok(Number.isNaN(t.rows[1].acc) && Number.isNaN(t.rows[1].iou!));
  assert.deepEqual(cut.rows, [{ name: 'x', acc: 1, iou: 2 }]);
  assert.ok(f.notes?.some((n) => n.line === 17 && /ends early/.test(n.message)));
});

test('algorithmFromLogPath: tllib default --log folders and forks name the algorithm by a path segment', async () => {
  const { algorithmFromLogPath } = await import('../../src/ingest/tllib/index.js');
  const cases: [string, string | undefined][] = [
    ['logs/dann/Office31_A2W', 'dann'], ['logs/cdan/OfficeHome_Ar2Cl', 'cdan'], ['logs/src_only/Office31_A2W', 'erm'],
    ['Result/DAN/Byte_512/MKMMD/Test_3/Lambda_1/', 'dan'], ['logs/dann_office31', 'dann'], ['logs\\mdd\\x', 'mdd'],
    ['logs/dann/Digits_M2U/utility_exp', 'dann'], ['runs/healthy', undefined], ['logs/danger', undefined], ['', undefined],
  ];
  for (const [path, want] of cases) assert.equal(algorithmFromLogPath(path), want, path);
});
