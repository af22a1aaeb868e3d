// The generic console reader: key/value numbers per line, tables, appended invocations, traceback outcomes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanLine } from '../../src/ingest/console/scan-line.js';
import { readConsoleLog, splitLeadingDicts, dictConfig } from '../../src/ingest/console/index.js';
import { detectFormat } from '../../src/ingest/detect.js';

const fieldsOf = (s: string) => scanLine(s).fields.map((f) => [f.key, f.value, ...(f.total !== undefined ? [f.total] : []), ...(f.percent ? ['%'] : [])]);

test('scanLine: the print styles people write', () => {
  assert.deepEqual(fieldsOf('key: 1, key2: 2.5e-3'), [['key', 1], ['key2', 0.0025]]);
  assert.deepEqual(fieldsOf('Epoch 3: acc 0.91 loss 0.2'), [['Epoch', 3], ['acc', 0.91], ['loss', 0.2]]);
  assert.deepEqual(fieldsOf('epoch: 001, accuracy of the svhn dataset: 0.28650'), [['epoch', 1], ['accuracy of the svhn dataset', 0.2865]]);
  assert.deepEqual(fieldsOf('Task: A, Iter:400/4000; Accuracy = 88.65%'), [['Iter', 400, 4000], ['Accuracy', 88.65, '%']]);
  assert.deepEqual(fieldsOf('Accuracy = 78.71% -> 90.56%'), [['Accuracy (before)', 78.71, '%'], ['Accuracy (after)', 90.56, '%']]);
  assert.deepEqual(fieldsOf('lr=1e-3 loss=-0.5'), [['lr', 0.001], ['loss', -0.5]]);
  const nan = scanLine('Average Loss: nan, acc: inf').fields;
  assert.ok(Number.isNaN(nan[0].value) && nan[1].value === Infinity);
  assert.deepEqual(scanLine('Task: A, Iter:4/40').texts, [{ key: 'Task', text: 'A' }]);
});

test('scanLine: names with digits, clock times, dates and versions are not values', () => {
  assert.deepEqual(fieldsOf('env0_in_acc 0.2 acc1 3'), [['env0_in_acc', 0.2], ['acc1', 3]]);
  assert.deepEqual(fieldsOf('eta 0:01:23 at 2024-04-13 torch 1.2.3 loss 5'), [['loss', 5]]);
  assert.deepEqual(fieldsOf('nanny 3 information 4'), [['nanny', 3], ['information', 4]]);
});

test('scanLine is linear: a 60,000-character line of digits and separators scans in well under a second', () => {
  for (const unit of ['1', '1.', 'a:1,', '-', '1e', '->', '1/', ' nan']) {
    const t0 = performance.now();
    scanLine(unit.repeat(Math.ceil(60_000 / unit.length)));
    assert.ok(performance.now() - t0 < 1000, `"${unit}" repeated`);
  }
  // long runs of key-trim characters inside one key (a `[...]+$` trim regex took 17 s on the first of these)
  for (const line of [`x${' '.repeat(60_000)}y 1`, `x${':'.repeat(60_000)}y 1`, `a${' -> '.repeat(15_000)}1`]) {
    const t0 = performance.now();
    scanLine(line);
    assert.ok(performance.now() - t0 < 1000, line.slice(0, 8));
  }
});

test('printed dicts: split where one ends and the next begins, nested keys flattened, reprs kept as text', () => {
  const { dicts, rest } = splitLeadingDicts("{'a': 1, 'b': {'c': 'x}'}}{'m': 'CDAN+E', 'f': <open file 'l.txt', mode 'a' at 0x7f>}iter: 00000, precision: 0.02");
  assert.equal(dicts.length, 2);
  assert.equal(rest, 'iter: 00000, precision: 0.02');
  assert.deepEqual(dictConfig(dicts[0]), { a: 1, 'b.c': 'x}' });
  assert.deepEqual(dictConfig(dicts[1]), { m: 'CDAN+E', f: "<open file 'l.txt', mode 'a' at 0x7f>" });
});

