// A features.npz as NumPy writes it (np.savez: a stored zip of .npy v1.0 members), so a re-run's arrays are read
// back by the same reader as a run's own dump, and by NumPy too (`np.load(path)` on the cached file works).
import { crc32 } from 'node:zlib';
import type { NdArray } from '../model/ndarray.js';

/** Plain zip (no zip64): members and offsets must stay below 4 GiB. */
const ZIP32_LIMIT = 0xffffffff;

const DESCR: Partial<Record<NdArray['dtype'], string>> = { f4: '<f4', f8: '<f8', i4: '<i4', u1: '|u1', i1: '|i1', b1: '|b1' };

/** One .npy v1.0 file: magic, header dict padded so the data starts on a 64-byte boundary, the raw data. */
export function npyBytes(a: NdArray): Buffer {
  const descr = DESCR[a.dtype];
  if (!descr) throw new Error(`npy writer: dtype ${a.dtype} is not supported`);
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pre = 10; // magic (6) + version (2) + header length (2)
  header += ' '.repeat((64 - ((pre + header.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(pre);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

/** np.savez's layout: `<name>.npy` members, stored (no compression). */
export function npzBytes(arrays: ReadonlyMap<string, NdArray>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    const data = npyBytes(a);
    const fname = Buffer.from(`${name}.npy`, 'utf8');
    if (data.length > ZIP32_LIMIT || offset > ZIP32_LIMIT) throw new Error(`npz writer: ${name} does not fit a plain zip (over 4 GiB)`);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fname.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(fname.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, fname, data);
    central.push(cd, fname);
    offset += 30 + fname.length + data.length;
  }
  const cdSize = central.reduce((s, b) => s + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(arrays.size, 8);
  end.writeUInt16LE(arrays.size, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}
