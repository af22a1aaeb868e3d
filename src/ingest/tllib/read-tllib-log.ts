// Reads one Transfer-Learning-Library text log into a RunFragment: the file I/O and the wiring. The file is streamed
// by scanLines (line-scanner.ts) into the byte-level fast path (fast-path.ts), which hands every line it does not read
// itself to the text parser (text-parser.ts, a pure state machine over decoded lines); with `fastPath: false` every
// line goes to the text parser, which tests use to check the two agree.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { inputErrorFromFs } from '../input-error.js';
import type { ReadOptions } from '../format-reader.js';
import type { Note, RunFragment } from '../../model/types.js';
import { scanLines, type LineSink } from './line-scanner.js';
import { MAX_NOTES_PER_KIND, TllibTextParser } from './text-parser.js';
import { TllibFastPath } from './fast-path.js';

export { MAX_NOTES_PER_KIND, MAX_TABLES, MAX_SERIES, MAX_TABLE_ROWS, MAX_EVALUATIONS } from './text-parser.js';

/** Internal switches, for tests that compare the byte-level fast path with the text path. */
export interface ReaderTuning {
  /** false: every line takes the text path */
  fastPath?: boolean;
  /**
   * false: parse every training line, even those thinning drops. Default true: once a series is thinned, lines whose
   * points would be dropped are checked only for their head, their last ')' and nan/inf, and parsed only if kept
   * after all. The price: a corrupt meter inside a dropped line is not noted (the thinning itself is), and a corrupt
   * line that ends an epoch is noted but displaces the epoch's previous point.
   */
  deferThinned?: boolean;
  /** points per series before thinning (default MAX_POINTS_PER_SERIES); tests use small budgets */
  pointBudget?: number;
}

/**
 * Reads a tllib log (train-*.txt, test-*.txt, analysis-*.txt, log.txt, or a redirected stdout) into a RunFragment.
 * Streams the file; memory stays bounded whatever its size (series are thinned past MAX_POINTS_PER_SERIES, notes
 * past MAX_NOTES_PER_KIND per kind). Throws InputError only when the file cannot be read.
 */
export async function readTllibLog(file: string, opts: ReadOptions = {}, tuning: ReaderTuning = {}): Promise<RunFragment> {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = st.size;
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  const parser = new TllibTextParser(file, opts.metricAliases ?? {}, { pointBudget: tuning.pointBudget });
  if (size === 0) {
    parser.note('end', 'warn', undefined, 'empty file');
    parser.finish();
    return parser.fragment();
  }
  const end = opts.maxBytes !== undefined && opts.maxBytes < size ? opts.maxBytes : undefined;
  const readNotes: Note[] = [];
  const fast = new TllibFastPath(parser, { deferThinned: tuning.deferThinned });
  const textOnly: LineSink = { bytes: () => false, text: (no, text) => parser.line(no, text) };
  const scan = await scanLines(file, tuning.fastPath === false ? textOnly : fast, { notes: readNotes, end });
  for (const n of readNotes.slice(0, MAX_NOTES_PER_KIND)) parser.notes.push(n);
  if (readNotes.length > MAX_NOTES_PER_KIND) parser.notes.push({ level: 'info', file, message: `${readNotes.length - MAX_NOTES_PER_KIND} more over-long line(s) were cut` });
  if (end !== undefined) {
    parser.notes.push({ level: 'warn', file, message: `only the first ${end} of ${size} bytes were read (maxBytes)` });
  } else if (!scan.endsWithNewline) {
    if (endsWithNul(file, size)) parser.note('binary', 'warn', scan.lines, 'the log ends in NUL bytes (zero padding of a crash-truncated file): they were skipped');
    else parser.note('cut-line', 'warn', scan.lines, 'the last line has no line end: it may be cut (the run may still be writing)');
  }
  fast.flush();
  parser.finish();
  return parser.fragment();
}

/** A crash can leave a file's tail as zeros (size kept, data not flushed): its last byte tells. */
function endsWithNul(file: string, size: number): boolean {
  if (size <= 0) return false;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const b = Buffer.alloc(1);
    return readSync(fd, b, 0, 1, size - 1) === 1 && b[0] === 0;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
