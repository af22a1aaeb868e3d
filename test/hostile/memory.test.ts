// Issue 16.3: memory budgets — the unpickler's stacks and memo over every MARK level, inflated bytes per archive, and
// the storage behind a view (not the view) counted against maxBytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unpickle } from '../../src/ingest/pth/pickle-vm.js';
import { readPthBuffer } from '../../src/ingest/pth/read-pth.js';
import { openZipBuffer } from '../../src/ingest/common/zip.js';
import { InputError } from '../../src/ingest/input-error.js';
import { markLevelsBomb, builtListsBomb, deflatedStorageBomb, stateDictPickle, torchZip, storedMember, deflatedMember, zipOf, float32s } from '../../bench/fuzz/hostile-inputs.js';

test('( + }x999000 repeated 30 times (30 MB) stops at the budget instead of holding 30M dicts', () => {
  const bomb = markLevelsBomb(30, 999_000);
  assert.ok(bomb.length > 29e6);
  assert.throws(() => unpickle(bomb, { file: 'bomb.pkl', notes: [] }), (e: unknown) => e instanceof InputError && /memory budget/.test(e.message));
});

test('the stack budget counts every MARK level: 30 levels of 100k Nones pass a 1M-per-level check but not the total', () => {
  const bomb = markLevelsBomb(30, 100_000, 0x4e);
  assert.throws(() => unpickle(bomb, { file: 'nones.pkl', notes: [] }), /stack over 1000000 items \(every MARK level and the memo together/);
  // and the same shape under the budget is fine (levels never closed: a STOP inside open marks is a note)
  const notes: { message: string }[] = [];
  unpickle(markLevelsBomb(3, 1000, 0x4e), { file: 'ok.pkl', notes: notes as never });
});

test('lists built and appended away (never on the stack) still count', () => {
  assert.throws(() => unpickle(builtListsBomb(30, 999_000), { file: 'lists.pkl', notes: [] }), /containers and objects built \(memory budget\)/);
});

test('torch.save with four 1 GiB deflated-zero storages behind one-element tensors (a 4 MB file) inflates nothing', async () => {
  const file = deflatedStorageBomb(1024 ** 3, 4);
  assert.ok(file.length < 5e6, `${file.length}`);
  const r = await readPthBuffer(file, 'bomb.pth');
  assert.equal(r.stateDict.size, 0);
  assert.equal(r.notes.filter((n) => /would pass the archive's \d+-byte total/.test(n.message)).length, 4);
});

test('the inflate budget is per archive, not per entry', async () => {
  const mib = (n: number) => deflatedMember(`m${n}`, Buffer.alloc(n << 20));
  const zip = await openZipBuffer(zipOf([mib(3), mib(3), mib(3)]), 'x.zip', { maxTotalBytes: 7 << 20 });
  await zip.read(zip.entries[0]);
  await zip.read(zip.entries[1]);
  await assert.rejects(zip.read(zip.entries[2]), /would pass the archive's 7340032-byte total \(6291456 inflated so far/);
  await zip.close();
});

test('a one-element view of a large stored storage reads 4 bytes, not the storage', async () => {
  const numel = 16 << 20; // 64 MiB of float32
  const storage = float32s(numel, (i) => (i === 12345 ? 7.5 : 0));
  const file = torchZip(stateDictPickle([{ name: 'w', key: '0', numel, shape: [1], offset: 12345 }]), [storedMember('0', storage)]);
  const r = await readPthBuffer(file, 'view.pth', { maxBytes: 1024 });
  const w = r.stateDict.get('w');
  assert.ok(w, r.notes.map((n) => n.message).join('; '));
  assert.equal(w.data[0], 7.5);
  // deflated: the whole storage must be inflated, so it is charged against maxBytes and refused
  const deflated = torchZip(stateDictPickle([{ name: 'w', key: '0', numel, shape: [1], offset: 12345 }]), [deflatedMember('0', storage)]);
  const d = await readPthBuffer(deflated, 'view-deflated.pth', { maxBytes: 1 << 20 });
  assert.equal(d.stateDict.size, 0);
  assert.match(d.notes.map((n) => n.message).join('\n'), /inflates to 67108864 bytes, past the maxBytes limit/);
});
