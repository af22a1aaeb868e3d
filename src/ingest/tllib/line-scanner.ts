// Streams a log's lines like readLines, but offers each line's raw bytes to a fast path first, so the hot training
// lines of a big log are parsed without building a string (readLines alone runs at about 0.1x of `grep -c`).
import { inputErrorFromFs, openForReading } from '../input-error.js';
import { lastCarriageSegment, MAX_LINE_CHARS } from '../common/read-lines.js';
import type { Note } from '../../model/types.js';

const CHUNK_BYTES = 1 << 20;
/**
 * A turn of the event loop every this many chunks (~20 ms of parsing): reads are synchronous calls behind resolved
 * promises, so without it a multi-gigabyte log would hold off Ctrl-C and timers until its end.
 */
const YIELD_EVERY_CHUNKS = 8;
/** A line longer than this many bytes is cut: MAX_LINE_CHARS characters need at most 4 bytes each in UTF-8. */
const MAX_LINE_BYTES = MAX_LINE_CHARS * 4;

export interface LineSink {
  /**
   * Offered first, with the line's bytes [start, end) (no '\n'; a final '\r' still there). Return true when the line
   * was fully handled; false sends it to `text` as a decoded string.
   */
  bytes(buf: Buffer, start: number, end: number, no: number): boolean;
  /**
   * Optional bulk path, offered the rest of the chunk after each line that `bytes` handled (that line is
   * buf[last, start - 1)): it may take whole lines (each ending in '\n' before `stop`) from `start` on, numbered from
   * `no`, as `bytes` would have one by one. Returns how many it took, with where the next line starts in `at.end`.
   */
  run?(buf: Buffer, last: number, start: number, stop: number, no: number, at: RunEnd): number;
  /** The line as readLines would yield it: UTF-8 decoded (bad bytes replaced), CRLF and tqdm '\r' redraws handled. */
  text(no: number, text: string): void;
  /** Called before the buffer passed to `bytes` is overwritten: byte ranges kept from it must be copied now. */
  chunkEnd?(): void;
}

/** Where LineSink.run stopped. */
export interface RunEnd {
  end: number;
}

export interface ScanResult {
  lines: number;
  /** false when the last line had no '\n' (a cut line, or a run still writing) */
  endsWithNewline: boolean;
}

/**
 * Calls the sink for every line of `file` in order; memory is bounded by 2 x (CHUNK_BYTES + MAX_LINE_BYTES). Same
 * line numbering and text as readLines (src/ingest/read-lines.ts); an over-long line is cut to MAX_LINE_CHARS with a
 * note. Throws InputError when the file cannot be opened or read.
 *
 * Two buffers take turns: the next chunk is read (on libuv's thread pool) while the sink works through this one, so
 * the read costs no time on the main thread. Each chunk starts with the partial line carried over from the one
 * before, and is as long as with a single buffer, so lines and chunk ends fall exactly where they did with one.
 */
export async function scanLines(file: string, sink: LineSink, opts: { notes?: Note[]; end?: number } = {}): Promise<ScanResult> {
  const fh = await openForReading(file);
  const end = opts.end ?? Infinity;
  const size = CHUNK_BYTES + MAX_LINE_BYTES;
  const bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  let cur = 0; // index of the buffer being read into / scanned
  let have = 0; // bytes carried at the front of bufs[cur]; bufs[cur][0] is the start of the current (partial) line
  let pos = 0; // file position of the next read
  let no = 1;
  let cutBytes = 0; // > 0: the current line is over-long; its first MAX_LINE_BYTES are kept, this many seen in all
  let endsWithNewline = true;
  const at: RunEnd = { end: 0 };
  let chunks = 0;
  const run = sink.run?.bind(sink);
  let buf = bufs[0];
  const emitText = (s: number, e: number): void => {
    // encoding undefined is UTF-8, decoded without the encoding-name lookup (a hot call on text-heavy logs)
    let t = buf.toString(undefined, s, e);
    if (t.length > MAX_LINE_CHARS) t = t.slice(0, MAX_LINE_CHARS);
    if (t.endsWith('\r')) t = t.slice(0, -1);
    sink.text(no, lastCarriageSegment(t));
  };
  const noteCut = (): void => {
    opts.notes?.push({ level: 'warn', file, line: no, message: `line is ${cutBytes} bytes long; only the first ${MAX_LINE_CHARS} characters were read` });
  };
  const startRead = (into: Buffer, offset: number): Promise<number> | undefined => {
    const want = Math.min(size - offset, end - pos);
    if (want <= 0) return undefined;
    const p = fh.read(into, offset, want, pos).then(
      (r) => r.bytesRead,
      (err: unknown) => {
        throw inputErrorFromFs(file, err);
      },
    );
    // awaited below; until then a failure must not count as unhandled (the sink may throw first)
    p.catch(() => undefined);
    return p;
  };
  let pending = startRead(buf, 0);
  try {
    for (;;) {
      const bytesRead = pending === undefined ? 0 : await pending;
      // runtime/yield-to-event-loop.ts's turn, spelled out: ingest may not import runtime (same layer)
      if (++chunks % YIELD_EVERY_CHUNKS === 0) await new Promise<void>((done) => setImmediate(done));
      pending = undefined;
      if (bytesRead === 0) break;
      buf = bufs[cur];
      pos += bytesRead;
      const stop = have + bytesRead;
      // Where this chunk's last complete line ends decides what is carried to the next chunk, so the carry can be
      // copied and the next read started before the lines are scanned.
      const lastNl = stop > have ? buf.lastIndexOf(10, stop - 1) : -1;
      const tailFrom = lastNl >= have ? lastNl + 1 : cutBytes > 0 ? -1 : 0;
      const next = bufs[cur ^ 1];
      let nextHave: number;
      let nextCut = 0;
      if (tailFrom === -1) {
        // still inside an over-long line: keep its first bytes, count the rest
        buf.copy(next, 0, 0, MAX_LINE_BYTES);
        nextCut = cutBytes + (stop - have);
        nextHave = MAX_LINE_BYTES;
      } else if (stop - tailFrom > MAX_LINE_BYTES) {
        buf.copy(next, 0, tailFrom, tailFrom + MAX_LINE_BYTES);
        nextCut = stop - tailFrom;
        nextHave = MAX_LINE_BYTES;
      } else {
        buf.copy(next, 0, tailFrom, stop);
        nextHave = stop - tailFrom;
      }
      pending = startRead(next, nextHave);

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
        } else if (sink.bytes(buf, s, nl, no)) {
          if (run !== undefined) {
            const k = run(buf, s, nl + 1, stop, no + 1, at);
            if (k > 0) {
              no += k;
              s = at.end;
              scanFrom = s;
              no++;
              continue;
            }
          }
        } else emitText(s, nl);
        no++;
        s = nl + 1;
        scanFrom = s;
      }
      sink.chunkEnd?.();
      cutBytes = nextCut;
      have = nextHave;
      cur ^= 1;
    }
    buf = bufs[cur];
    if (cutBytes > 0) {
      noteCut();
      emitText(0, MAX_LINE_BYTES);
      endsWithNewline = false;
    } else if (have > 0) {
      if (!sink.bytes(buf, 0, have, no)) emitText(0, have);
      endsWithNewline = false;
    } else no--;
  } finally {
    // a read still in flight (the sink threw) must finish before the file is closed
    if (pending !== undefined) await pending.catch(() => undefined);
    await fh.close();
  }
  return { lines: no, endsWithNewline };
}
