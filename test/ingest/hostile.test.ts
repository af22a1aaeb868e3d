// Hostile inputs (fixtures/hostile, made by fixtures/hostile/make.py): code-execution pickles, bombs, lying ZIPs, object
// arrays. Each must be refused or kept as an inert placeholder with a clear reason, bounded, and never executed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readPth, readPthBuffer, unpickle } from '../../src/ingest/pth/index.js';
import { checkpointInfo } from '../../src/ingest/checkpoint-facts.js';
import { readNpy, readNpzDetailed, listNpzDetailed } from '../../src/ingest/npy/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import { FIXTURES, REPO_ROOT } from '../helpers/shared.js';
import type { Note } from '../../src/model/types.js';

const H = (f: string): string => resolve(FIXTURES, 'hostile', f);
const FIXTURE_MARKERS = ['os-system', 'posix-system', 'eval', 'exec', 'popen', 'gadget-chain', 'stack-global', 'reduce-gadget',
  'pth-os-system', 'pth-popen', 'pth-exec', 'npy-object'].map((m) => `/tmp/dd-pwned-fixture-${m}`);

// pickle builders for payloads with a fresh random marker, so a stale file cannot make the test pass or fail
const bin = (t: string): Buffer => { const b = Buffer.from(t); const h = Buffer.alloc(5); h[0] = 0x58; h.writeUInt32LE(b.length, 1); return Buffer.concat([h, b]); };
const glob = (m: string, n: string): Buffer => Buffer.from(`c${m}\n${n}\n`);
const reduce = (fn: Buffer, ...args: Buffer[]): Buffer => Buffer.concat([fn, Buffer.from('('), ...args, Buffer.from('tR')]);
const pickle = (...body: Buffer[]): Buffer => Buffer.concat([Buffer.from([0x80, 0x02]), ...body, Buffer.from('.')]);

test('code-execution pickles with a random marker: nothing runs, each global is a named placeholder', async () => {
  const marker = `/tmp/dd-pwned-${randomBytes(8).toString('hex')}`;
  const cases: [string, Buffer, string[]][] = [
    ['os.system', pickle(reduce(glob('os', 'system'), bin(`touch ${marker}`))), ['os.system']],
    ['posix.system', pickle(reduce(glob('posix', 'system'), bin(`touch ${marker}`))), ['posix.system']],
    ['builtins.eval', pickle(reduce(glob('builtins', 'eval'), bin(`__import__('os').system('touch ${marker}')`))), ['builtins.eval']],
    ['builtins.exec', pickle(reduce(glob('builtins', 'exec'), bin(`import os; os.system('touch ${marker}')`))), ['builtins.exec']],
    ['subprocess.Popen', pickle(reduce(glob('subprocess', 'Popen'), Buffer.from(']('), bin('touch'), bin(marker), Buffer.from('e'))), ['subprocess.Popen']],
    ['getattr gadget', pickle(reduce(reduce(glob('builtins', 'getattr'), reduce(glob('builtins', '__import__'), bin('os')), bin('system')), bin(`touch ${marker}`))),
      ['builtins.getattr', 'builtins.__import__']],
  ];
  for (const [what, buf, globals] of cases) {
    const r = await readPthBuffer(buf, `${what}.pkl`);
    assert.deepEqual(r.placeholders, globals, what);
    assert.equal(r.stateDict.size, 0);
    for (const g of globals) assert.ok(r.notes.some((n) => n.message.includes(`'${g}', which is not on the allow-list`)), `${what}: note names ${g}`);
    assert.equal((r.extra.value as { __global__: string }).__global__, globals[0], what);
  }
  assert.equal(existsSync(marker), false, 'a payload ran');
});

test('hostile pickle fixtures: placeholders named, payload arguments kept as inert data, markers never created', async () => {
  const expected: [string, string[]][] = [
    ['os-system.pkl', ['os.system']], ['posix-system.pkl', ['posix.system']], ['builtins-eval.pkl', ['builtins.eval']],
    ['builtins-exec.pkl', ['builtins.exec']], ['subprocess-popen.pkl', ['subprocess.Popen']],
    ['gadget-chain.pkl', ['builtins.getattr', 'builtins.__import__']], ['stack-global-system.pkl', ['os.system']],
    ['reduce-gadget.pkl', ['posix.system']],
  ];
  for (const [f, globals] of expected) {
    const r = await readPth(H(f));
    assert.deepEqual(r.placeholders, globals, f);
  }
  const os = await readPth(H('os-system.pkl'));
  assert.deepEqual(os.extra, { value: { __global__: 'os.system', args: ['touch /tmp/dd-pwned-fixture-os-system'] } });
  // the gadget sits inside an ordinary dict: the harmless keys still come through
  const g = await readPth(H('reduce-gadget.pkl'));
  assert.equal(g.extra.lr, 0.01);
  assert.deepEqual(g.extra.payload, { __global__: 'posix.system', args: ['touch /tmp/dd-pwned-fixture-reduce-gadget'] });
  for (const m of FIXTURE_MARKERS) assert.equal(existsSync(m), false, m);
});

