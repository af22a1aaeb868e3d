// Generators for the hostile-input families of issue 16 (memory bombs, feature dumps with absurd shapes or labels):
// each builds its input in memory from a few parameters, so tests and `npm run fuzz` need no large fixtures.
import { crc32, deflateRawSync, constants as zlibConstants } from 'node:zlib';

export interface ZipMember {
  name: string;
  /** bytes as stored in the archive (already deflated when method is 8) */
  data: Buffer;
  method: 0 | 8;
  crc: number;
  size: number;
}

export function storedMember(name: string, data: Buffer): ZipMember {
  return { name, data, method: 0, crc: crc32(data) >>> 0, size: data.length };
}

export function deflatedMember(name: string, data: Buffer): ZipMember {
  return { name, data: deflateRawSync(data), method: 8, crc: crc32(data) >>> 0, size: data.length };
}

/** A plain ZIP (no zip64: every size under 4 GiB), entries in order. */
export function zipOf(members: ZipMember[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let off = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(m.method, 8);
    local.writeUInt32LE(m.crc, 14);
    local.writeUInt32LE(m.data.length, 18);
    local.writeUInt32LE(m.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(m.method, 10);
    cd.writeUInt32LE(m.crc, 16);
    cd.writeUInt32LE(m.data.length, 20);
    cd.writeUInt32LE(m.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(off, 42);
    central.push(cd, name);
    parts.push(local, name, m.data);
    off += 30 + name.length + m.data.length;
  }
  const cdBytes = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cdBytes.length, 12);
  eocd.writeUInt32LE(off, 16);
  return Buffer.concat([...parts, cdBytes, eocd]);
}

/**
 * `n` zero bytes (n a multiple of 1 MiB), deflated: one sync-flushed 1 MiB segment repeated, then a final empty
 * block (each segment ends byte-aligned and refers only to itself, so the concatenation is one valid stream).
 * A 1 GiB member is ~1 MB and is built in well under a second.
 */
export function deflatedZeros(n: number): { data: Buffer; crc: number } {
  const MIB = 1 << 20;
  const zeros = Buffer.alloc(MIB);
  const segment = deflateRawSync(zeros, { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const count = Math.ceil(n / MIB);
  let crc = 0;
  for (let i = 0; i < count; i++) crc = crc32(zeros, crc);
  return { data: Buffer.concat([...Array.from({ length: count }, () => segment), deflateRawSync(Buffer.alloc(0))]), crc: crc >>> 0 };
}

// --- pickles ---------------------------------------------------------------------------------------------------

const op = (s: string): Buffer => Buffer.from(s, 'latin1');
function unicode(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const h = Buffer.alloc(5);
  h[0] = 0x58; // BINUNICODE
  h.writeUInt32LE(b.length, 1);
  return Buffer.concat([h, b]);
}
function binint(n: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = 0x4a; // BININT
  b.writeInt32LE(n, 1);
  return b;
}
const global = (mod: string, name: string) => op(`c${mod}\n${name}\n`);

/**
 * `(` then `}` x perLevel, `levels` times: every MARK level holds its own stack of empty dicts (issue 16.3). With
 * item 0x4e (`N`, None) the levels hold no objects, only stack slots.
 */
export function markLevelsBomb(levels = 30, perLevel = 999_000, item = 0x7d): Buffer {
  const level = Buffer.concat([op('('), Buffer.alloc(perLevel, item)]);
  return Buffer.concat([op('\x80\x02'), ...Array.from({ length: levels }, () => level), op('N.')]);
}

/** `]` `(` `}` x perList `e` repeated: lists built and dropped (POP) never sit on the stack, yet fill memory. */
export function builtListsBomb(lists = 30, perList = 999_000): Buffer {
  const one = Buffer.concat([op(']('), Buffer.alloc(perList, 0x7d), op('e')]);
  return Buffer.concat([op('\x80\x02]'), ...Array.from({ length: lists }, () => Buffer.concat([one, op('a')])), op('.')]);
}

/**
 * torch.save-style data.pkl: {name: tensor} with each tensor a view (offset, shape) on storage `key` of `numel`
 * float32 elements. `extraGlobal` adds an entry calling a non-allow-listed global (a payload that must not run).
 */
export function stateDictPickle(tensors: { name: string; key: string; numel: number; shape: number[]; offset?: number }[], extraGlobal?: [string, string]): Buffer {
  const parts: Buffer[] = [op('\x80\x02}(')];
  for (const t of tensors) {
    const stride = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    parts.push(
      unicode(t.name),
      global('torch._utils', '_rebuild_tensor_v2'),
      op('('),
      op('('), unicode('storage'), global('torch', 'FloatStorage'), unicode(t.key), unicode('cpu'), binint(t.numel), op('tQ'),
      binint(t.offset ?? 0),
      op('('), ...t.shape.map(binint), op('t'),
      op('('), ...stride.map(binint), op('t'),
      op('\x89'),
      global('collections', 'OrderedDict'), op(')R'),
      op('tR'),
    );
  }
  if (extraGlobal) parts.push(unicode('payload'), global(extraGlobal[0], extraGlobal[1]), op('('), unicode('echo pwned'), op('tR'));
  parts.push(op('u.'));
  return Buffer.concat(parts);
}

/** A torch.save zip: archive/data.pkl, archive/byteorder, archive/data/<key> members as given. */
export function torchZip(pickle: Buffer, storages: ZipMember[]): Buffer {
  return zipOf([
    storedMember('archive/data.pkl', pickle),
    storedMember('archive/byteorder', Buffer.from('little')),
    ...storages.map((s) => ({ ...s, name: `archive/data/${s.name}` })),
  ]);
}

/** Four one-element tensors whose storages are each `bytesEach` of deflated zeros (issue 16.3: 4 MB file, 4 GiB). */
export function deflatedStorageBomb(bytesEach = 1024 ** 3, count = 4): Buffer {
  const z = deflatedZeros(bytesEach);
  const numel = bytesEach / 4;
  const tensors = Array.from({ length: count }, (_, i) => ({ name: `w${i}`, key: String(i), numel, shape: [1] }));
  return torchZip(stateDictPickle(tensors), tensors.map((t) => ({ name: t.key, data: z.data, method: 8 as const, crc: z.crc, size: bytesEach })));
}

// --- numpy -----------------------------------------------------------------------------------------------------

/** An .npy file: header for `descr`/`shape`, then `data` (may be shorter than the shape says, for lying files). */
export function npyOf(descr: string, shape: number[], data: Buffer = Buffer.alloc(0)): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

export function int64s(values: (number | bigint)[]): Buffer {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeBigInt64LE(BigInt(v), i * 8));
  return b;
}

export function float32s(n: number, fill: (i: number) => number = () => 0): Buffer {
  const b = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) b.writeFloatLE(fill(i), i * 4);
  return b;
}

/** features.npz with the members given (name without .npy), stored. */
export function npzOf(members: Record<string, Buffer>, deflate = false): Buffer {
  return zipOf(Object.entries(members).map(([k, v]) => (deflate ? deflatedMember(`${k}.npy`, v) : storedMember(`${k}.npy`, v))));
}
