// Tests for the guarded ZIP reader: real npz/pth containers, hand-built ZIP64 archives, and each guard's refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { openZip, openZipBuffer, withZip, unsafeEntryName } from '../../src/ingest/common/zip.js';
import { InputError } from '../../src/ingest/input-error.js';
import { FIXTURES, SHARED_RUNS, hasShared } from '../helpers/shared.js';

interface Spec {
  name: string;
  data: Buffer;
  method?: 0 | 8;
  /** force ZIP64 extra for these central-directory fields */
  zip64?: ('usize' | 'csize' | 'offset')[];
  flags?: number;
  crc?: number;
  /** local header sizes written as 0 (streamed writer with a data descriptor) */
  zeroLocalSizes?: boolean;
}

/** A minimal ZIP writer so each test can set exactly the fields it is about (why these inputs exist: no zip tool here writes ZIP64 for small files). */
function buildZip(specs: Spec[], opts: { zip64Eocd?: boolean; comment?: string } = {}): Buffer {
  const parts: Buffer[] = [];
  const cds: Buffer[] = [];
  let off = 0;
  for (const s of specs) {
    const method = s.method ?? 0;
    const stored = method === 8 ? deflateRawSync(s.data) : s.data;
    const name = Buffer.from(s.name);
    const crc = s.crc ?? crc32(s.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(45, 4); lh.writeUInt16LE(s.flags ?? 0, 6); lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(s.zeroLocalSizes ? 0 : crc, 14); lh.writeUInt32LE(s.zeroLocalSizes ? 0 : stored.length, 18);
    lh.writeUInt32LE(s.zeroLocalSizes ? 0 : s.data.length, 22); lh.writeUInt16LE(name.length, 26);
    // local extra: 12 bytes of padding (like torch's FB block) so the data offset differs from 30 + name length
    const lextra = Buffer.alloc(12); lextra.writeUInt16LE(0x4246, 0); lextra.writeUInt16LE(8, 2);
    lh.writeUInt16LE(lextra.length, 28);
    const z = s.zip64 ?? [];
    const vals: bigint[] = [];
    if (z.includes('usize')) vals.push(BigInt(s.data.length));
    if (z.includes('csize')) vals.push(BigInt(stored.length));
    if (z.includes('offset')) vals.push(BigInt(off));
    const extra = Buffer.alloc(vals.length ? 4 + 8 * vals.length : 0);
    if (vals.length) { extra.writeUInt16LE(1, 0); extra.writeUInt16LE(8 * vals.length, 2); vals.forEach((v, i) => extra.writeBigUInt64LE(v, 4 + 8 * i)); }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(45, 4); cd.writeUInt16LE(45, 6); cd.writeUInt16LE(s.flags ?? 0, 8); cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(z.includes('csize') ? 0xffffffff : stored.length, 20);
    cd.writeUInt32LE(z.includes('usize') ? 0xffffffff : s.data.length, 24);
    cd.writeUInt16LE(name.length, 28); cd.writeUInt16LE(extra.length, 30);
    cd.writeUInt32LE(z.includes('offset') ? 0xffffffff : off, 42);
    cds.push(cd, name, extra);
    parts.push(lh, name, lextra, stored);
    off += lh.length + name.length + lextra.length + stored.length;
  }
  const cdBuf = Buffer.concat(cds);
  const cdOff = off;
  const tail: Buffer[] = [];
  const comment = Buffer.from(opts.comment ?? '');
  if (opts.zip64Eocd) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0); z.writeBigUInt64LE(44n, 4); z.writeUInt16LE(45, 12); z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(specs.length), 24); z.writeBigUInt64LE(BigInt(specs.length), 32);
    z.writeBigUInt64LE(BigInt(cdBuf.length), 40); z.writeBigUInt64LE(BigInt(cdOff), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0); loc.writeBigUInt64LE(BigInt(cdOff + cdBuf.length), 8); loc.writeUInt32LE(1, 16);
    tail.push(z, loc);
  }
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(opts.zip64Eocd ? 0xffff : specs.length, 8); e.writeUInt16LE(opts.zip64Eocd ? 0xffff : specs.length, 10);
  e.writeUInt32LE(opts.zip64Eocd ? 0xffffffff : cdBuf.length, 12); e.writeUInt32LE(opts.zip64Eocd ? 0xffffffff : cdOff, 16);
  e.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...parts, cdBuf, ...tail, e, comment]);
}

