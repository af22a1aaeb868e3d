// Streams a text file as lines in bounded memory: chunked reads, CRLF and lone CR (tqdm) handled,
// invalid UTF-8 replaced (never thrown), and over-long lines cut with a note instead of buffering them whole.
import { StringDecoder } from 'node:string_decoder';
import { inputErrorFromFs, openForReading } from '../input-error.js';
import type { Note } from '../../model/types.js';

/** Lines longer than this are truncated (a 10 MB single line must not stall a reader that only wants short lines). */
export const MAX_LINE_CHARS = 64 * 1024;
const CHUNK_BYTES = 1 << 20;

export interface Line {
  /** 1-based physical line number (counted by '\n') */
  no: number;
  /**
   * text of the line without the terminator. A line holding tqdm '\r' redraws keeps only the text after the
   * last '\r' that is followed by more text (what a terminal would show).
   */
  text: string;
  /** byte offset of the line start */
  offset: number;
}

export interface ReadLinesOptions {
  /** where notes about cut lines go */
  notes?: Note[];
  /** stop after this many bytes (watch mode reads incrementally); default: whole file */
  start?: number;
  end?: number;
}

/** Keep what a terminal shows for a line with carriage returns: the last non-empty '\r' segment. */
export function lastCarriageSegment(s: string): string {
  if (!s.includes('\r')) return s;
  const parts = s.split('\r');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i].length > 0) return parts[i];
  return '';
}

/**
 * Async generator over the lines of `file`. Memory is bounded by CHUNK_BYTES + MAX_LINE_CHARS.
 * A final line without '\n' is yielded too (the run may still be writing).
 */
export async function* readLines(file: string, opts: ReadLinesOptions = {}): AsyncGenerator<Line> {
  const fh = await openForReading(file);
  try {
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let pos = opts.start ?? 0;
    const end = opts.end ?? Infinity;
    let pending = '';
    let pendingCut = false;
    let lineNo = 1;
    let lineStart = pos;
    let bytesInLine = 0;
    for (;;) {
      const want = Math.min(CHUNK_BYTES, end - pos);
      if (want <= 0) break;
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(buf, 0, want, pos));
      } catch (err) {
        throw inputErrorFromFs(file, err);
      }
      if (bytesRead === 0) break;
      // Split on '\n' at the byte level so offsets stay exact.
      let s = 0;
      for (;;) {
        const nl = buf.indexOf(10, s);
        const stop = nl === -1 || nl >= bytesRead ? bytesRead : nl;
        const piece = decoder.write(buf.subarray(s, stop));
        bytesInLine += stop - s;
        if (!pendingCut) {
          if (pending.length + piece.length > MAX_LINE_CHARS) {
            pending = (pending + piece).slice(0, MAX_LINE_CHARS);
            pendingCut = true;
          } else pending += piece;
        }
        if (stop === bytesRead) break;
        // end of line
        pending += decoder.end();
        if (pendingCut) opts.notes?.push({ level: 'warn', file, line: lineNo, message: `line is ${bytesInLine} bytes long; only the first ${MAX_LINE_CHARS} characters were read` });
        let text = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
        text = lastCarriageSegment(text);
        yield { no: lineNo, text, offset: lineStart };
        lineNo++;
        pending = '';
        pendingCut = false;
        bytesInLine = 0;
        lineStart = pos + stop + 1;
        s = stop + 1;
      }
      pos += bytesRead;
    }
    pending += decoder.end();
    if (pending.length > 0) {
      if (pendingCut) opts.notes?.push({ level: 'warn', file, line: lineNo, message: `line is ${bytesInLine} bytes long; only the first ${MAX_LINE_CHARS} characters were read` });
      yield { no: lineNo, text: lastCarriageSegment(pending.endsWith('\r') ? pending.slice(0, -1) : pending), offset: lineStart };
    }
  } finally {
    await fh.close();
  }
}
