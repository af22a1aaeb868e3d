// Tests for the CSV reader: the real Lightning CSVLogger run, Keras CSVLogger, DeepDA train_log.csv, generic edge cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CASE_TIMEOUT_MS } from '../../bench/fuzz/run-fuzz.js';
import { readCsvLog, classifyCsv, sniffCsv } from '../../src/ingest/csv/index.js';
import { readTllibLog } from '../../src/ingest/tllib/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import { FIXTURES, SHARED_RUNS, hasShared, trainLogOf } from '../helpers/shared.js';
import type { RunFragment, Series } from '../../src/model/types.js';

const CSV = join(FIXTURES, 'csv');
const seriesOf = (f: RunFragment, key: string): Series => {
  const s = f.series!.find((x) => x.key === key);
  assert.ok(s, `series ${key} present (have ${f.series!.map((x) => x.key).join(', ')})`);
  return s;
};
const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

test('flavour is decided from the header shape, then the name', () => {
  assert.equal(classifyCsv('x/metrics.csv', ['epoch', 'step', 'val/acc']), 'lightning-csv');
  assert.equal(classifyCsv('log.csv', ['step', 'loss']), 'csv');
  assert.equal(classifyCsv('metrics.csv', ['step', 'loss']), 'lightning-csv');
  assert.equal(classifyCsv('training.log', ['epoch', 'disc_acc', 'loss']), 'keras-csv');
  assert.equal(classifyCsv('train_log.csv', ['3.1', '0.13', '3.3']), 'deepda-csv');
  assert.equal(classifyCsv('a.csv', ['1', '2']), 'csv');
});

test('healthy_lightning metrics.csv: same final/best val acc and domain-acc level as the healthy text log', async () => {
  const truth = JSON.parse(readFileSync(join(SHARED_RUNS, 'truth.json'), 'utf8'));
  const f = await readCsvLog(join(SHARED_RUNS, 'healthy_lightning', 'metrics.csv'));
  assert.equal(f.format, 'lightning-csv');
  const val = seriesOf(f, 'val/acc1');
  assert.equal(val.granularity, 'epoch');
  assert.equal(val.scaledFrom, 'fraction');
  assert.equal(val.rawName, 'val/acc');
  assert.deepEqual(val.points.map((p) => p.step), [...Array(15).keys()]);
  val.points.forEach((p, i) => near(p.value, truth.healthy.val_acc_per_epoch[i], 1e-3, `val acc epoch ${i}`));
  near(f.bestAcc1!, truth.healthy.best_acc1, 1e-3, 'best');
  near(val.points.at(-1)!.value, truth.healthy.final_target_acc, 1e-2, 'final');
  assert.equal(f.epochsCompleted, 15);
  assert.equal(f.status, 'finished'); // 15 validated epochs of `epochs: 15` in hparams.yaml
  assert.equal(f.itersPerEpoch, 300); // from hparams.yaml
  assert.equal(f.evaluations!.length, 15);
  assert.deepEqual([f.evaluations![0].epoch, f.evaluations![0].line], [0, 8]); // metrics.csv line 8 is the first val row
  near(f.evaluations![0].loss!, 1.6053564548492432, 0, 'val loss on the same row');
  // train meters: every 50 steps, fractions -> percent, epoch and iteration inside the epoch
  const dom = seriesOf(f, 'train/domain_acc');
  assert.equal(dom.granularity, 'iteration');
  assert.equal(dom.points.length, 90);
  assert.deepEqual([dom.points[6].step, dom.points[6].epoch, dom.points[6].iter, dom.points[6].value], [349, 1, 49, 67.1875]); // line 9: 0.671875
  // per-epoch domain-acc level: the CSV samples every 50 steps, the text log's running averages every step
  const means = [...Array(15).keys()].map((e) => {
    const v = dom.points.filter((p) => p.epoch === e).map((p) => p.value);
    return v.reduce((a, b) => a + b, 0) / v.length;
  });
  means.forEach((m, e) => near(m, truth.healthy.domain_acc_epoch_means[e], 7, `domain acc epoch ${e}`));
  const last5 = (xs: number[]) => xs.slice(-5).reduce((a, b) => a + b, 0) / 5;
  near(last5(means), last5(truth.healthy.domain_acc_epoch_means), 1, 'domain acc, mean of the last 5 epochs');
  // hyperparameters from hparams.yaml, typed
  assert.equal(f.hyperparameters!.trade_off, 1);
  assert.equal(f.hyperparameters!.disc_batch_norm, false);
  assert.equal(f.hyperparameters!.grl_switch_iter, null);
  assert.deepEqual(f.hyperparameters!.norm_mean, [0.5]);
  assert.equal(f.hyperparametersFrom!.file, join(SHARED_RUNS, 'healthy_lightning', 'hparams.yaml'));
  assert.equal(f.algorithm, 'dann');
  assert.ok(f.notes!.some((n) => n.level === 'info' && /"train\/domain_acc" holds fractions/.test(n.message)));
});

