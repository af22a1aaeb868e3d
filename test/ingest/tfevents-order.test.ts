// TensorBoard's loader semantics for steps that go back: no purge in a file_version 2 file without SessionLog START,
// TensorBoard's old out-of-order purge for legacy files, a tag mixing per-step and step = epoch values kept as two
// series, a later file whose steps start over kept apart as an attempt, add_scalars child names kept exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from '../../src/ingest/tfevents/crc32c.js';
import { readTfeventsDir, tagNameFor } from '../../src/ingest/tfevents/index.js';
import { splitStepOrder } from '../../src/ingest/tfevents/step-order.js';

function varint(n: number): number[] {
  const out: number[] = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
  return out;
}
const lenField = (no: number, payload: Buffer): Buffer => Buffer.concat([Buffer.from([...varint((no << 3) | 2), ...varint(payload.length)]), payload]);
function scalar(step: number, tag: string, v: number): Buffer {
  const val = Buffer.alloc(5); val[0] = (2 << 3) | 5; val.writeFloatLE(v, 1);
  return Buffer.concat([Buffer.from([(2 << 3) | 0, ...varint(step)]), lenField(5, lenField(1, Buffer.concat([lenField(1, Buffer.from(tag)), val])))]);
}
const fileVersion = (v: string): Buffer => lenField(3, Buffer.from(v));
const sessionStart = (step: number): Buffer => Buffer.concat([Buffer.from([(2 << 3) | 0, ...varint(step)]), lenField(7, Buffer.from([(1 << 3) | 0, 1]))]);
function frame(data: Buffer): Buffer {
  const hdr = Buffer.alloc(12); hdr.writeUInt32LE(data.length, 0); hdr.writeUInt32LE(0, 4); hdr.writeUInt32LE(maskedCrc32c(hdr, 0, 8), 8);
  const foot = Buffer.alloc(4); foot.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([hdr, data, foot]);
}
const eventFile = (events: Buffer[]): Buffer => Buffer.concat(events.map(frame));

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-tb-order-'));
    try { await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
}

test('a v2 file keeps per-step values and per-epoch values written at step = epoch as two series (nothing dropped)', withDir(async (dir) => {
  const ev = [fileVersion('brain.Event:2')];
  const itersPerEpoch = 50;
  for (let e = 0; e < 4; e++) {
    for (let i = 0; i < itersPerEpoch; i++) ev.push(scalar(e * itersPerEpoch + i, 'acc', 50 + e));
    ev.push(scalar(e, 'acc', 60 + e)); // epoch mean at step = epoch
  }
  writeFileSync(join(dir, 'events.out.tfevents.1.host'), eventFile(ev));
  const f = await readTfeventsDir(dir);
  const perStep = f.series!.find((s) => s.rawName === 'acc')!;
  const perEpoch = f.series!.find((s) => s.rawName === 'acc (step = epoch)')!;
  assert.equal(perStep.points.length, 200);
  assert.deepEqual(perEpoch.points.map((p) => [p.step, p.value]), [[0, 60], [1, 61], [2, 62], [3, 63]]);
  // every one of the 204 values is kept, in one of the two series
  assert.equal(perStep.points.length + perEpoch.points.length, 204);
  assert.equal(perEpoch.granularity, 'epoch');
  assert.ok(!f.notes!.some((n) => n.level === 'warn'), 'no purge warning');
}));

test('a v2 file with steps out of order and no restart marker keeps every point, in step order', withDir(async (dir) => {
  writeFileSync(join(dir, 'events.out.tfevents.1.host'), eventFile([fileVersion('brain.Event:2'), scalar(0, 'loss', 3), scalar(20, 'loss', 2), scalar(10, 'loss', 2.5), scalar(30, 'loss', 1)]));
  const f = await readTfeventsDir(dir);
  assert.deepEqual(f.series![0].points.map((p) => p.step), [0, 10, 20, 30]);
}));

