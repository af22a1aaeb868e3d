// W&B local run folders: the .wandb transaction log framing (generated files, test/helpers/wandb-writer.ts), history
// rows, the exit record, a summary holding bare NaN, config.yaml, and the status a missing exit record implies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogPayloads } from '../../src/ingest/wandb/leveldb-log.js';
import { decodeRecord } from '../../src/ingest/wandb/records.js';
import { parseLenientJson } from '../../src/ingest/wandb/lenient-json.js';
import { crc32 } from '../../src/ingest/wandb/crc32.js';
import { readWandbRun } from '../../src/ingest/wandb/index.js';
import { discoverRuns } from '../../src/discover/discover-runs.js';
import { loadRun } from '../../src/pipeline/load-run.js';
import { historyRecord, exitRecord, otherRecord, wandbLog } from '../helpers/wandb-writer.js';
import type { Note } from '../../src/model/types.js';

test('crc32 is zlib\'s (check value of "123456789" is 0xCBF43926)', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('framing: records crossing 32 KiB blocks are joined, block tails padded, a zero tail ends the stream', () => {
  // 40 KB and 70 KB payloads force FIRST/MIDDLE/LAST pieces; the small ones land near block ends
  const payloads = [historyRecord(1, 0, { loss: '1.5' }), otherRecord(2, 40_000), historyRecord(3, 1, { loss: '1.25' }), otherRecord(4, 70_000), historyRecord(5, 2, { loss: '1.0' })];
  const notes: Note[] = [];
  const got = readLogPayloads(wandbLog(payloads, { zeroTail: 5000 }), 'x.wandb', notes);
  assert.deepEqual(notes, []);
  assert.equal(got.length, 5);
  got.forEach((p, i) => assert.ok(p.data.equals(payloads[i]), `payload ${i} intact`));
  const losses = got.map((p) => decodeRecord(p.data)).filter((r) => r.kind === 'history').map((r) => (r.kind === 'history' ? r.items.find((it) => it.key === 'loss')!.valueJson : ''));
  assert.deepEqual(losses, ['1.5', '1.25', '1.0']);
});

test('framing: a checksum mismatch drops that record with a note; a cut last record is noted; no header is refused', () => {
  const payloads = [historyRecord(1, 0, { a: '1' }), historyRecord(2, 1, { a: '2' }), historyRecord(3, 2, { a: '3' })];
  let notes: Note[] = [];
  let got = readLogPayloads(wandbLog(payloads, { corruptRecord: 1 }), 'x.wandb', notes);
  assert.equal(got.length, 2);
  assert.match(notes[0].message, /checksum/);
  notes = [];
  const whole = wandbLog(payloads);
  got = readLogPayloads(whole.subarray(0, whole.length - 3), 'x.wandb', notes);
  assert.equal(got.length, 2);
  assert.match(notes[0].message, /cut off/);
  notes = [];
  assert.equal(readLogPayloads(Buffer.from('hello world, no header'), 'x.wandb', notes).length, 0);
  assert.match(notes[0].message, /not a W&B transaction log/);
});

test('records: history step and items, nested keys joined, exit code (negative too)', () => {
  const h = decodeRecord(historyRecord(7, 42, { 'val/acc': '0.5' }));
  assert.equal(h.kind, 'history');
  if (h.kind === 'history') {
    assert.equal(h.step, 42);
    assert.deepEqual(h.items.map((i) => i.key), ['val/acc', '_step']);
  }
  assert.deepEqual(decodeRecord(exitRecord(8, 0, 1926)), { kind: 'exit', exitCode: 0, runtime: 1926 });
  assert.deepEqual(decodeRecord(exitRecord(9, -9, 5)), { kind: 'exit', exitCode: -9, runtime: 5 });
  assert.deepEqual(decodeRecord(otherRecord(10, 3)), { kind: 'other' });
});

test('lenient JSON: bare NaN / Infinity / -Infinity outside strings become numbers; inside strings they stay text', () => {
  const v = parseLenientJson('{"a": NaN, "b": -Infinity, "c": [Infinity, 1], "s": "NaN and Infinity", "q": "say \\"NaN\\""}') as Record<string, unknown>;
  assert.ok(Number.isNaN(v.a));
  assert.equal(v.b, -Infinity);
  assert.deepEqual(v.c, [Infinity, 1]);
  assert.equal(v.s, 'NaN and Infinity');
  assert.equal(v.q, 'say "NaN"');
  assert.throws(() => parseLenientJson('{"a": NaNx}'), SyntaxError);
});

async function makeRunDir(root: string, name: string, payloads: Buffer[], files: Record<string, string>): Promise<string> {
  const dir = join(root, 'wandb', name);
  await mkdir(join(dir, 'files'), { recursive: true });
  await mkdir(join(dir, 'logs'), { recursive: true });
  const id = name.split('-').at(-1);
  await writeFile(join(dir, `run-${id}.wandb`), wandbLog(payloads, { zeroTail: 100 }));
  for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
  return dir;
}

test('a killed run: history from the .wandb log, NaN summary, no exit record => killed; config.yaml values', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dd-wandb-'));
  try {
    const rows = [0, 1, 2, 3].map((e) => historyRecord(e + 1, e, { epoch: String(e), train_loss: e < 2 ? String(2 - e * 0.5) : 'NaN', val_accuracy: String(10 + e) }));
    const dir = await makeRunDir(root, 'run-20240101_000000-abc123', rows, {
      'files/config.yaml': 'wandb_version: 1\n\nlr:\n  desc: null\n  value: 0.0005\nepochs:\n  desc: null\n  value: 200\n_wandb:\n  desc: null\n  value:\n    cli_version: 0.16.6\n',
      'files/wandb-summary.json': '{"epoch": 4, "train_loss": NaN, "val_accuracy": 14.0, "_step": 4, "_runtime": 3712.3}',
      'files/output.log': 'Epoch: 0, loss: 2.0\n',
      'logs/debug-internal.log': '2024-01-01 00:00:01,000 INFO    MainThread:1 [wandb_init.py:init():842] run started\n',
    });
    const frag = await readWandbRun(dir);
    assert.equal(frag.format, 'wandb');
    assert.equal(frag.status, 'killed');
    assert.deepEqual(frag.hyperparameters, { lr: 0.0005, epochs: 200 });
    const loss = frag.series!.find((s) => s.rawName === 'train_loss')!;
    // four history rows, plus the summary's step 4 that never reached the history
    assert.deepEqual(loss.points.map((p) => p.step), [0, 1, 2, 3, 4]);
    assert.ok(Number.isNaN(loss.points[2].value) && Number.isNaN(loss.points[4].value));
    assert.equal(loss.points[1].epoch, 1);
    assert.ok(frag.notes!.some((n) => /non-finite values \(train_loss\)/.test(n.message)));
    assert.ok(frag.notes!.some((n) => /no W&B exit record/.test(n.message)));
    assert.equal(frag.epochsCompleted, 5);
    // discovery: one run for the folder (files/ and logs/ are its own), output.log as its stdout
    const { runs, errors } = await discoverRuns([root]);
    assert.deepEqual(errors, []);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].wandbDir, dir);
    const run = await loadRun(runs[0]);
    assert.equal(run.status, 'killed');
    assert.ok(run.formats.includes('wandb'));
    assert.deepEqual(run.configFiles, [join(dir, 'files', 'config.yaml')]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a finished run: exit record code 0 => finished; non-zero => failed; a traceback in output.log => crashed', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dd-wandb-'));
  try {
    const rows = [0, 1].map((e) => historyRecord(e + 1, e, { acc: String(50 + e) }));
    const ok = await makeRunDir(root, 'run-20240101_000000-fin1', [...rows, exitRecord(3, 0, 100)], { 'files/wandb-summary.json': '{"acc": 51, "_step": 1, "_wandb": {"runtime": 100}}' });
    assert.equal((await readWandbRun(ok)).status, 'finished');
    const bad = await makeRunDir(root, 'run-20240101_000001-bad1', [...rows, exitRecord(3, 1, 100)], {
      'files/output.log': 'step 1 acc 50\nTraceback (most recent call last):\n  File "train.py", line 3, in <module>\nRuntimeError: boom\n',
    });
    assert.equal((await readWandbRun(bad)).status, 'failed');
    const { runs } = await discoverRuns([join(root, 'wandb')]);
    const run = await loadRun(runs.find((r) => r.wandbDir === bad)!);
    assert.equal(run.status, 'crashed');
    assert.equal(run.crash?.type, 'RuntimeError');
    // history rows only: output.log's numbers do not become series of their own
    assert.deepEqual(Object.values(run.series).map((s) => s.rawName), ['acc']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('wandb-history.jsonl (older clients) is read when present', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dd-wandb-'));
  try {
    const dir = join(root, 'wandb', 'run-20200101_000000-old1');
    await mkdir(join(dir, 'files'), { recursive: true });
    await writeFile(join(dir, 'files', 'wandb-history.jsonl'), '{"_step": 0, "loss": 1.0}\n{"_step": 1, "loss": NaN}\nnot json\n{"_step": 2, "loss": 0.5}\n');
    await writeFile(join(dir, 'files', 'wandb-summary.json'), '{"loss": 0.5, "_step": 2}');
    const frag = await readWandbRun(dir);
    const loss = frag.series!.find((s) => s.rawName === 'loss')!;
    assert.deepEqual(loss.points.map((p) => p.step), [0, 1, 2]);
    assert.ok(frag.notes!.some((n) => n.line === 3 && /not JSON/.test(n.message)));
    assert.equal(frag.status, 'unknown');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