test('the same run through the tllib reader and the CSV reader: same validation curve and best accuracy', async () => {
  const csv = await readCsvLog(join(SHARED_RUNS, 'healthy_lightning', 'metrics.csv'));
  const log = await readTllibLog(trainLogOf(join(SHARED_RUNS, 'healthy')));
  const a = seriesOf(csv, 'val/acc1').points.map((p) => [p.step, Math.round(p.value * 100) / 100]);
  const b = seriesOf(log, 'val/acc1').points.map((p) => [p.step, Math.round(p.value * 100) / 100]);
  assert.deepEqual(a, b);
  near(csv.bestAcc1!, log.bestAcc1!, 0.05, 'best acc (the text log prints it with one decimal)');
  assert.equal(csv.algorithm, log.algorithm);
});

test('Keras CSVLogger: one row per epoch, fractions scaled, canonical names', async () => {
  const f = await readCsvLog(join(CSV, 'keras_training.log.csv'));
  assert.equal(f.format, 'keras-csv');
  const dom = seriesOf(f, 'train/domain_acc');
  assert.deepEqual([dom.rawName, dom.granularity, dom.scaledFrom], ['disc_acc', 'epoch', 'fraction']);
  assert.deepEqual(dom.points.map((p) => [p.step, Math.round(p.value * 100) / 100]), [[0, 81.68], [1, 67.18], [2, 59.41]]);
  assert.deepEqual(seriesOf(f, 'train/transfer_loss').points.map((p) => p.value), [0.7453, 1.2702, 1.3033]);
  near(f.bestAcc1!, 63.11, 1e-9, 'best val_accuracy');
});

test('DeepDA headerless train_log.csv: three loss columns by position, one row per epoch', async () => {
  const f = await readCsvLog(join(CSV, 'train_log.csv'));
  assert.equal(f.format, 'deepda-csv');
  assert.equal(f.algorithm, 'deepda');
  const cls = seriesOf(f, 'train/cls_loss');
  assert.equal(cls.points.length, 15);
  assert.deepEqual([cls.points[0].step, cls.points[0].value, cls.points[0].line], [0, 0.197614, 1]);
  assert.equal(seriesOf(f, 'train/loss').rawName, 'total_loss');
  assert.equal(seriesOf(f, 'train/transfer_loss').points[14].value, 0.689768);
  assert.ok(f.notes!.some((n) => /DeepDA train_log\.csv/.test(n.message)));
});

test('generic CSV: BOM, sparse cells, nan/inf spellings, text cells and a repeated header', async () => {
  const f = await readCsvLog(join(CSV, 'generic_bom.csv'));
  assert.equal(f.format, 'csv');
  const loss = seriesOf(f, 'train/loss');
  assert.deepEqual(loss.points.map((p) => p.step), [0, 100, 200, 300, 400]); // `global_step` is the step column
  assert.deepEqual(loss.points.map((p) => p.value), [3.01, 0.72, Infinity, -Infinity, 0.51]);
  const dom = seriesOf(f, 'train/domain_acc');
  assert.equal(dom.rawName, 'd_acc');
  assert.ok(Number.isNaN(dom.points[2].value) && Number.isNaN(dom.points[4].value));
  assert.equal(dom.scaledFrom, undefined); // already percent
  const val = seriesOf(f, 'val/acc1'); // target_acc, one value per epoch while d_acc has several
  assert.deepEqual([val.granularity, val.points.map((p) => [p.step, p.value])], ['epoch', [[0, 48.9], [1, 59.6]]]);
  assert.ok(f.notes!.some((n) => n.line === 2 && /"note": "warmup" is not a number/.test(n.message)));
  assert.ok(f.notes!.some((n) => /header row repeated 1 time/.test(n.message)));
  assert.equal(f.series!.find((s) => s.rawName === 'note'), undefined);
});