const A = Buffer.from('alpha-data');
const B = Buffer.from('b'.repeat(5000));

test('ZIP64 end record + locator and ZIP64 extras holding only the saturated fields, in order', async () => {
  const buf = buildZip([
    { name: 'all.bin', data: A, zip64: ['usize', 'csize', 'offset'] },
    { name: 'offset-only.bin', data: B, method: 8, zip64: ['offset'] },
    { name: 'sizes.bin', data: A, zip64: ['usize', 'csize'] },
  ], { zip64Eocd: true, comment: 'a trailing comment' });
  const zip = await openZipBuffer(buf, 'z64.zip');
  assert.deepEqual(zip.entries.map((e) => e.name), ['all.bin', 'offset-only.bin', 'sizes.bin']);
  assert.deepEqual(await zip.read(zip.get('all.bin')!), A);
  assert.deepEqual(await zip.read(zip.get('offset-only.bin')!), B);
  assert.deepEqual(await zip.read(zip.get('sizes.bin')!), A);
  // data offset = local header + 30 + name + the LOCAL extra (12 bytes here)
  assert.equal(zip.get('all.bin')!.dataOffset, 30 + 'all.bin'.length + 12);
  assert.deepEqual(zip.notes, []);
});

test('data descriptor flag with zero local sizes: sizes come from the central directory', async () => {
  const zip = await openZipBuffer(buildZip([{ name: 'x', data: B, method: 8, flags: 0x08, zeroLocalSizes: true }]), 'dd.zip');
  assert.deepEqual(await zip.read(zip.entries[0]), B);
});

test('real containers: features.npz (deflated) and a torch.save archive (stored, 64-byte aligned records)', async () => {
  await withZip(resolve(SHARED_RUNS, 'healthy', 'features.npz'), async (zip) => {
    assert.equal(zip.entries.length, 8);
    const e = zip.get('source_features.npy')!;
    // python3 zipfile: compress_type 8, file_size 115328, compress_size 57240
    assert.deepEqual([e.method, e.uncompressedSize, e.compressedSize], [8, 115328, 57240]);
    assert.equal((await zip.read(e)).length, 115328);
    assert.deepEqual(zip.notes, []);
  });
  await withZip(resolve(SHARED_RUNS, 'healthy', 'checkpoints', 'latest.pth'), async (zip) => {
    assert.equal(zip.entries.length, 17);
    assert.equal(zip.entries[0].name, 'latest/data.pkl');
    for (const e of zip.entries) assert.equal(e.dataOffset % 64, 0, e.name);
    // python3 zipfile: latest/data/0 file_size 576 (16*1*3*3 float32)
    assert.equal(zip.get('latest/data/0')!.uncompressedSize, 576);
  });
});