test('SessionLog START purges every tag at and after its step; a legacy file (no file_version) purges on a step going back', withDir(async (dir) => {
  mkdirSync(join(dir, 'a'));
  writeFileSync(join(dir, 'a', 'events.out.tfevents.1.host'), eventFile([fileVersion('brain.Event:2'), scalar(0, 'x', 1), scalar(10, 'x', 1), scalar(20, 'x', 1), sessionStart(10), scalar(10, 'x', 2), scalar(20, 'x', 2)]));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'b', 'events.out.tfevents.1.host'), eventFile([scalar(0, 'y', 1), scalar(10, 'y', 1), scalar(20, 'y', 1), scalar(10, 'y', 2), scalar(20, 'y', 2)]));
  const f = await readTfeventsDir(dir);
  const x = f.series!.find((s) => s.rawName === 'a/x')!;
  const y = f.series!.find((s) => s.rawName === 'b/y')!;
  assert.deepEqual(x.points.map((p) => [p.step, p.value]), [[0, 1], [10, 2], [20, 2]]);
  assert.deepEqual(y.points.map((p) => [p.step, p.value]), [[0, 1], [10, 2], [20, 2]]);
}));

test('a later file whose steps start over is an earlier attempt kept apart; zero-byte files are a note', withDir(async (dir) => {
  writeFileSync(join(dir, 'events.out.tfevents.100.host'), '');
  writeFileSync(join(dir, 'events.out.tfevents.200.host'), eventFile([fileVersion('brain.Event:2'), ...[0, 1, 2, 3].map((s) => scalar(s, 'loss', 4 - s))]));
  writeFileSync(join(dir, 'events.out.tfevents.300.host'), eventFile([fileVersion('brain.Event:2'), ...[0, 1].map((s) => scalar(s, 'loss', 9 - s))]));
  const f = await readTfeventsDir(dir);
  assert.deepEqual(f.attempts?.map((a) => a.pointCounts.loss), [4, 2]);
  assert.deepEqual(f.series![0].points.map((p) => p.value), [9, 8]);
  assert.ok(f.notes!.some((n) => /1 event file\(s\) hold no scalars \(1 zero-byte/.test(n.message)));
  // a file resuming mid-way (first step after the run's first step) continues the run: newest values win
  writeFileSync(join(dir, 'events.out.tfevents.400.host'), eventFile([fileVersion('brain.Event:2'), ...[1, 2, 3].map((s) => scalar(s, 'loss', 20 + s))]));
  const g = await readTfeventsDir(dir);
  assert.deepEqual(g.series![0].points.map((p) => [p.step, p.value]), [[0, 9], [1, 21], [2, 22], [3, 23]]);
}));

test('add_scalars child folders: the key is kept exactly as written, also with spaces or a nested "/"', () => {
  assert.equal(tagNameFor('Loss_source domain ', 'Loss'), 'Loss/source domain ');
  assert.equal(tagNameFor('acc_domains_a/b', 'acc/domains'), 'acc/domains/a/b');
  assert.equal(tagNameFor('runs/train', 'epoch_loss'), 'runs/train/epoch_loss');
});

test('splitStepOrder: same-scale stragglers are merged in step order; a monotone small-scale tail is a second series', () => {
  const pts = (steps: number[]) => steps.map((s, i) => ({ step: s, value: i }));
  assert.equal(splitStepOrder(pts([0, 1, 2])).backward, 0);
  const merged = splitStepOrder(pts([0, 10, 5, 20]));
  assert.deepEqual([merged.main.map((p) => p.step), merged.epochScale], [[0, 5, 10, 20], undefined]);
  const two = splitStepOrder(pts([0, 100, 200, 1, 300, 400, 2, 500]));
  assert.deepEqual([two.main.map((p) => p.step), two.epochScale?.map((p) => p.step)], [[0, 100, 200, 300, 400, 500], [1, 2]]);
});
