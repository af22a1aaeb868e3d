// Streams a log's lines like readLines, but offers each line's raw bytes to a fast path first, so the hot training
// lines of a big log are parsed without building a string (readLines alone runs at about 0.1x of `grep -c`).
import { inputErrorFromFs, openForReading } from '../input-error.js';
import { lastCarriageSegment, MAX_LINE_CHARS } from '../read-lines.js';
import type { Note } from '../../model/types.js';

const CHUNK_BYTES = 1 << 20;
/** A line longer than this many bytes is cut: MAX_LINE_CHARS characters need at most 4 bytes each in UTF-8. */
const MAX_LINE_BYTES = MAX_LINE_CHARS * 4;

export interface LineSink {
  /**
   * Offered first, with the line's bytes [start, end) (no '\n'; a final '\r' still there). Return true when the line
   * was fully handled; false sends it to `text` as a decoded string.
   */
  bytes(buf: Buffer, start: number, end: number, no: number): boolean;
  /** The line as readLines would yield it: UTF-8 decoded (bad bytes replaced), CRLF and tqdm '\r' redraws handled. */
  text(no: number, text: string): void;
  /** Called before the buffer passed to `bytes` is overwritten: byte ranges kept from it must be copied now. */
  chunkEnd?(): void;
}

export interface ScanResult {
  lines: number;
  /** false when the last line had no '\n' (a cut line, or a run still writing) */
  endsWithNewline: boolean;
}

/**
 * Calls the sink for every line of `file` in order; memory is bounded by CHUNK_BYTES + MAX_LINE_BYTES. Same line
 * numbering and text as readLines (src/ingest/read-lines.ts); an over-long line is cut to MAX_LINE_CHARS with a note.
 * Throws InputError when the file cannot be opened or read.
 */
export async function scanLines(file: string, sink: LineSink, opts: { notes?: Note[]; end?: number } = {}): Promise<ScanResult> {
  const fh = await openForReading(file);
  const end = opts.end ?? Infinity;
  const buf = Buffer.allocUnsafe(CHUNK_BYTES + MAX_LINE_BYTES);
  let have = 0; // valid bytes in buf; buf[0] is the start of the current (partial) line
  let pos = 0; // file position of buf[have]
  let no = 1;
  let cutBytes = 0; // > 0: the current line is over-long; its first MAX_LINE_BYTES are kept, this many seen in all
  let endsWithNewline = true;
  const emitText = (s: number, e: number): void => {
    let t = buf.toString('utf8', s, e);
    if (t.length > MAX_LINE_CHARS) t = t.slice(0, MAX_LINE_CHARS);
    if (t.endsWith('\r')) t = t.slice(0, -1);
    sink.text(no, lastCarriageSegment(t));
  };
  const noteCut = (): void => {
    opts.notes?.push({ level: 'warn', file, line: no, message: `line is ${cutBytes} bytes long; only the first ${MAX_LINE_CHARS} characters were read` });
  };
  try {
    for (;;) {
      const want = Math.min(buf.length - have, end - pos);
      let bytesRead = 0;
      if (want > 0) {
        try {
          ({ bytesRead } = await fh.read(buf, have, want, pos));
        } catch (err) {
          throw inputErrorFromFs(file, err);
        }
      }
      if (bytesRead === 0) break;
      pos += bytesRead;
      const stop = have + bytesRead;
      let s = 0;
      let scanFrom = have;
      for (;;) {
        const nl = buf.indexOf(10, scanFrom);
        if (nl === -1 || nl >= stop) break;
        if (cutBytes > 0) {
          cutBytes += nl - scanFrom;
          noteCut();
          emitText(0, Math.min(MAX_LINE_BYTES, nl));
          cutBytes = 0;
        } else if (!sink.bytes(buf, s, nl, no)) emitText(s, nl);
        no++;
        s = nl + 1;
        scanFrom = s;
      }
      sink.chunkEnd?.();
      // carry the partial line to the front
      if (cutBytes > 0) {
        cutBytes += stop - scanFrom;
        have = MAX_LINE_BYTES;
      } else if (stop - s > MAX_LINE_BYTES) {
        buf.copyWithin(0, s, s + MAX_LINE_BYTES);
        cutBytes = stop - s;
        have = MAX_LINE_BYTES;
      } else {
        buf.copyWithin(0, s, stop);
        have = stop - s;
      }
    }
    if (cutBytes > 0) {
      noteCut();
      emitText(0, MAX_LINE_BYTES);
      endsWithNewline = false;
    } else if (have > 0) {
      if (!sink.bytes(buf, 0, have, no)) emitText(0, have);
      endsWithNewline = false;
    } else no--;
  } finally {
    await fh.close();
  }
  return { lines: no, endsWithNewline };
}
