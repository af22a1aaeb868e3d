// Tests for the tfevents reader: CRC32C, protobuf varints, TFRecord framing damage, scalar encodings, restarts, dirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c, maskedCrc32c } from '../../src/ingest/tfevents/crc32c.js';
import { ProtoCursor } from '../../src/ingest/tfevents/protobuf.js';
import { readTfeventsDir, readTfeventsFile, tagNameFor, tfeventsReader, looksLikeTfRecord } from '../../src/ingest/tfevents/index.js';
import { readCsvLog } from '../../src/ingest/csv/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import { FIXTURES, SHARED_RUNS, hasShared } from '../helpers/shared.js';

const TF = join(FIXTURES, 'tfevents');
const seriesOf = (f: { series?: { key: string }[] }, key: string) => {
  const s = f.series!.find((x) => x.key === key);
  assert.ok(s, `series ${key} present (have ${f.series!.map((x) => x.key).join(', ')})`);
  return s as import('../../src/model/types.js').Series;
};

// --- a tiny writer for hand-built damage (same framing as fixtures/tfevents/make_fixtures.py) ---
function varint(n: number): number[] {
  const out: number[] = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
  return out;
}
function lenField(no: number, payload: Buffer): Buffer { return Buffer.concat([Buffer.from([...varint((no << 3) | 2), ...varint(payload.length)]), payload]); }
function scalarEvent(step: number, tag: string, v: number): Buffer {
  const wall = Buffer.alloc(9); wall[0] = (1 << 3) | 1; wall.writeDoubleLE(1764268949 + step, 1);
  const val = Buffer.alloc(5); val[0] = (2 << 3) | 5; val.writeFloatLE(v, 1);
  const value = Buffer.concat([lenField(1, Buffer.from(tag)), val]);
  return Buffer.concat([wall, Buffer.from([(2 << 3) | 0, ...varint(step)]), lenField(5, lenField(1, value))]);
}
function frame(data: Buffer): Buffer {
  const hdr = Buffer.alloc(12); hdr.writeUInt32LE(data.length, 0); hdr.writeUInt32LE(0, 4); hdr.writeUInt32LE(maskedCrc32c(hdr, 0, 8), 8);
  const foot = Buffer.alloc(4); foot.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([hdr, data, foot]);
}

test('crc32c matches the standard check values', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283); // formats.md 6.1 check value
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  assert.equal(crc32c(Buffer.alloc(0)), 0);
  // masked value computed with fixtures/tfevents/make_fixtures.py: masked(b'123456789')
  assert.equal(maskedCrc32c(Buffer.from('123456789')), 0xc78ab0e5);
  // slicing-by-8 path and byte-at-a-time path agree on unaligned ranges
  const b = Buffer.from(Array.from({ length: 256 * 3 }, (_, i) => i & 0xff));
  assert.equal(crc32c(b), 0x9fa293b3); // python: crc32c(bytes(range(256))*3)
  assert.equal(crc32c(b, 3, 20), crc32c(Buffer.from(b.subarray(3, 20))));
});

test('protobuf varints: multi-byte, 2^53-1 and negative int64 (10 bytes)', () => {
  assert.equal(new ProtoCursor(Buffer.from([0xac, 0x02])).varint(), 300);
  assert.equal(new ProtoCursor(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f])).varint(), 2 ** 53 - 1);
  assert.equal(new ProtoCursor(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).varint(), -1);
  assert.throws(() => new ProtoCursor(Buffer.from([0x80, 0x80])).varint(), /past the end/);
});

test('healthy run as Lightning TensorBoardLogger scalars: same numbers as metrics.csv and truth.json', async () => {
  const f = await readTfeventsDir(join(TF, 'healthy_lightning'));
  const truth = JSON.parse(readFileSync(join(SHARED_RUNS, 'truth.json'), 'utf8')).healthy_lightning;
  const val = seriesOf(f, 'val/acc1');
  assert.equal(val.granularity, 'epoch');
  assert.equal(val.scaledFrom, 'fraction');
  assert.deepEqual(val.points.map((p) => p.step), [...Array(15).keys()]); // moved from global step to epoch via the `epoch` tag
  val.points.forEach((p, i) => assert.ok(Math.abs(p.value - truth.val_acc_per_epoch[i]) < 1e-3, `epoch ${i}`));
  assert.ok(Math.abs(f.bestAcc1! - truth.best_acc1) < 1e-3);
  const dom = seriesOf(f, 'train/domain_acc');
  assert.equal(dom.points.length, 90);
  assert.deepEqual([dom.points[0].step, dom.points[0].value, dom.points[0].epoch], [49, 65.625, 0]); // csv line 2: 0.65625
  assert.equal(dom.points[6].epoch, 1); // step 349
  assert.ok(f.notes!.some((n) => n.level === 'info' && /"val\/acc" holds fractions/.test(n.message)));
  assert.equal(f.notes!.filter((n) => n.level === 'warn').length, 0, 'the epoch tag repeated at an epoch end is not a restart');
  assert.equal(f.algorithm, 'dann');
  assert.equal(f.hyperparameters!.trade_off, 1);
  assert.deepEqual([f.status, f.epochsCompleted], ['finished', 15]); // `epochs: 15` in hparams.yaml
  // the same run read from the CSV gives identical series
  const c = await readCsvLog(join(SHARED_RUNS, 'healthy_lightning', 'metrics.csv'));
  for (const key of ['train/domain_acc', 'train/cls_loss', 'val/acc1']) {
    const a = seriesOf(f, key).points.map((p) => [p.step, Math.fround(p.value / (key.includes('acc') ? 100 : 1))]);
    const b = seriesOf(c, key).points.map((p) => [p.step, Math.fround(p.value / (key.includes('acc') ? 100 : 1))]);
    assert.deepEqual(a, b, key);
  }
});

