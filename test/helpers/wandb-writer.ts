// Writes small W&B `run-<id>.wandb` transaction logs for tests, following the framing W&B's datastore.py writes:
// 7-byte header (`:W&B`, u16 0xBEE1, u8 0), then records in 32 KiB blocks counted from the file start, each
// u32 CRC-32 (zlib, of the type byte then the data), u16 length, u8 type (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST);
// under 7 bytes left in a block are zero-padded. Payloads are hand-encoded wandb_internal.Record protobufs.
import { crc32 } from '../../src/ingest/wandb/crc32.js';

const BLOCK = 32 * 1024;
const HDR = 7;

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) { out.push((v % 128) | 0x80); v = Math.floor(v / 128); }
  out.push(v);
  return out;
}
function key(field: number, wire: number): number[] { return varint(field * 8 + wire); }
function lenField(field: number, bytes: Uint8Array | number[]): number[] { return [...key(field, 2), ...varint(bytes.length), ...bytes]; }
function str(field: number, s: string): number[] { return lenField(field, [...Buffer.from(s, 'utf8')]); }

/** Record{num, history: HistoryRecord{item: [{key, value_json}], step: {num}}} */
export function historyRecord(num: number, step: number, values: Record<string, string>): Buffer {
  const items = Object.entries({ ...values, _step: String(step) }).flatMap(([k, v]) => lenField(1, [...str(1, k), ...str(16, v)]));
  const hist = [...items, ...lenField(2, [...key(1, 0), ...varint(step)])];
  return Buffer.from([...key(1, 0), ...varint(num), ...lenField(2, hist)]);
}

/** Record{num, exit: RunExitRecord{exit_code, runtime}} */
export function exitRecord(num: number, exitCode: number, runtime: number): Buffer {
  const code = exitCode < 0 ? varint(2 ** 32 + exitCode) : varint(exitCode);
  return Buffer.from([...key(1, 0), ...varint(num), ...lenField(18, [...key(1, 0), ...code, ...key(2, 0), ...varint(runtime)])]);
}

/** Any other record kind (here a `run` record, field 17) the reader must step over. */
export function otherRecord(num: number, filler: number): Buffer {
  return Buffer.from([...key(1, 0), ...varint(num), ...lenField(17, [...str(1, 'x'.repeat(filler))])]);
}

export interface WriteOptions {
  /** zero bytes appended after the last record (W&B pre-extends the file) */
  zeroTail?: number;
  /** flip one byte of the n-th record's data (checksum mismatch) */
  corruptRecord?: number;
}

/** The whole file for these payloads, split into FIRST/MIDDLE/LAST pieces where a payload crosses a block. */
export function wandbLog(payloads: Buffer[], opts: WriteOptions = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00])];
  let pos = HDR;
  payloads.forEach((data, idx) => {
    let off = 0;
    let first = true;
    do {
      const left = BLOCK - (pos % BLOCK);
      if (left < HDR) { parts.push(Buffer.alloc(left)); pos += left; continue; }
      const n = Math.min(data.length - off, left - HDR);
      const last = off + n === data.length;
      const type = first && last ? 1 : first ? 2 : last ? 4 : 3;
      const piece = Buffer.from(data.subarray(off, off + n));
      const h = Buffer.alloc(HDR);
      h.writeUInt32LE(crc32(piece, 0, piece.length, crc32(Uint8Array.of(type))), 0);
      h.writeUInt16LE(n, 4);
      h[6] = type;
      if (opts.corruptRecord === idx && piece.length) piece[0] ^= 0xff;
      parts.push(h, piece);
      pos += HDR + n;
      off += n;
      first = false;
    } while (off < data.length);
  });
  if (opts.zeroTail) parts.push(Buffer.alloc(opts.zeroTail));
  return Buffer.concat(parts);
}