test('hostile checkpoints: the payload is a placeholder and every tensor still comes through', async () => {
  // protocol 2 writes Python 2 names (pickle's fix_imports): subprocess.Popen -> commands.Popen, builtins -> __builtin__
  for (const [f, global] of [['os-system.pth', 'posix.system'], ['subprocess.pth', 'commands.Popen'], ['builtins-exec.pth', '__builtin__.exec']]) {
    const r = await readPth(H(f));
    assert.equal(r.format, 'zip');
    assert.equal(r.stateDict.size, 10, f);
    assert.deepEqual(Array.from(r.stateDict.get('head.bias')!.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(r.placeholders, [global], f);
    assert.equal((r.extra.evil as { __global__: string }).__global__, global);
  }
  for (const m of FIXTURE_MARKERS) assert.equal(existsSync(m), false, m);
});

test('torch.save(model) with unknown module classes: parameters and buffers come through under their state_dict names', async () => {
  const r = await readPth(H('unknown-globals.pth'));
  assert.deepEqual(r.placeholders, ['__main__.MyModel', '__main__.Sequential', '__main__.BatchNorm1d', '__main__.Linear']);
  assert.deepEqual([...r.stateDict.keys()], ['model.bottleneck.1.weight', 'model.bottleneck.1.running_mean', 'model.bottleneck.1.num_batches_tracked', 'model.head.weight', 'model.head.bias']);
  assert.deepEqual(r.stateDict.get('model.head.weight')!.shape, [10, 8]);
  assert.equal(r.extra.note, 'torch.save(model)');
  const info = checkpointInfo(H('unknown-globals.pth'), r, { itersPerEpoch: 300 });
  assert.deepEqual(info.facts, { numClasses: 10, featureDim: 8, bottleneckBatchNorm: true, iterationsTrained: 4500, epochsTrained: 15 });
});

test('a storage record shorter than declared: that tensor is skipped with the reason, the others are read', async () => {
  const r = await readPth(H('short-storage.pth'));
  assert.equal(r.stateDict.size, 9);
  assert.ok(!r.stateDict.has('head.weight'));
  assert.ok(r.notes.some((n) => /tensor 'head.weight' skipped: storage '\d+' holds 8 bytes, the view needs 320/.test(n.message)));
});

test('recursion bombs: 5000 nested MARKs refused at the bound; 5000 nested lists read with the nesting cut and noted', async () => {
  await assert.rejects(readPth(H('recursion-marks.pkl')), (e: unknown) => e instanceof InputError && /MARK nesting over 1000/.test(e.message) && e.offset === 1002);
  const r = await readPth(H('recursion-lists.pkl'));
  assert.ok(r.notes.some((n) => /cut after .* levels of nesting/.test(n.message)));
  assert.ok(JSON.stringify(r.extra).includes('[cut]'));
});

test('billion laughs (10^30 leaves by memo reference) is cut at the node budget', async () => {
  const r = await readPth(H('billion-laughs.pkl'));
  assert.ok(r.notes.some((n) => /non-tensor content cut after 50000 values/.test(n.message)));
  assert.ok(JSON.stringify(r.extra).length < 10_000_000);
});

test('memo: an index near 2^32 costs one slot; reading a slot never stored is refused with its offset', async () => {
  const r = await readPth(H('huge-memo-index.pkl'));
  assert.deepEqual(r.extra, { value: 'kept' });
  await assert.rejects(readPth(H('missing-memo.pkl')), (e: unknown) => e instanceof InputError && /memo index 2147483647 was never stored/.test(e.message) && e.offset === 2);
  await assert.rejects(readPth(H('lying-length.pkl')), /truncated \(needs 10000000 more bytes/);
});

test('VM limits are configurable and the stack is bounded', () => {
  const notes: Note[] = [];
  const deep = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.alloc(300, 0x5d), Buffer.from('.')]); // 300 EMPTY_LIST
  assert.throws(() => unpickle(deep, { file: 'x', notes, limits: { maxStack: 100 } }), /stack over 100 items/);
  assert.throws(() => unpickle(Buffer.from([0x80, 0x02, 0xff]), { file: 'x', notes }), /unknown opcode 0xff/);
  assert.throws(() => unpickle(Buffer.from([0x80, 0x02, 0x4e]), { file: 'x', notes }), /without STOP/);
});

test('zip guards inside npz: ../ and absolute names, lying sizes, overlapping entries, 4 GB declared sizes', async () => {
  const t = await readNpzDetailed(H('traversal.npz'));
  assert.deepEqual([...t.arrays.keys()], ['good']);
  assert.ok(t.notes.some((n) => /'\.\.\/evil\.npy' refused: its name contains a '\.\.' segment/.test(n.message)));
  assert.ok(t.notes.some((n) => /'\/abs\.npy' refused: its name is an absolute path/.test(n.message)));
  assert.ok(t.notes.some((n) => /'C:\/win\.npy' refused: its name has a drive letter/.test(n.message)));

  const l = await readNpzDetailed(H('lying-size.npz'));
  assert.deepEqual([...l.arrays.keys()], ['good']);
  assert.ok(l.notes.some((n) => /'a\.npy' refused: its data \(10000 bytes at 35\) runs past the end of the file \(488 bytes\)/.test(n.message)));

  const o = await readNpzDetailed(H('overlap.npz'));
  assert.deepEqual([...o.arrays.keys()], ['good']);
  assert.ok(o.notes.some((n) => /'a\.npy' and 'b\.npy' share one local header \(overlapping entries\); both refused/.test(n.message)));
  assert.ok(o.notes.some((n) => /'c\.npy' refused: its data \(184 bytes at \d+\) overlaps entry 'good\.npy'/.test(n.message)));

  const g = await readNpzDetailed(H('declared-4gb.npz'));
  assert.deepEqual([...g.arrays.keys()], ['good']);
  assert.ok(g.notes.some((n) => /'huge\.npy' refused: declared size 4294967296 bytes is over the 2147483648-byte limit/.test(n.message)));
  assert.deepEqual(Array.from(g.arrays.get('good')!.data), [0, 1, 2, 3]);
});

test('deflate bombs in an npz: lying size stopped at the declared size, impossible ratio refused, honest-but-big refused by maxBytes before inflating', async () => {
  const before = process.memoryUsage().arrayBuffers;
  const r = await readNpzDetailed(H('deflate-bomb.npz'), { maxBytes: 1024 * 1024 });
  assert.deepEqual([...r.arrays.keys()], ['good']);
  assert.ok(r.notes.some((n) => /'lying\.npy'.*inflates to more than its declared 1000 bytes \(lying size or deflate bomb\); refused/.test(n.message)));
  assert.ok(r.notes.some((n) => /'ratio\.npy' refused: declared ratio 524288000:\d+ is beyond what deflate can produce/.test(n.message)));
  assert.ok(r.notes.some((n) => /'honest16mb\.npy' skipped: .*declares 16777344 bytes, over the 1048576-byte limit/.test(n.message)));
  // nothing near the 10-16 MB the bombs expand to was allocated (generous bound: other tests may run in this process)
  assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024);
  // with the default limit the honest member is read and is what it says: 4 Mi zeros
  const d = await readNpzDetailed(H('deflate-bomb.npz'), { names: ['honest16mb'] });
  assert.equal(d.arrays.get('honest16mb')!.data.length, 4 * 1024 * 1024);
});

