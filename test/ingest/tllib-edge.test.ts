// readTllibLog on damaged and hostile input (crash, cut lines, CRLF, binary, huge lines, bad UTF-8), the byte-level
// fast path against the text path, and the bounded point storage.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readTllibLog } from '../../src/ingest/tllib/index.js';
import { PointBuffer } from '../../src/ingest/common/point-buffer.js';
import { InputError } from '../../src/ingest/input-error.js';
import { readLines } from '../../src/ingest/common/read-lines.js';
import { scanLines } from '../../src/ingest/tllib/line-scanner.js';
import { SHARED_REAL_LOGS, SHARED_RUNS, hasShared, trainLogOf } from '../helpers/shared.js';
import type { RunFragment } from '../../src/model/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tllib-edge-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function tmp(content: string | Buffer): string {
  const file = join(dir, `log-${n++}.txt`);
  writeFileSync(file, content);
  return file;
}
const healthyLines = (): string[] => readFileSync(trainLogOf(resolve(SHARED_RUNS, 'healthy')), 'utf8').split('\n');
/** the parts of a fragment that must not depend on line endings or on the parse path */
const essence = (f: RunFragment) => ({
  status: f.status, algorithm: f.algorithm, hyper: f.hyperparameters, series: f.series?.map((s) => ({ ...s, file: '' })),
  evaluations: f.evaluations?.map((e) => ({ ...e, file: '' })), perClass: f.perClass?.map((t) => ({ ...t, file: '' })),
  best: f.bestAcc1, test: f.testAcc1, epochs: f.epochsCompleted, ipe: f.itersPerEpoch,
  notes: f.notes?.map((x) => ({ ...x, file: '' })),
});

test('a crash: a truncated copy of runs/healthy ending in a traceback is crashed, with the exception and its line', async () => {
  const lines = healthyLines().slice(0, 40); // header, epochs 0-2 and the first Test: line of epoch 2's validation
  lines.push(
    'Traceback (most recent call last):',
    '  File "dann.py", line 301, in <module>',
    '    main(args)',
    '  File "dann.py", line 120, in main',
    '    train(train_source_iter, train_target_iter, classifier, domain_adv, optimizer, lr_scheduler, epoch, args)',
    'RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 10.76 GiB total capacity)',
  );
  const file = tmp(lines.join('\n') + '\n');
  const f = await readTllibLog(file);
  assert.equal(f.status, 'crashed');
  assert.deepEqual(f.crash, { file, line: 46, type: 'RuntimeError', message: 'CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 10.76 GiB total capacity)' });
  assert.equal(f.epochsCompleted, 2, 'epochs 0 and 1 were validated (lines 23 and 32)');
  assert.equal(f.series?.find((s) => s.key === 'train/domain_acc')?.points.at(-1)?.line, 39, 'Epoch: [2][250/300]');
  assert.equal(f.bestAcc1, undefined);
});

test('chained exceptions: the last exception is the crash; a module-qualified type and a bare KeyboardInterrupt parse', async () => {
  const f = await readTllibLog(tmp([
    'Traceback (most recent call last):', '  File "a.py", line 1, in <module>', "KeyError: 'x'", '',
    'During handling of the above exception, another exception occurred:', '',
    'Traceback (most recent call last):', '  File "a.py", line 3, in <module>', 'torch.cuda.OutOfMemoryError: CUDA out of memory.',
  ].join('\n')));
  assert.equal(f.status, 'crashed');
  assert.deepEqual([f.crash?.type, f.crash?.message, f.crash?.line], ['torch.cuda.OutOfMemoryError', 'CUDA out of memory.', 9]);
  const k = await readTllibLog(tmp('Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nKeyboardInterrupt\n'));
  assert.deepEqual([k.status, k.crash?.type, k.crash?.message], ['crashed', 'KeyboardInterrupt', '']);
  const cut = await readTllibLog(tmp('Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n'));
  assert.equal(cut.status, 'crashed', 'a log cut inside the traceback still crashed');
  assert.equal(cut.crash?.line, 1);
});