test('all scalar encodings decode to the same values; histograms are ignored', async () => {
  const f = await readTfeventsFile(join(TF, 'encodings', 'events.out.tfevents.1764269000.fixturehost.4242.0'));
  assert.deepEqual(f.series!.map((s) => s.key).sort(), ['legacy/simple', 'tf2/content', 'torch/double', 'torch/new_style']);
  const f32 = [0.5, 0.6, 0.7, 0.8].map(Math.fround);
  for (const key of ['legacy/simple', 'tf2/content', 'torch/new_style']) assert.deepEqual(seriesOf(f, key).points.map((p) => p.value), f32, key);
  assert.deepEqual(seriesOf(f, 'torch/double').points.map((p) => p.value), [0.5, 0.6, 0.7, 0.8]); // double_val keeps doubles
  assert.equal(seriesOf(f, 'legacy/simple').points[1].wallTime, 1764269001);
});

test('Keras TensorBoard callback dirs (train/, validation/) map onto canonical epoch series', async () => {
  const f = await readTfeventsDir(join(TF, 'keras'));
  const dom = seriesOf(f, 'train/domain_acc');
  assert.equal(dom.rawName, 'train/epoch_disc_acc');
  assert.equal(dom.granularity, 'epoch');
  assert.deepEqual(dom.points.map((p) => Math.round(p.value * 1000) / 1000), [81, 66, 55]);
  assert.deepEqual(seriesOf(f, 'val/loss').points.map((p) => p.step), [0, 1, 2]);
  assert.ok(Math.abs(f.bestAcc1! - 70) < 1e-4);
  // pointed at the split dir itself, the split name still prefixes the tags
  const v = await readTfeventsDir(join(TF, 'keras', 'validation'));
  assert.deepEqual(v.series!.map((s) => s.key).sort(), ['val/acc1', 'val/loss']);
});

test('add_scalars child directories become main_tag/key series', async () => {
  assert.equal(tagNameFor('acc_domains_source', 'acc/domains'), 'acc/domains/source');
  assert.equal(tagNameFor('train', 'epoch_loss'), 'train/epoch_loss');
  assert.equal(tagNameFor('', 'x'), 'x');
  const f = await readTfeventsDir(join(TF, 'add_scalars'));
  // the child folder name is kept as the raw name; its words make it the target accuracy
  assert.equal(seriesOf(f, 'val/acc1').rawName, 'acc/domains/target');
  assert.deepEqual(seriesOf(f, 'val/acc1').points.map((p) => Math.round(p.value)), [50, 60, 70]);
  assert.deepEqual(seriesOf(f, 'train/loss').points.map((p) => p.value), [2, 1, 0]);
});

test('restart: a second file rewinding the step replaces the overlapping steps, with a note', async () => {
  const f = await readTfeventsDir(join(TF, 'restart'));
  const s = seriesOf(f, 'train/loss');
  assert.deepEqual(s.points.map((p) => p.step), [0, 10, 20, 30, 40, 50, 60]);
  assert.deepEqual(s.points.slice(2, 5).map((p) => Math.round(p.value * 1000)), [1200, 530, 540]); // 30, 40 from the new file
  assert.ok(f.notes!.some((n) => n.level === 'warn' && /from 40 back to 30/.test(n.message) && /dropped 2/.test(n.message)));
});

test('SessionLog START purges the steps it restarts from', async () => {
  const f = await readTfeventsDir(join(TF, 'session_start'));
  assert.deepEqual(seriesOf(f, 'train/loss').points.map((p) => [p.step, p.value]), [[0, 1], [10, 1], [20, 2], [30, 2]]);
  assert.ok(f.notes!.some((n) => /session restarted at step 20; dropped 3/.test(n.message)));
});

