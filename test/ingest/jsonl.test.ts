// Tests for the JSONL reader: W&B-style nested records, Python NaN/Infinity literals, bad lines with line numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlLog, pythonJsonToStrict, flattenMetrics, sniffJsonl } from '../../src/ingest/jsonl/index.js';
import { FIXTURES } from '../helpers/shared.js';
import type { RunFragment, Series } from '../../src/model/types.js';

const seriesOf = (f: RunFragment, key: string): Series => {
  const s = f.series!.find((x) => x.key === key);
  assert.ok(s, `series ${key} present (have ${f.series!.map((x) => x.key).join(', ')})`);
  return s;
};

test('Python json.dumps literals NaN/Infinity/-Infinity parse; the same words inside strings are left alone', () => {
  const o = JSON.parse(pythonJsonToStrict('{"a": NaN, "b": -Infinity, "c": [Infinity], "s": "NaN and \\"Infinity\\""}'));
  const flat = flattenMetrics(o);
  assert.ok(Number.isNaN(flat.get('a')!));
  assert.equal(flat.get('b'), -Infinity);
  assert.equal(o.s, 'NaN and "Infinity"');
  assert.equal(flat.has('c'), false); // arrays are not metrics
  assert.deepEqual([...flattenMetrics({ train: { d: { acc: 1 } }, s: 'x', n: null, t: true })], [['train/d/acc', 1]]);
});

test('W&B-style history: nested keys, _step, config line, NaN/Infinity, bad lines noted by number', async () => {
  const file = join(FIXTURES, 'jsonl', 'wandb_history.jsonl');
  const f = await readJsonlLog(file);
  assert.equal(f.format, 'jsonl');
  const loss = seriesOf(f, 'train/loss');
  assert.deepEqual(loss.points.map((p) => p.step), [0, 50, 100, 150]);
  assert.deepEqual(loss.points.map((p) => p.value), [3.01, 1.31, NaN, Infinity]);
  assert.equal(loss.points[2].line, 5);
  const dom = seriesOf(f, 'train/domain_acc');
  assert.equal(dom.scaledFrom, 'fraction');
  assert.deepEqual(dom.points.map((p) => Math.round(p.value * 10) / 10), [54.7, 65.6, 93.8, 87.5]);
  const val = seriesOf(f, 'val/acc1');
  assert.deepEqual([val.granularity, val.points.map((p) => p.step)], ['epoch', [0, 1]]);
  assert.equal(f.bestAcc1, 59.56);
  assert.deepEqual(f.evaluations!.map((e) => [e.epoch, e.line]), [[0, 8], [1, 9]]);
  assert.deepEqual(f.hyperparameters, { lr: 0.01, trade_off: 1, method: 'CDAN' });
  assert.equal(f.algorithm, 'cdan'); // named by the config, not guessed
  assert.deepEqual(f.notes!.filter((n) => n.level === 'warn').map((n) => n.line), [4, 6, 10]);
});

test('records without step use their row index, with a note; an all-garbage file is an InputError', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-jsonl-'));
  try {
    writeFileSync(join(dir, 'a.jsonl'), '{"loss": 1}\n\n{"loss": 2}\r\n{"loss": "nan"}\n');
    const f = await readJsonlLog(join(dir, 'a.jsonl'));
    assert.deepEqual(seriesOf(f, 'train/loss').points.map((p) => [p.step, p.value, p.line]), [[0, 1, 1], [1, 2, 3], [2, NaN, 4]]);
    assert.ok(f.notes!.some((n) => /3 record\(s\) have no step/.test(n.message)));
    writeFileSync(join(dir, 'b.jsonl'), 'hello\nworld\n');
    await assert.rejects(readJsonlLog(join(dir, 'b.jsonl')), (e: unknown) => /b\.jsonl:1: no line is a JSON object/.test((e as Error).message));
    await assert.rejects(readJsonlLog(join(dir, 'missing.jsonl')), /no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sniff: first non-empty line is a JSON object', () => {
  assert.ok(sniffJsonl('', Buffer.from('\n{"step": 1, "loss": NaN}\n')));
  assert.ok(!sniffJsonl('', Buffer.from('[1,2]\n')));
  assert.ok(!sniffJsonl('', Buffer.from('epoch,loss\n')));
  assert.ok(!sniffJsonl('x.jsonl', Buffer.from('Namespace(a=1)\n')));
});

test('runs appended one after another (the step starts over): earlier attempts kept apart, each with its config', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join: j } = await import('node:path');
  const { readJsonlLog: read } = await import('../../src/ingest/jsonl/index.js');
  const dir = await mkdtemp(j(tmpdir(), 'dd-jsonl-'));
  try {
    const rows = [
      '{"config": {"lr": 0.1}}', '{"step": 0, "loss": 2.0}', '{"step": 100, "loss": 1.5}', '{"step": 200, "loss": 1.2}',
      '{"config": {"lr": 0.01}}', '{"step": 0, "loss": 2.1}', '{"step": 100, "loss": 1.0}',
    ];
    const file = j(dir, 'metrics.jsonl');
    await writeFile(file, rows.join('\n') + '\n');
    const f = await read(file);
    assert.equal(f.attempts?.length, 2);
    assert.deepEqual(f.attempts!.map((a) => [a.line, a.endLine, a.pointCounts.loss]), [[1, 4, 3], [5, 7, 2]]);
    assert.equal(f.attempts![0].config?.lr, 0.1);
    const loss = f.series!.find((s) => s.rawName === 'loss')!;
    assert.deepEqual(loss.points.map((p) => [p.step, p.value]), [[0, 2.1], [100, 1.0]]);
    assert.equal(f.hyperparameters?.lr, 0.01);
    assert.ok(f.notes!.some((n) => /starts over 1 time/.test(n.message)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('evaluation rows logged at step = epoch beside training rows at the global step are not a restart', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join: j } = await import('node:path');
  const { readJsonlLog: read } = await import('../../src/ingest/jsonl/index.js');
  const dir = await mkdtemp(j(tmpdir(), 'dd-jsonl-'));
  try {
    const rows = ['{"loss": 2.0, "step": 50}', '{"loss": 1.8, "step": 100}', '{"accuracy/top1": 40.0, "step": 1}', '{"loss": 1.5, "step": 150}', '{"accuracy/top1": 50.0, "step": 2}'];
    const file = j(dir, 'scalars.json');
    await writeFile(file, rows.join('\n') + '\n');
    const f = await read(file);
    assert.equal(f.attempts, undefined);
    assert.equal(f.series!.find((s) => s.rawName === 'loss')!.points.length, 3);
    assert.equal(f.series!.find((s) => s.rawName === 'accuracy/top1')!.points.length, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