test('a traceback the run survives is a note, not a crash; a tllib line never passes for an exception', async () => {
  const f = await readTllibLog(tmp([
    "Namespace(log='logs/dann/x')",
    'Epoch: [0][ 0/10]\tLoss 1.0 (1.0)\tCls Acc 5.0 (5.0)\tDomain Acc 50.0 (50.0)',
    'Exception ignored in: <function _MultiProcessingDataLoaderIter.__del__ at 0x7f>',
    'Traceback (most recent call last):',
    '  File "dataloader.py", line 1, in __del__',
    'AssertionError: can only test a child process',
    'Epoch: [0][ 5/10]\tLoss 1.0 (1.0)\tCls Acc 5.0 (5.0)\tDomain Acc 50.0 (50.0)',
    ' * Acc@1 50.000',
    'best_acc1 = 50.0',
    'test_acc1 = 50.0',
  ].join('\n') + '\n'));
  assert.equal(f.status, 'finished');
  assert.equal(f.crash, undefined);
  assert.ok(f.notes?.some((x) => x.line === 6 && /AssertionError: can only test a child process \(traceback\), but the run went on \(line 7\)/.test(x.message)), JSON.stringify(f.notes));
  const g = await readTllibLog(tmp(['Traceback (most recent call last):', '  File "a.py", line 1, in <module>', 'Epoch: [0][ 5/10]\tLoss 1.0 (1.0)'].join('\n') + '\n'));
  assert.equal(g.crash, undefined, "'Epoch: [..' is not an exception named Epoch");
  assert.equal(g.series?.find((x) => x.key === 'train/loss')?.points.length, 1);
  assert.ok(g.notes?.some((x) => x.line === 1 && /ends without an exception line \(at line 3\)/.test(x.message)));
});

test('a run still writing: no end marker -> incomplete; the cut last line is noted, its complete meters kept', async () => {
  const lines = healthyLines().slice(0, 30);
  const partial = lines[29].slice(0, 60); // Epoch: [1][250/300]\tTime  0.02 ( 0.02)\tData  0.00 ( 0.00)\tLo
  const file = tmp(lines.slice(0, 29).join('\n') + '\n' + partial);
  const f = await readTllibLog(file);
  assert.equal(f.status, 'incomplete');
  assert.ok(f.notes?.some((x) => x.line === 30 && /no line end/.test(x.message)), JSON.stringify(f.notes));
  assert.ok(f.notes?.some((x) => x.line === 30 && /could not read 'Lo'/.test(x.message)));
  assert.equal(f.series?.find((s) => s.key === 'train/loss')?.points.at(-1)?.line, 29, 'no point from the cut Loss field');
  assert.equal(f.series?.find((s) => s.key === 'Time')?.points.at(-1)?.line, 30, 'the complete Time field is kept');
  assert.equal(f.epochsCompleted, 1);
});

test('CRLF line endings give the same fragment as LF', async () => {
  const lf = healthyLines().join('\n');
  const a = await readTllibLog(tmp(lf));
  const b = await readTllibLog(tmp(lf.replace(/\n/g, '\r\n')));
  assert.deepEqual(essence(b), essence(a));
  assert.equal(a.evaluations?.length, 16);
});

test('the byte-level fast path and the text path give identical fragments on every real log', async () => {
  const files = ['healthy', 'label_shift', 'source_only', 'diverged', 'strong_disc'].map((r) => trainLogOf(resolve(SHARED_RUNS, r)));
  files.push(resolve(SHARED_REAL_LOGS, 'dao-dan-l1/train-2023-10-01-14_05_16.txt'), resolve(SHARED_REAL_LOGS, 'dh-digits-b1-b/train-2023-04-19-10_04_13.txt'));
  for (const file of files) {
    const fast = await readTllibLog(file);
    const slow = await readTllibLog(file, {}, { fastPath: false });
    assert.deepEqual(fast, slow, file);
  }
});