async function withFile(text: string, fn: (file: string) => Promise<void>, name = 'log.txt'): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dd-console-'));
  try {
    const file = join(dir, name);
    await writeFile(file, text);
    await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('an argument header is config; Iter:i/N lines are the x-axis; reaching N is finished', async () => {
  const text = '==========================================\ngpu_id:0\nlr:0.01\nnet:resnet50\n\nTask: A, Iter:400/800; Accuracy = 80.00%\nAccuracy = 70.00% -> 75.00%\nTask: A, Iter:800/800; Accuracy = 85.50%\n';
  await withFile(text, async (file) => {
    const f = await readConsoleLog(file);
    assert.deepEqual(f.hyperparameters, { gpu_id: 0, lr: 0.01, net: 'resnet50' });
    const acc = f.series!.find((s) => s.rawName === 'Accuracy')!;
    assert.deepEqual(acc.points.map((p) => [p.step, p.value]), [[400, 80], [800, 85.5]]);
    const after = f.series!.find((s) => s.rawName === 'Accuracy (after)');
    assert.deepEqual(after?.points.map((p) => p.step), undefined === after ? undefined : [400]);
    assert.equal(f.status, 'finished');
    assert.ok(f.notes!.some((n) => /generic console reader/.test(n.message)));
  });
});

test('appended invocations: a repeated start header splits them, each with its config and outcome', async () => {
  const run = (lr: string, body: string) => `Environment:\n\tPython: 3.9\nArgs:\n\tlr: ${lr}\n\tseed: 0\n${body}`;
  const text = [
    run('0.1', 'Traceback (most recent call last):\n  File "t.py", line 1\nKeyboardInterrupt\n'),
    run('0.2', 'step 0 loss 2.0\nstep 10 loss 1.0\nTraceback (most recent call last):\n  File "t.py", line 9\ntorch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2 GiB\n'),
    run('0.3', 'step  loss  acc\n0  2.0  0.1\n10  1.5  0.3\n20  1.0  0.5\n'),
  ].join('');
  await withFile(text, async (file) => {
    const f = await readConsoleLog(file);
    assert.equal(f.attempts?.length, 3);
    assert.deepEqual(f.attempts!.map((a) => a.status), ['killed', 'crashed', 'unknown']);
    assert.deepEqual(f.attempts!.map((a) => a.config?.['args.lr']), [0.1, 0.2, 0.3]);
    assert.equal(f.attempts![0].config?.['environment.Python'], 3.9);
    assert.equal(f.attempts![1].crash?.type, 'torch.cuda.OutOfMemoryError');
    assert.ok(f.notes!.some((n) => /invocation 2 ran out of memory/.test(n.message)));
    // the newest invocation is the run: its table, its config
    assert.equal(f.hyperparameters?.['args.lr'], 0.3);
    const acc = f.series!.find((s) => s.rawName === 'acc')!;
    assert.deepEqual(acc.points.map((p) => [p.step, p.value]), [[0, 10], [10, 30], [20, 50]]);
    assert.equal(f.status, undefined);
  });
});

test('a counter that starts over splits invocations; a final KeyboardInterrupt makes the run killed, not crashed', async () => {
  const text = 'epoch 1 acc 10\nepoch 2 acc 20\nepoch 3 acc 30\nepoch 1 acc 11\nepoch 2 acc 21\nTraceback (most recent call last):\n  File "x.py", line 2\nKeyboardInterrupt\n';
  await withFile(text, async (file) => {
    const f = await readConsoleLog(file);
    assert.equal(f.attempts?.length, 2);
    assert.deepEqual(f.attempts!.map((a) => a.pointCounts.acc), [3, 2]);
    assert.equal(f.status, 'killed');
    assert.equal(f.crash?.type, 'KeyboardInterrupt');
    assert.deepEqual(f.series![0].points.map((p) => p.value), [11, 21]);
    assert.equal(f.series![0].granularity, 'epoch');
  });
});

test('detection: the console reader is the last resort; text without a single digit is refused', async () => {
  await withFile('hello: world\nno numbers here\n', async (file) => {
    assert.equal(await detectFormat(file), null);
  });
  await withFile('my own print: loss 0.5, acc 0.9\nmy own print: loss 0.4, acc 0.95\n', async (file) => {
    assert.equal((await detectFormat(file))?.format, 'console');
  });
  await withFile('torch==2.0.1\nnumpy==1.25\n', async (file) => {
    assert.equal(await detectFormat(file), null);
  }, 'requirements.txt');
});

test('one `key: value` per line, repeated, is a metric, not a header', async () => {
  await withFile('loss: 0.9\nloss: 0.7\nloss: 0.5\n', async (file) => {
    const f = await readConsoleLog(file);
    assert.equal(f.hyperparameters, undefined);
    assert.deepEqual(f.series!.find((s) => s.rawName === 'loss')!.points.map((p) => p.value), [0.9, 0.7, 0.5]);
  });
});

test('a logging prefix does not hide the counter (`... - INFO - epoch 3 ...`); `max_epoch` is not a counter', async () => {
  const text = '2024-01-01 12:00:00,001 - INFO - epoch 1 loss 0.9 acc 50\n2024-01-01 12:01:00,002 - INFO - epoch 2 loss 0.7 acc 60\n2024-01-01 12:02:00,003 - INFO - epoch 3 loss 0.5 acc 70\n';
  await withFile(text, async (file) => {
    const f = await readConsoleLog(file);
    const loss = f.series!.find((s) => s.rawName === 'loss')!;
    assert.deepEqual(loss.points.map((p) => p.step), [1, 2, 3]);
    assert.equal(loss.granularity, 'epoch');
    assert.ok(f.notes!.some((n) => /x-axis "INFO - epoch"/.test(n.message)));
  });
});

test('a very long log is thinned to the point budget, keeping every NaN', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 120_000; i++) lines.push(`step ${i} loss ${i === 99_999 ? 'nan' : (1 / (i + 1)).toFixed(6)}`);
  await withFile(lines.join('\n') + '\n', async (file) => {
    const f = await readConsoleLog(file);
    const loss = f.series!.find((s) => s.rawName === 'loss')!;
    assert.ok(loss.points.length <= 50_001, `${loss.points.length} points kept`);
    assert.ok(loss.points.some((p) => p.step === 99_999 && Number.isNaN(p.value)));
  });
});