test('guards: entry count, configurable size limit, unsupported method, CRC mismatch, unsafe names', async () => {
  const two = buildZip([{ name: 'a', data: A }, { name: 'b', data: A }]);
  await assert.rejects(openZipBuffer(two, 'many.zip', { maxEntries: 1 }), (e: unknown) => e instanceof InputError && /2 entries is over the limit of 1/.test(e.message));
  const small = await openZipBuffer(buildZip([{ name: 'big', data: B }, { name: 'a', data: A }]), 'lim.zip', { maxEntryBytes: 100 });
  assert.deepEqual(small.entries.map((e) => e.name), ['a']);
  assert.match(small.notes[0].message, /'big' refused: declared size 5000 bytes is over the 100-byte limit/);
  const m12 = buildZip([{ name: 'bz', data: A }]);
  m12.writeUInt16LE(12, m12.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10); // central directory: method 12 (bzip2)
  const z12 = await openZipBuffer(m12, 'bz.zip');
  await assert.rejects(z12.read(z12.entries[0]), /unsupported compression method 12/);
  const bad = await openZipBuffer(buildZip([{ name: 'c', data: A, crc: 1234 }]), 'crc.zip');
  assert.deepEqual(await bad.read(bad.entries[0]), A);
  assert.match(bad.notes.at(-1)!.message, /'c': CRC-32 mismatch/);
  assert.deepEqual(['ok/a.npy', '../x', 'a/../../x', '/etc/passwd', '\\x', 'C:x', 'a\0b'].map((n) => unsafeEntryName(n) ?? 'ok'),
    ['ok', "contains a '..' segment", "contains a '..' segment", 'is an absolute path', 'is an absolute path', 'has a drive letter', 'contains a NUL byte']);
});

test('truncation and garbage: one InputError naming the file and an offset', async () => {
  const good = buildZip([{ name: 'a', data: B }]);
  await assert.rejects(openZipBuffer(good.subarray(0, 100), 'cut.zip'), (e: unknown) => e instanceof InputError && /cut\.zip.*no end-of-central-directory/.test(e.message) && e.offset === 100);
  await assert.rejects(openZipBuffer(Buffer.alloc(10), 'tiny.zip'), /too short for a ZIP/);
  // central directory offset pointing past the file
  const lying = Buffer.from(good);
  lying.writeUInt32LE(0x7fffffff, lying.length - 6);
  await assert.rejects(openZipBuffer(lying, 'cd.zip'), /central directory .* lies outside the file/);
  // ZIP64 locator pointing at nothing
  const z = buildZip([{ name: 'a', data: A }], { zip64Eocd: true });
  z.writeBigUInt64LE(3n, z.length - 22 - 20 + 8);
  await assert.rejects(openZipBuffer(z, 'loc.zip'), /ZIP64 locator points to no ZIP64 end-of-central-directory record/);
  await assert.rejects(openZip(resolve(FIXTURES, 'npy')), InputError);
});

test('from a file, records are read where they lie: a long comment, a central directory far from the end, ZIP64', async () => {
  // openZip reads the last few KB first and only then the longest tail a comment allows; the archive it sees must be
  // the one openZipBuffer sees from the same bytes (entries, offsets, notes, member bytes)
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'dd-zip-'));
  try {
    const big = Buffer.alloc(40_000, 7);
    const cases: [string, Buffer][] = [
      ['comment.zip', buildZip([{ name: 'a', data: A }, { name: 'b', data: B, method: 8 }], { comment: 'x'.repeat(30_000) })],
      ['cd-far.zip', buildZip([{ name: 'a', data: A }, { name: 'big', data: big }], { comment: 'y'.repeat(20_000) })],
      ['z64.zip', buildZip([{ name: 'big', data: big }, { name: 'b', data: B, zip64: ['offset'] }], { zip64Eocd: true })],
      ['plain.zip', buildZip([{ name: 'big', data: big }, { name: 'a', data: A }])],
    ];
    for (const [name, bytes] of cases) {
      const file = join(dir, name);
      await writeFile(file, bytes);
      const fromBuf = await openZipBuffer(bytes, file);
      await withZip(file, async (zip) => {
        assert.deepEqual(zip.entries, fromBuf.entries, name);
        assert.deepEqual(zip.notes, [], name);
        for (const e of zip.entries) assert.deepEqual(await zip.read(e), await fromBuf.read(e), `${name}: ${e.name}`);
      });
    }
    // a comment that does not fit before the file's end is no EOCD, however the tail was read
    const cut = cases[0][1].subarray(0, cases[0][1].length - 10);
    await writeFile(join(dir, 'cut.zip'), cut);
    await assert.rejects(openZip(join(dir, 'cut.zip')), /no end-of-central-directory/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