test('deferring thinned-away lines changes nothing: same fragment as parsing every line (small point budgets)', async () => {
  // made-up tail: a nan run inside a thinned stretch, epoch changes, then the dh-digits log (1000 training lines)
  const extra = (bad: boolean): string => {
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const v = i >= 200 && i < 205 ? 'nan' : (i % 17).toFixed(2);
      lines.push(`Epoch: [${100 + Math.floor(i / 150)}][${String(i % 150).padStart(4)}/1000]\tTime  0.02 ( 0.03)\tData  0.01 ( 0.02)\tLoss ${v.padStart(6)} (  0.64)\tCls Acc 100.0 (100.0)\tDomain Acc 56.2 (64.8)`);
    }
    if (bad) lines[149] = lines[149].replace('(  0.64)', '(  0.6x)'); // a cut-looking meter on the last line of an epoch
    return lines.join('\n') + '\n';
  };
  const digits = readFileSync(resolve(SHARED_REAL_LOGS, 'dh-digits-b1-b/train-2023-04-19-10_04_13.txt'), 'utf8').replace(/test_acc1 = 26.3\n$/, '');
  const files = [resolve(SHARED_REAL_LOGS, 'dao-dan-l1/train-2023-10-01-14_05_16.txt'), tmp(digits + extra(false))];
  for (const file of files) {
    for (const pointBudget of [16, 64, 300]) {
      const deferred = await readTllibLog(file, {}, { pointBudget });
      const parsed = await readTllibLog(file, {}, { pointBudget, deferThinned: false });
      assert.deepEqual(deferred, parsed, `${file} budget ${pointBudget}`);
      assert.ok(deferred.notes?.some((x) => /thinned to/.test(x.message)), 'the thinning is noted');
    }
  }
  // budget 300: pins (epoch ends, nan runs) may use half, 150 >= the 103 epochs here
  const f = await readTllibLog(files[1], {}, { pointBudget: 300 });
  const loss = f.series?.find((x) => x.key === 'train/loss')?.points ?? [];
  assert.equal(loss.filter((p) => Number.isNaN(p.value)).length, 1, 'the first nan of the run is kept');
  for (const [e, last] of [[0, 900], [50, 900], [99, 900], [100, 149], [101, 149], [102, 99]]) assert.ok(loss.some((p) => p.epoch === e && p.iter === last), `end of epoch ${e} kept`);
  // the documented price: a corrupt epoch-end line is noted, but the epoch's previous point may be gone
  const g = await readTllibLog(tmp(digits + extra(true)), {}, { pointBudget: 64 });
  assert.ok(g.notes?.some((x) => x.line === 1469 && /could not read 'Loss/.test(x.message)), JSON.stringify(g.notes?.slice(-8)));
});

test('deferral across 1 MiB chunk boundaries: a generated 3 MB log reads the same with and without it', async () => {
  const { generateTllibLog } = await import('../../bench/ingest.js');
  const file = join(dir, 'generated.txt');
  await generateTllibLog(file, 3 * 1024 * 1024);
  const deferred = await readTllibLog(file, {}, { pointBudget: 1000 });
  const parsed = await readTllibLog(file, {}, { pointBudget: 1000, deferThinned: false });
  assert.deepEqual(deferred, parsed);
  assert.equal(deferred.status, 'finished');
  assert.ok((deferred.series?.find((x) => x.key === 'train/loss')?.points.length ?? 0) <= 1000);
});

test('fast path and text path agree on every number form a meter can print', async () => {
  const nums = ['0', '-0.00', '4.26', '-1.40', '100.0', '1453032.62', '3.1701e-01', '1.0e+00', '2E-3', '0.0005946035575013606',
    '123456789012345678', '1e-30', '7.', 'nan', 'inf', '-inf', '+1.5'];
  const lines = ["Namespace(log='logs/dann/x')"];
  for (let i = 0; i < nums.length; i++) {
    for (const v of [nums[i], nums[(i + 1) % nums.length]]) lines.push(`Epoch: [0][${String(lines.length).padStart(3)}/500]\tLoss ${v} (${nums[(i + 3) % nums.length]})\tCls Acc  ${v} ( ${v})`);
  }
  const file = tmp(lines.join('\n') + '\n');
  const fast = await readTllibLog(file);
  assert.deepEqual(fast, await readTllibLog(file, {}, { fastPath: false }));
  const values = fast.series?.find((x) => x.key === 'train/loss')?.points.map((p) => p.value);
  assert.deepEqual(values?.slice(0, 12), [0, -0, -0, 4.26, 4.26, -1.4, -1.4, 100, 100, 1453032.62, 1453032.62, 0.31701]);
  assert.equal(values?.length, nums.length * 2);
});

test('scanLines yields the same line numbers and texts as readLines (tqdm \\r, CRLF, bad UTF-8, no final newline)', async () => {
  const files = [resolve(SHARED_REAL_LOGS, 'dao-dan-l1/analysis-2023-10-01-18_28_58.txt'),
    tmp(Buffer.concat([Buffer.from('a\r\nb\rc\r\n\xff\xfe bad\n'), Buffer.from([0xe2, 0x82]), Buffer.from('\nlast')]))];
  // 3 MB of lines with 2- and 3-byte characters and tqdm redraws, so chunk boundaries (1 MiB) fall inside characters
  const big: string[] = [];
  for (let i = 0; big.length < 60_000; i++) big.push(i % 7 === 0 ? `caf\u00e9 \u20ac${'x'.repeat(i % 50)}\rredraw ${i}` : `${'\u20ac'.repeat(i % 13)} line ${i}\t(\u00e9)`);
  files.push(tmp(big.join('\n')));
  for (const file of files) {
    const want: [number, string][] = [];
    for await (const l of readLines(file)) want.push([l.no, l.text]);
    const got: [number, string][] = [];
    const r = await scanLines(file, { bytes: () => false, text: (no, text) => got.push([no, text]) });
    assert.deepEqual(got, want, file);
    assert.equal(r.lines, want.at(-1)?.[0]);
  }
});

test('empty file, binary garbage, non-UTF-8 bytes: notes, never a throw', async () => {
  const empty = await readTllibLog(tmp(''));
  assert.equal(empty.status, 'unknown');
  assert.ok(empty.notes?.some((x) => x.message === 'empty file'));

  // fixed bytes (a made-up input: there is no "real" garbage); xorshift so the test is deterministic
  let s = 0x9e3779b9;
  const garbage = Buffer.from(new Uint8Array(200_000).map(() => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), s & 0xff)));
  const g = await readTllibLog(tmp(garbage));
  assert.equal(g.status, 'unknown');
  assert.ok(g.notes?.some((x) => /binary content/.test(x.message)));
  assert.ok(g.notes?.some((x) => /no tllib log lines found/.test(x.message)));
  assert.ok((g.notes?.length ?? 0) < 100, 'notes are bounded');

  const latin1 = Buffer.concat([Buffer.from("Namespace(log='logs/dann/x')\n * Acc@1 50.000\nglobal correct: 50.0\n+---+---+---+\n| class | acc | iou |\n+---+---+---+\n| caf"),
    Buffer.from([0xe9]), Buffer.from(' | 50.0 | 33.3 |\n+---+---+---+\n')]);
  const l = await readTllibLog(tmp(latin1));
  assert.equal(l.perClass?.[0].rows[0].name, 'caf\ufffd', 'a bad byte becomes U+FFFD; the row survives');
  assert.equal(l.perClass?.[0].rows[0].acc, 50);
});

