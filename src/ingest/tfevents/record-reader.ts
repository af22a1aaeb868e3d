// Streams the TFRecord framing of a tfevents file in bounded memory, checking both masked CRC32Cs of every record.
import { inputErrorFromFs, openForReading } from '../input-error.js';
import { maskedCrc32c } from './crc32c.js';
import type { Note } from '../../model/types.js';

/** Read granularity: large enough that a 1 GB file of tiny scalar events is a few hundred reads. */
const CHUNK_BYTES = 4 << 20;
/** Records above this (embedded images, graphs) are skipped unread; a scalar event is under 200 bytes. */
export const MAX_RECORD_BYTES = 64 << 20;
/** After this many CRC mismatch notes in one file, only a count is added (a corrupt file must not flood the report). */
const MAX_CRC_NOTES = 5;
const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

/** Called once per intact record: the payload is `buf[start, end)`, valid only during the call. */
export type OnRecord = (buf: Buffer, start: number, end: number, offset: number) => void;

export interface RecordReadOptions {
  notes: Note[];
  /** default true; a data CRC mismatch skips the record with a note */
  verifyCrc?: boolean;
  maxBytes?: number;
  /** read size; tests make it tiny to exercise records that straddle reads */
  chunkBytes?: number;
}

/**
 * Calls `onRecord` for each record's payload, synchronously inside each read chunk (no promise per record: a 1 GB
 * file holds tens of millions of them). A short read at the end (the file is still being written, or the job
 * crashed mid-record) ends the stream with a note; a corrupt length header ends it too, since the framing cannot be
 * resynchronised.
 */
export async function readTfRecords(file: string, opts: RecordReadOptions, onRecord: OnRecord): Promise<void> {
  const verify = opts.verifyCrc ?? true;
  const fh = await openForReading(file);
  try {
    const size = (await fh.stat()).size;
    let limit = size;
    if (opts.maxBytes !== undefined && opts.maxBytes < size) {
      limit = opts.maxBytes;
      opts.notes.push({ level: 'warn', file, offset: limit, message: `read only the first ${limit} of ${size} bytes (size limit)` });
    }
    let buf = Buffer.allocUnsafe(opts.chunkBytes ?? CHUNK_BYTES);
    let bufFileOffset = 0; // file offset of buf[0]
    let have = 0; // valid bytes in buf
    let pos = 0; // parse position in buf
    let crcBad = 0;
    const fill = async (need: number): Promise<boolean> => {
      // make buf[pos, pos+need) valid, reading more of the file; false at end of input
      if (have - pos >= need) return true;
      if (pos > 0) {
        buf.copy(buf, 0, pos, have);
        bufFileOffset += pos;
        have -= pos;
        pos = 0;
      }
      if (need > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      while (have < need) {
        const want = Math.min(buf.length - have, limit - (bufFileOffset + have));
        if (want <= 0) return false;
        let bytesRead: number;
        try {
          ({ bytesRead } = await fh!.read(buf, have, want, bufFileOffset + have));
        } catch (err) {
          throw inputErrorFromFs(file, err);
        }
        if (bytesRead === 0) return false;
        have += bytesRead;
      }
      return true;
    };
    for (;;) {
      const offset = bufFileOffset + pos;
      if (offset >= limit) break;
      if (!(await fill(HEADER_BYTES))) {
        opts.notes.push({ level: 'warn', file, offset, message: `truncated record header at the end (${limit - offset} bytes); the run may still be writing` });
        break;
      }
      const len = buf.readUInt32LE(pos) + buf.readUInt32LE(pos + 4) * 2 ** 32;
      if (maskedCrc32c(buf, pos, pos + 8) !== buf.readUInt32LE(pos + 8)) {
        opts.notes.push({ level: 'warn', file, offset, message: 'record length field fails its CRC; the rest of the file cannot be framed and was not read' });
        break;
      }
      const total = HEADER_BYTES + len + FOOTER_BYTES;
      if (offset + total > limit) {
        opts.notes.push({ level: 'warn', file, offset, message: `last record is cut short (${limit - offset} of ${total} bytes); the run may still be writing` });
        break;
      }
      if (len > MAX_RECORD_BYTES) {
        opts.notes.push({ level: 'info', file, offset, message: `skipped a ${len}-byte record (larger than ${MAX_RECORD_BYTES}; not a scalar)` });
        bufFileOffset = offset + total;
        have = 0;
        pos = 0;
        continue;
      }
      if (!(await fill(total))) break; // cannot happen after the size check unless the file shrank
      const dStart = pos + HEADER_BYTES;
      const dEnd = dStart + len;
      pos += total;
      if (verify && maskedCrc32c(buf, dStart, dEnd) !== buf.readUInt32LE(dEnd)) {
        crcBad++;
        if (crcBad <= MAX_CRC_NOTES) opts.notes.push({ level: 'warn', file, offset, message: 'record data fails its CRC32C; record skipped' });
        continue;
      }
      onRecord(buf, dStart, dEnd, offset);
    }
    if (crcBad > MAX_CRC_NOTES) opts.notes.push({ level: 'warn', file, message: `${crcBad} records in all failed their CRC32C and were skipped` });
  } finally {
    await fh.close();
  }
}
