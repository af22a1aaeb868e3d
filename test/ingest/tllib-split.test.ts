// The tllib reader's two halves, each alone and with no file: the text parser (decoded lines in, a RunFragment out)
// and the byte-level fast path (a buffer's lines in, fed into a text parser). The expected numbers are the ones written
// into the small log below, read off it by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TllibTextParser } from '../../src/ingest/tllib/text-parser.js';
import { TllibFastPath } from '../../src/ingest/tllib/fast-path.js';
import type { RunFragment } from '../../src/model/types.js';

const T = '\t';
const train = (e: number, i: number, loss: string, cls: string, dom: string): string =>
  `Epoch: [${e}][${i}/4]${T}Time 1.00 (1.00)${T}Data 0.10 (0.10)${T}Loss ${loss} (${loss})${T}Cls Acc ${cls} (${cls})${T}Domain Acc ${dom} (${dom})`;
const testLine = `Test: [ 0/25]${T}Time  0.788 ( 0.788)${T}Loss 3.1701e-01 (3.1701e-01)${T}Acc@1  96.88 ( 96.88)`;
/** Two epochs of four iterations (print_freq 1), a validation after each, then the final lines of a finished run. */
const LOG = [
  "Namespace(root='data/office31', data='Office31', source=['A'], target=['W'], arch='resnet50', trade_off=0.3, epochs=2, iters_per_epoch=4, print_freq=1, seed=1, phase='train')",
  'lr: 0.001',
  train(0, 0, '3.00', '10.0', '50.0'), train(0, 1, '2.50', '20.0', '55.0'), train(0, 2, '2.00', '30.0', '60.0'), train(0, 3, '1.50', '40.0', '65.0'),
  testLine,
  ' * Acc@1 71.500 Acc@5 90.000',
  'lr: 0.0009',
  train(1, 0, '1.20', '50.0', '70.0'), train(1, 1, 'nan', '60.0', '75.0'), train(1, 2, '1.00', '70.0', '80.0'), train(1, 3, '0.90', '80.0', '85.0'),
  testLine,
  ' * Acc@1 75.250 Acc@5 91.000',
  'best_acc1 = 75.25',
  'test_acc1 = 75.25',
];

function textOnly(lines: readonly string[]): RunFragment {
  const p = new TllibTextParser('mem.txt', {});
  lines.forEach((l, i) => p.line(i + 1, l));
  p.finish();
  return p.fragment();
}

/** A minimal stand-in for scanLines over one in-memory chunk: each line offered as bytes first. Returns the lines bytes() took. */
function fedByBytes(lines: readonly string[], tuning: { pointBudget?: number; deferThinned?: boolean } = {}): { frag: RunFragment; byBytes: number } {
  const p = new TllibTextParser('mem.txt', {}, { pointBudget: tuning.pointBudget });
  const fast = new TllibFastPath(p, { deferThinned: tuning.deferThinned });
  const buf = Buffer.from(lines.join('\n') + '\n');
  let byBytes = 0;
  let no = 1;
  for (let s = 0; s < buf.length; no++) {
    const nl = buf.indexOf(10, s);
    if (fast.bytes(buf, s, nl, no)) byBytes++;
    else fast.text(no, buf.toString('utf8', s, nl));
    s = nl + 1;
  }
  fast.chunkEnd();
  fast.flush();
  p.finish();
  return { frag: p.fragment(), byBytes };
}

const values = (f: RunFragment, key: string): number[] | undefined => f.series?.find((s) => s.key === key)?.points.map((p) => p.value);

test('text parser alone: decoded lines in, the run as written out (no file, no bytes)', () => {
  const f = textOnly(LOG);
  assert.equal(f.status, 'finished');
  assert.equal(f.hyperparameters?.trade_off, 0.3);
  assert.equal(f.itersPerEpoch, 4);
  assert.equal(f.epochsCompleted, 2);
  assert.equal(f.bestAcc1, 75.25);
  assert.equal(f.testAcc1, 75.25);
  assert.deepEqual(values(f, 'train/loss'), [3, 2.5, 2, 1.5, 1.2, NaN, 1, 0.9]);
  assert.deepEqual(values(f, 'train/domain_acc'), [50, 55, 60, 65, 70, 75, 80, 85]);
  assert.deepEqual(values(f, 'lr'), [0.001, 0.0009]);
  assert.deepEqual(values(f, 'val/acc1'), [71.5, 75.25]);
  assert.deepEqual(f.evaluations?.map((e) => [e.epoch, e.acc1, e.acc5, e.line, e.endLine]), [[0, 71.5, 90, 7, 8], [1, 75.25, 91, 14, 15]]);
  // the NaN step is where the log put it: epoch 1, iteration 1, line 11
  const nan = f.series?.find((s) => s.key === 'train/loss')?.points[5];
  assert.deepEqual([nan?.step, nan?.epoch, nan?.iter, nan?.line], [5, 1, 1, 11]);
});

test('fast path alone: it reads the repeated training lines from the bytes, and the run is the text parser\'s to the point', () => {
  const { frag, byBytes } = fedByBytes(LOG);
  // every training line but the first (which sets the meter columns) and the one with 'nan' (the text path reads it)
  assert.equal(byBytes, 6);
  assert.deepEqual(frag, textOnly(LOG));
});

test('fast path with thinning: deferred lines give the same series as parsing every line, NaN kept', () => {
  const long = [LOG[0], LOG[1]];
  for (let i = 0; i < 400; i++) long.push(train(0, i, i === 277 ? 'nan' : (2 - i / 400).toFixed(4), '50.0', '60.0').replace('/4]', '/400]'));
  long.push(' * Acc@1 71.500', 'best_acc1 = 71.5');
  const deferred = fedByBytes(long, { pointBudget: 32 });
  const parsed = fedByBytes(long, { pointBudget: 32, deferThinned: false });
  assert.deepEqual(deferred.frag, parsed.frag);
  assert.deepEqual(deferred.frag, (() => {
    const p = new TllibTextParser('mem.txt', {}, { pointBudget: 32 });
    long.forEach((l, i) => p.line(i + 1, l));
    p.finish();
    return p.fragment();
  })());
  const loss = deferred.frag.series?.find((s) => s.key === 'train/loss')?.points ?? [];
  assert.ok(loss.length <= 64 && loss.length > 8, `thinned to ${loss.length}`);
  assert.ok(loss.some((p) => Number.isNaN(p.value) && p.line === 280), 'the NaN of line 280 survives thinning');
  assert.equal(loss.at(-1)?.line, 402, 'the epoch\'s last line is kept');
});