test('a 10 MB single line is cut with a note and the lines after it still parse', async () => {
  const lines = healthyLines();
  const file = tmp([lines[0], 'x'.repeat(10 * 1024 * 1024), ...lines.slice(1)].join('\n'));
  const f = await readTllibLog(file);
  assert.ok(f.notes?.some((x) => x.line === 2 && /10485760 bytes long/.test(x.message)), JSON.stringify(f.notes?.slice(0, 3)));
  assert.equal(f.status, 'finished');
  assert.equal(f.evaluations?.length, 16);
  assert.equal(f.series?.find((s) => s.key === 'train/domain_acc')?.points[0].line, 17, 'line numbers count the long line');
  const epochLine = await readTllibLog(tmp(`Epoch: [0][ 0/10]\t${'Loss 1.0 (1.0)\t'.repeat(700_000)}\n`));
  assert.ok(epochLine.notes?.some((x) => /bytes long/.test(x.message)), 'a huge training line is cut, not buffered whole');
});

test('unreadable input is an InputError naming the file; maxBytes stops early with a note', async () => {
  await assert.rejects(readTllibLog(join(dir, 'missing.txt')), (e: unknown) => e instanceof InputError && /missing\.txt: no such file/.test(e.message));
  const sub = join(dir, 'a-dir');
  mkdirSync(sub);
  await assert.rejects(readTllibLog(sub), (e: unknown) => e instanceof InputError && /is a directory/.test(e.message));
  const file = trainLogOf(resolve(SHARED_RUNS, 'healthy'));
  const f = await readTllibLog(file, { maxBytes: 4000 });
  assert.equal(f.status, 'incomplete');
  assert.ok(f.notes?.some((x) => /only the first 4000 of 14430 bytes/.test(x.message)));
});