test('bad data CRC skips that record only; truncated tail keeps what came before', async () => {
  const bad = await readTfeventsFile(join(TF, 'damaged', 'events.out.tfevents.1764269600.badcrc.1.0'));
  assert.deepEqual(seriesOf(bad, 'train/loss').points.map((p) => p.step), [0, 1, 3, 4]);
  assert.deepEqual(bad.notes!.map((n) => [n.level, n.offset]), [['warn', 134]]);
  assert.match(bad.notes![0].message, /CRC32C/);
  const cut = await readTfeventsFile(join(TF, 'damaged', 'events.out.tfevents.1764269601.truncated.1.0'));
  assert.deepEqual(seriesOf(cut, 'train/loss').points.map((p) => p.step), [0, 1, 2, 3]);
  assert.match(cut.notes![0].message, /cut short \(41 of 48 bytes\)/);
});

test('corrupt length header, garbage bytes and a missing file: notes or InputError, never a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-tfev-'));
  try {
    const good = frame(scalarEvent(1, 'a', 1));
    const badHdr = Buffer.from(frame(scalarEvent(2, 'a', 2)));
    badHdr[0] ^= 1; // length no longer matches its CRC
    writeFileSync(join(dir, 'events.out.tfevents.1.h'), Buffer.concat([good, badHdr, good]));
    const f = await readTfeventsFile(join(dir, 'events.out.tfevents.1.h'));
    assert.equal(seriesOf(f, 'a').points.length, 1);
    assert.match(f.notes![0].message, /length field fails its CRC/);
    assert.equal(f.notes![0].offset, good.length);
    writeFileSync(join(dir, 'events.out.tfevents.2.h'), Buffer.from('this is not a tfrecord file at all, just text\n'));
    const g = await readTfeventsFile(join(dir, 'events.out.tfevents.2.h'));
    assert.equal(g.series!.length, 0);
    assert.equal(g.notes!.length, 1);
    // a record whose payload is not an Event: noted, skipped
    writeFileSync(join(dir, 'events.out.tfevents.3.h'), Buffer.concat([frame(Buffer.from([0x0a, 0xff])), good]));
    const h = await readTfeventsFile(join(dir, 'events.out.tfevents.3.h'));
    assert.equal(seriesOf(h, 'a').points.length, 1);
    assert.match(h.notes![0].message, /undecodable Event/);
    await assert.rejects(readTfeventsFile(join(dir, 'missing')), (e: unknown) => e instanceof InputError && /no such file/.test((e as Error).message));
    await assert.rejects(readTfeventsDir(join(dir, 'events.out.tfevents.1.h')), InputError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('records straddling reads (tiny read size) are all read, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-tfev-'));
  try {
    const n = 3000;
    const file = join(dir, 'events.out.tfevents.9.big');
    writeFileSync(file, Buffer.concat(Array.from({ length: n }, (_, i) => frame(scalarEvent(i, 'train/loss', i % 7)))));
    for (const chunkBytes of [7, 64, 1000]) { // smaller than a header, than a record, and several records
      const f = await readTfeventsFile(file, { chunkBytes });
      const s = seriesOf(f, 'train/loss');
      assert.equal(s.points.length, n, `chunk ${chunkBytes}`);
      assert.ok(s.points.every((p, i) => p.step === i && p.value === i % 7));
      assert.deepEqual(f.notes, []);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('long series are thinned to the budget, keeping the first NaN and the newest point, with a note', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-tfev-'));
  try {
    const n = 5001;
    const file = join(dir, 'events.out.tfevents.9.long');
    writeFileSync(file, Buffer.concat(Array.from({ length: n }, (_, i) => frame(scalarEvent(i, 'train/loss', i === 1237 ? NaN : 1)))));
    const f = await readTfeventsFile(file, { maxPointsPerTag: 1000 });
    const s = seriesOf(f, 'train/loss');
    assert.ok(s.points.length <= 1002 && s.points.length >= 500, `kept ${s.points.length}`);
    assert.equal(s.points[0].step, 0);
    assert.equal(s.points.at(-1)!.step, n - 1);
    assert.ok(s.points.some((p) => p.step === 1237 && Number.isNaN(p.value)), 'the NaN survives thinning');
    assert.ok(s.points.every((p, i) => i === 0 || p.step > s.points[i - 1].step));
    assert.match(f.notes!.find((x) => x.level === 'info')!.message, /5001 points, kept \d+ \(every 8th/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sniff is by content: a valid TFRecord header whatever the name', () => {
  const rec = frame(scalarEvent(1, 'a', 1));
  assert.ok(looksLikeTfRecord(rec));
  assert.ok(tfeventsReader.sniff('whatever.bin', rec));
  assert.ok(!tfeventsReader.sniff('events.out.tfevents.1.h', Buffer.from('epoch,step,loss\n0,1,2\n')));
});