test('object arrays (|O) are refused without unpickling; the other members of the npz still come through', async () => {
  await assert.rejects(readNpy(H('object.npy')), /object array \('\|O'\): its payload is a pickle, which is never unpickled; refused/);
  const r = await readNpzDetailed(H('object-member.npz'));
  assert.deepEqual([...r.arrays.keys()], ['good']);
  assert.ok(r.notes.some((n) => /'obj\.npy' skipped: .*object array/.test(n.message)));
  const list = await listNpzDetailed(H('object-member.npz'));
  assert.deepEqual(list.arrays.find((a) => a.name === 'obj'), { name: 'obj', shape: [1], dtype: '|O', fortranOrder: false, refused: "object array ('|O'): its payload is a pickle, which is never unpickled; refused" });
  assert.equal(existsSync('/tmp/dd-pwned-fixture-npy-object'), false);
});

test('a ZIP without its end record is one InputError naming the file', async () => {
  await assert.rejects(readNpzDetailed(H('no-eocd.npz')), (e: unknown) => e instanceof InputError && /no-eocd\.npz.*no end-of-central-directory record/.test(e.message));
});

test('every hostile fixture yields a result or an InputError (never another exception)', async () => {
  for (const f of readdirSync(resolve(FIXTURES, 'hostile')).filter((n) => !n.endsWith('.py'))) {
    const path = H(f);
    const run = f.endsWith('.npz') ? readNpzDetailed(path) : f.endsWith('.npy') ? readNpy(path) : readPth(path);
    await run.catch((e: unknown) => { assert.ok(e instanceof InputError, `${f}: ${String(e)}`); });
  }
});

test('the checkpoint and npy readers contain no way to run code (no eval, Function, child_process, dynamic import, require)', () => {
  const dir = resolve(REPO_ROOT, 'src/ingest');
  const files = ['common/zip.ts', 'checkpoint-facts.ts', ...readdirSync(resolve(dir, 'pth')).map((f) => `pth/${f}`), ...readdirSync(resolve(dir, 'npy')).map((f) => `npy/${f}`)];
  for (const f of files) {
    const src = readFileSync(resolve(dir, f), 'utf8');
    assert.doesNotMatch(src, /\beval\s*\(|new Function|child_process|\bimport\s*\(|\brequire\s*\(|node:vm|worker_threads/, f);
  }
});