test('lines that look like training lines but do not parse are noted with their line', async () => {
  const f = await readTllibLog(tmp([
    "Namespace(log='logs/dann/x')",
    'Epoch: [0][ 0/10]\tLoss 1.0 (1.0)\tCls Acc 5.0 (5.0)',
    'Epoch: [0][ 1/10',
    'Epoch [0][ 2/10]\tLoss 1.0 (1.0)',
    'Epoch: [0][ 3/10]\tLoss one (1.0)\tCls Acc 5.0 (5.0)',
    'Epoch: [x][ 4/10]\tLoss 1.0 (1.0)',
  ].join('\n') + '\n'));
  const lines = f.notes?.filter((x) => x.level === 'warn').map((x) => x.line);
  assert.deepEqual(lines, [3, 4, 5, 6]);
  const cls = f.series?.find((s) => s.key === 'train/cls_acc');
  assert.deepEqual(cls?.points.map((p) => p.line), [2, 5], 'the good meter of line 5 is kept');
});

test('notes are capped per kind, with a count of the rest', async () => {
  const bad = Array.from({ length: 500 }, (_, i) => `Epoch: [0][ ${i}/10`);
  const f = await readTllibLog(tmp(bad.join('\n') + '\n'));
  const listed = f.notes?.filter((x) => /training line not understood/.test(x.message)).length;
  assert.equal(listed, 20);
  assert.ok(f.notes?.some((x) => /480 more 'unparsed-train' note\(s\) not listed \(500 in all\)/.test(x.message)));
});

test('a log inventing meter names without end keeps a bounded number of series, with a note', async () => {
  const lines = Array.from({ length: 2000 }, (_, i) => `Epoch: [0][ ${i}/2000]\tMeter${i} 1.0 (1.0)`);
  const f = await readTllibLog(tmp(lines.join('\n') + '\n'));
  assert.equal(f.series?.length, 256);
  assert.ok(f.notes?.some((x) => /more than 256 distinct metrics: points of 1744 more not kept \(e\.g\. 'Meter256'\)/.test(x.message)), JSON.stringify(f.notes));
});

test('PointBuffer: bounded, keeps the newest point, every epoch end and the first NaN of a run', () => {
  const budget = 1000;
  const b = new PointBuffer(budget);
  const perEpoch = 10_000;
  for (let e = 0; e < 30; e++) {
    for (let i = 0; i < perEpoch; i++) {
      const value = e === 7 && i >= 5000 && i < 5003 ? NaN : i;
      b.add(e * perEpoch + i, value, value, e, i, e * perEpoch + i + 1);
    }
  }
  assert.ok(b.length <= budget, `kept ${b.length}`);
  assert.ok(b.thinned);
  assert.equal(b.total, 300_000);
  const pts = b.toPoints();
  assert.deepEqual(pts.at(-1), { step: 299_999, value: 9999, avg: 9999, epoch: 29, iter: 9999, line: 300_000 });
  for (let e = 0; e < 29; e++) assert.ok(pts.some((p) => p.epoch === e && p.iter === perEpoch - 1), `end of epoch ${e} kept`);
  const nan = pts.find((p) => Number.isNaN(p.value));
  assert.deepEqual([nan?.epoch, nan?.iter], [7, 5000], 'the first NaN is kept');
  assert.ok(pts.some((p) => p.epoch === 7 && p.iter === 5003), 'and the return to finite values');
  for (let k = 1; k < pts.length; k++) assert.ok(pts[k].step > pts[k - 1].step, 'in stream order');
  const small = new PointBuffer(budget);
  for (let i = 0; i < 10; i++) small.push({ step: i, value: i });
  assert.deepEqual(small.toPoints().map((p) => Object.keys(p)), Array(10).fill(['step', 'value']), 'no avg/epoch/iter/line when not given');
});
