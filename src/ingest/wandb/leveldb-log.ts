// The framing of a W&B `run-<id>.wandb` transaction log: a 7-byte file header (`:W&B`, u16 0xBEE1, u8 version),
// then LevelDB-log records in 32 KiB blocks counted from the start of the file. Each record: u32 checksum (zlib
// CRC-32 of the type byte then the data), u16 length, u8 type (FULL, or FIRST/MIDDLE/LAST pieces of one payload
// that crosses blocks), data. Fewer than 7 bytes left in a block are zero padding. Returns whole payloads.
import { crc32 } from './crc32.js';
import type { Note } from '../../model/types.js';

export const WANDB_MAGIC = ':W&B';
export const FILE_HEADER_BYTES = 7;
export const BLOCK_BYTES = 32 * 1024;
export const RECORD_HEADER_BYTES = 7;
export const TYPE_FULL = 1;
export const TYPE_FIRST = 2;
export const TYPE_MIDDLE = 3;
export const TYPE_LAST = 4;
/** After this many checksum notes only a count is given (a damaged file must not flood the report). */
const MAX_CRC_NOTES = 5;

/** True when `head` starts with the W&B transaction-log header. */
export function isWandbLog(head: Buffer): boolean {
  return head.length >= FILE_HEADER_BYTES && head.toString('latin1', 0, 4) === WANDB_MAGIC && head.readUInt16LE(4) === 0xbee1;
}

export interface LogPayload {
  data: Buffer;
  /** file offset of the (first) record header */
  offset: number;
}

/**
 * Splits `buf` (the whole file, or its first maxBytes) into record payloads. A zero-filled or cut tail ends the stream
 * (a run still writing, or killed); a bad checksum drops that record with a note; a length that runs past its block
 * cannot be resynchronised inside the block, so reading resumes at the next block.
 */
export function readLogPayloads(buf: Buffer, file: string, notes: Note[]): LogPayload[] {
  const out: LogPayload[] = [];
  if (!isWandbLog(buf)) {
    notes.push({ level: 'warn', file, offset: 0, message: 'not a W&B transaction log (no ":W&B" header)' });
    return out;
  }
  const crcOfType = [0, 1, 2, 3, 4].map((t) => crc32(Uint8Array.of(t)));
  let pos = FILE_HEADER_BYTES;
  let pieces: Buffer[] | null = null;
  let pieceStart = 0;
  let crcBad = 0;
  while (pos < buf.length) {
    const left = BLOCK_BYTES - (pos % BLOCK_BYTES);
    if (left < RECORD_HEADER_BYTES) { pos += left; continue; }
    if (pos + RECORD_HEADER_BYTES > buf.length) {
      if (buf.subarray(pos).some((b) => b !== 0)) notes.push({ level: 'warn', file, offset: pos, message: 'the transaction log ends inside a record header (cut off: the run was killed or is still writing)' });
      break;
    }
    const sum = buf.readUInt32LE(pos);
    const len = buf.readUInt16LE(pos + 4);
    const type = buf[pos + 6];
    if (sum === 0 && len === 0 && type === 0) {
      // zero fill: the writer pre-extends the file, so this is the end of what was written
      break;
    }
    const start = pos + RECORD_HEADER_BYTES;
    const end = start + len;
    if (type < TYPE_FULL || type > TYPE_LAST || len > left - RECORD_HEADER_BYTES) {
      notes.push({ level: 'warn', file, offset: pos, message: `bad record header (type ${type}, length ${len}); skipped to the next 32 KiB block` });
      pos += left;
      pieces = null;
      continue;
    }
    if (end > buf.length) {
      notes.push({ level: 'warn', file, offset: pos, message: `last record is cut off (${end - buf.length} bytes missing): the run was killed or is still writing` });
      break;
    }
    pos = end;
    if (crc32(buf, start, end, crcOfType[type]) !== sum) {
      crcBad++;
      if (crcBad <= MAX_CRC_NOTES) notes.push({ level: 'warn', file, offset: start - RECORD_HEADER_BYTES, message: 'record checksum mismatch; record skipped' });
      pieces = null;
      continue;
    }
    const data = buf.subarray(start, end);
    if (type === TYPE_FULL) out.push({ data, offset: start - RECORD_HEADER_BYTES });
    else if (type === TYPE_FIRST) { pieces = [data]; pieceStart = start - RECORD_HEADER_BYTES; }
    else if (pieces) {
      pieces.push(data);
      if (type === TYPE_LAST) { out.push({ data: Buffer.concat(pieces), offset: pieceStart }); pieces = null; }
    }
  }
  if (crcBad > MAX_CRC_NOTES) notes.push({ level: 'warn', file, message: `${crcBad} records in all failed their checksum` });
  return out;
}