test('pytorch-adapt record-keeper CSV: the file name is the group of its series', async () => {
  const f = await readCsvLog(join(CSV, 'engine_output_total_loss.csv'));
  assert.deepEqual(seriesOf(f, 'train/cls_loss').points.map((p) => [p.step, p.value]), [[0, 2.3], [1, 2.1], [2, 1.9]]);
  assert.equal(seriesOf(f, 'train/transfer_loss').rawName, 'engine_output_total_loss/src_domain_loss');
  seriesOf(f, 'engine_output_total_loss/target_domain_loss'); // unknown names are kept under their raw name
  // the config file's metricAliases reach the reader
  const g = await readCsvLog(join(CSV, 'engine_output_total_loss.csv'), { metricAliases: { 'engine_output_total_loss/target_domain_loss': 'train/target_domain_loss' } });
  assert.equal(seriesOf(g, 'train/target_domain_loss').rawName, 'engine_output_total_loss/target_domain_loss');
});

test('bad CSV input gives an InputError naming the file and line, never a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-csv-'));
  try {
    writeFileSync(join(dir, 'quote.csv'), 'step,loss\n1,0.5\n2,"0.4\n3,0.3\n');
    await assert.rejects(readCsvLog(join(dir, 'quote.csv')), (e: unknown) => e instanceof InputError && e.file.endsWith('quote.csv') && /CSV/.test(e.message) && e.line !== undefined);
    // a run that stopped early: 1 validated epoch of 3 planned
    writeFileSync(join(dir, 'metrics.csv'), 'epoch,step,loss,val_acc\n0,9,1.0,\n0,9,,0.5\n1,19,0.9,\n');
    writeFileSync(join(dir, 'hparams.yaml'), 'max_epochs: 3\n');
    const early = await readCsvLog(join(dir, 'metrics.csv'));
    assert.deepEqual([early.status, early.epochsCompleted], ['incomplete', 1]);
    assert.ok(early.notes!.some((n) => /only 1 of 3 planned epochs \(max_epochs\)/.test(n.message)));
    // an hparams.yaml that cannot be stat'ed (a symlink to itself) is skipped like a missing one
    rmSync(join(dir, 'hparams.yaml'));
    symlinkSync('hparams.yaml', join(dir, 'hparams.yaml'));
    const loop = await readCsvLog(join(dir, 'metrics.csv'));
    assert.deepEqual([loop.hyperparameters, loop.epochsCompleted], [undefined, 1]);
    // a runaway quote is not buffered without bound
    writeFileSync(join(dir, 'runaway.csv'), `step,loss\n1,"${'x'.repeat(3 << 20)}\n`);
    await assert.rejects(readCsvLog(join(dir, 'runaway.csv')), (e: unknown) => e instanceof InputError && e.line === 2 && /Max Record Size/.test(e.message));
    writeFileSync(join(dir, 'empty.csv'), '');
    await assert.rejects(readCsvLog(join(dir, 'empty.csv')), /empty CSV/);
    await assert.rejects(readCsvLog(join(dir, 'nope.csv')), /no such file/);
    await assert.rejects(readCsvLog(dir), /is a directory/);
    // binary junk: parsed as one odd header, nothing numeric -> empty fragment, no throw
    writeFileSync(join(dir, 'junk.csv'), Buffer.from([0, 1, 2, 255, 10, 3, 4, 10]));
    const j = await readCsvLog(join(dir, 'junk.csv'));
    assert.equal(j.series!.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a CSV longer than the point budget is thinned, keeping the newest point and the first NaN, with a note', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-csv-'));
  try {
    const n = 5001;
    const budget = 1000; // the default is the tllib reader's MAX_POINTS_PER_SERIES; a small one keeps the test fast
    const rows = Array.from({ length: n }, (_, i) => `${i},${i === 1237 ? 'nan' : 1}`);
    writeFileSync(join(dir, 'long.csv'), `step,loss\n${rows.join('\n')}\n`);
    const f = await readCsvLog(join(dir, 'long.csv'), { maxPointsPerSeries: budget });
    const s = seriesOf(f, 'train/loss');
    assert.ok(s.points.length <= budget && s.points.length > budget / 4, `kept ${s.points.length}`);
    assert.equal(s.points.at(-1)!.step, n - 1);
    assert.ok(s.points.some((p) => p.step === 1237 && Number.isNaN(p.value)));
    assert.ok(f.notes!.some((x) => /5001 values, kept/.test(x.message)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sniff: step/epoch headers and numeric rows by content; other headers only with a .csv name', () => {
  assert.ok(sniffCsv('', Buffer.from('\uFEFFepoch,step,train/loss\n0,1,2\n')));
  assert.ok(sniffCsv('', Buffer.from('3.1,0.1,3.2\n')));
  assert.ok(!sniffCsv('', Buffer.from('a,b\n1,2\n')));
  assert.ok(sniffCsv('runs.csv', Buffer.from('a,b\n1,2\n')));
  assert.ok(!sniffCsv('', Buffer.from("Namespace(root='x', source=['a'])\n")));
  assert.ok(!sniffCsv('', Buffer.from('{"step": 1, "loss": 2}\n')));
});

test('CSV runs appended one after another: the epoch starts over (Keras append=True) or the header is re-printed without a step column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-csv-appended-'));
  try {
    const keras = join(dir, 'training_log.csv');
    writeFileSync(keras, 'epoch,accuracy,loss,val_accuracy,val_loss\n0,0.5,1.0,0.4,1.1\n1,0.6,0.9,0.5,1.0\n2,0.7,0.8,0.55,0.9\n0,0.52,1.0,0.41,1.1\n1,0.65,0.85,0.6,0.95\n');
    const f = await readCsvLog(keras);
    assert.deepEqual(f.attempts?.map((a) => [a.line, a.endLine, a.pointCounts.val_accuracy]), [[1, 4, 3], [5, 6, 2]]);
    assert.deepEqual(seriesOf(f, 'val/acc1').points.map((p) => [p.step, Math.round(p.value)]), [[0, 41], [1, 60]]);
    const plain = join(dir, 'log.csv');
    writeFileSync(plain, 'loss,acc\n1.0,0.5\n0.8,0.6\nloss,acc\n1.1,0.4\n');
    const g = await readCsvLog(plain);
    assert.equal(g.attempts?.length, 2);
    assert.deepEqual(g.series!.find((s) => s.rawName === 'loss')!.points.map((p) => p.value), [1.1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Fuzz case 21 (seed 7): a header cell mangled into ~186 K capital letters hung the reader for minutes. Splitting the
// name into words (src/understand/tokens.ts) used /([A-Z]+)([A-Z][a-z])/, which backtracks over the whole capital run
// at every start: quadratic. The read runs in a child process killed after the fuzzer's hang limit, since a
// blocked event loop cannot be interrupted from inside (a node:test timeout would only fire after it returns).
test('a header cell of 200,000 capital letters is read, not hung on (linear name splitting)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-csv-caps-'));
  try {
    const file = join(dir, 'metrics.csv');
    const longName = 'S'.repeat(200_000) + '_step';
    writeFileSync(file, `${longName},loss\n0,1.5\n1,1.25\n`);
    const script = `const { readCsvLog } = await import(${JSON.stringify(new URL('../../src/ingest/csv/index.ts', import.meta.url).href)});
const f = await readCsvLog(${JSON.stringify(file)});
console.log(JSON.stringify(f.series.map((s) => ({ key: s.key, rawLength: s.rawName.length, values: s.points.map((p) => p.value) }))));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: CASE_TIMEOUT_MS });
    assert.equal(r.signal, null, `reader did not finish within ${CASE_TIMEOUT_MS} ms (killed)`);
    assert.equal(r.status, 0, r.stderr);
    const series = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { key: string; rawLength: number; values: number[] }[];
    // two columns, values as written in the generated file
    assert.deepEqual(series.find((s) => s.rawLength === longName.length)?.values, [0, 1]);
    assert.deepEqual(series.find((s) => s.key.endsWith('loss'))?.values, [1.5, 1.25]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
