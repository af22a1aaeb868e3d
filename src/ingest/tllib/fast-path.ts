// The byte-level fast path of the tllib reader: the training lines that make up most of a big log are read straight
// from the chunk buffer (no string, no allocation) into the text parser's series, and lines that thinning would drop
// anyway are deferred (kept as bytes, parsed only if they turn out to end an epoch). Everything else, and anything
// it cannot read, goes to the text parser (text-parser.ts) as a decoded line. It is the LineSink that scanLines feeds.
import { fastMeters, headShape, iterOfSameHead, trainHeadBytes, type HeadShape, type HeadSlot } from './byte-parsers.js';
import type { LineSink, RunEnd } from './line-scanner.js';
import type { SeriesAcc, TllibTextParser } from './text-parser.js';

/** Meters per training line the fast path handles (tllib scripts print at most 8). */
const MAX_FAST_COLUMNS = 64;
/** Training lines longer than this are never deferred (tllib's are ~130 bytes). */
const MAX_DEFER_BYTES = 2048;
const NAN_BYTES = Buffer.from('nan');

/** Feeds one TllibTextParser: bytes() and run() for the hot training lines, text() for the rest, flush() at the end. */
export class TllibFastPath implements LineSink {
  private readonly head: HeadSlot = { epoch: 0, iter: 0, total: 0, fieldsFrom: 0 };
  private readonly deferHead: HeadSlot = { epoch: 0, iter: 0, total: 0, fieldsFrom: 0 };
  /** the head shape of the template line of run() */
  private readonly shape: HeadShape = { prefixLen: 0, tailFrom: 0, tailLen: 0 };
  /** a DataView of the chunk buffer `dvOf`, for run's head comparisons */
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private dvOf?: Buffer;
  /** raw names of the parser's trainColumns / pretrainColumns as bytes: what fastMeters expects, in order */
  private readonly trainNames: Uint8Array[] = [];
  private readonly pretrainNames: Uint8Array[] = [];
  /** the parser's columnsVersion the names above were taken at */
  private namesVersion = -1;
  private readonly scratchValue = new Float64Array(MAX_FAST_COLUMNS);
  private readonly scratchAvg = new Float64Array(MAX_FAST_COLUMNS);
  // the deferred training line (see bytes()): its bytes, line number, epoch, phase
  private readonly deferBuf = Buffer.alloc(MAX_DEFER_BYTES);
  /** where the deferred bytes are: the chunk buffer (until chunkEnd) or deferBuf */
  private deferSrc: Buffer = this.deferBuf;
  private deferStart = 0;
  private deferLen = 0;
  private deferNo = 0;
  private deferEpoch = -1;
  private deferPre = false;
  private readonly deferThinned: boolean;
  // cache of nanOrInfIn
  private scanBuf?: Buffer;
  private scanFrom = -1;
  private scanNo = -1;
  private nextBad = -2;

  /**
   * deferThinned false: parse every training line, even those thinning drops (see ReaderTuning.deferThinned in
   * read-tllib-log.ts).
   */
  constructor(private readonly p: TllibTextParser, tuning: { deferThinned?: boolean } = {}) {
    this.deferThinned = tuning.deferThinned ?? true;
  }

  /** A line for the text path: a deferred line before it is parsed first, so the parser sees the lines in order. */
  text(no: number, text: string): void {
    if (this.deferLen > 0) this.materialize();
    this.p.line(no, text);
  }

  /** After the last line, before the parser's finish(): parses a deferred line still pending. */
  flush(): void {
    if (this.deferLen > 0) this.materialize();
  }

  /** The byte names of the parser's current columns (taken again only when the text path changed them). */
  private namesOf(pretraining: boolean): Uint8Array[] {
    if (this.namesVersion !== this.p.columnsVersion) {
      this.namesVersion = this.p.columnsVersion;
      takeNames(this.p.trainColumns, this.trainNames);
      takeNames(this.p.pretrainColumns, this.pretrainNames);
    }
    return pretraining ? this.pretrainNames : this.trainNames;
  }

  /**
   * The byte-level fast path for the lines that make up most of a big log: a training line whose meters are the
   * same, in the same order, as the previous training line's. Reads numbers straight from the buffer; returns false
   * (nothing changed) for anything else, which then takes the text path.
   */
  bytes(buf: Buffer, start: number, end: number, no: number): boolean {
    const p = this.p;
    if (buf[start] !== 69 /* E */ || p.inTraceback || p.transformDepth > 0) return false;
    if (end > start && buf[end - 1] === 13) end--; // CRLF
    const h = this.head;
    if (!trainHeadBytes(buf, start, end, h)) return false;
    // The deferred line ends its epoch when this line starts another: parse it now (this may change the meter
    // columns, as it can fall back to the text path, so they are read after). In the same epoch it is dropped unread
    // by the push below, unless this line fails the fast path (the text path then parses it first).
    if (this.deferLen > 0 && h.epoch !== this.deferEpoch) this.materialize();
    const defer = this.canDefer(buf, start, end, no);
    const pre = p.inPretraining;
    const columns = pre ? p.pretrainColumns : p.trainColumns;
    const names = this.namesOf(pre);
    const col = columns.length;
    if (col === 0 || col > MAX_FAST_COLUMNS || names.length !== col) return false;
    const step = h.epoch * h.total + h.iter;
    if (defer) {
      // thinning drops this line's points unless it turns out to end its epoch: keep its bytes, parse them only then
      const replacing = this.deferLen > 0;
      p.fastTrainLine(no, h.epoch, h.total);
      // the bytes stay in the chunk buffer until chunkEnd (Buffer#copy would allocate a view per line)
      this.deferSrc = buf;
      this.deferStart = start;
      this.deferLen = end - start;
      this.deferNo = no;
      this.deferEpoch = h.epoch;
      this.deferPre = pre;
      // a deferred line still pending here is of the same epoch (else it was parsed above): it is simply replaced
      if (replacing) for (let k = 0; k < col; k++) columns[k].buf.replaceDeferred(step, h.iter, no);
      else for (let k = 0; k < col; k++) columns[k].buf.addDeferred(step, h.epoch, h.iter, no);
      return true;
    }
    if (!fastMeters(buf, h.fieldsFrom, end, names, this.scratchValue, this.scratchAvg)) return false;
    this.deferLen = 0; // same epoch: the push below drops the deferred tail
    p.fastTrainLine(no, h.epoch, h.total);
    for (let k = 0; k < col; k++) columns[k].buf.addFrom(this.scratchValue, this.scratchAvg, k, step, h.epoch, h.iter, no);
    return true;
  }

  /**
   * The bulk path (LineSink.run), right after a training line that bytes() handled (buf[last, start - 1)): the
   * lines after it with its head but for the iteration (so the same epoch and iterations per epoch: enterTrainLine
   * would change nothing) are handled here as bytes() would, without its call chain and head parse per line. A run
   * of lines that only replace the pending deferred line (all but every stride-th line, once a series is thinned)
   * is applied once, as its last line. The first line that is anything else, or that needs the text path, is left
   * to bytes().
   */
  run(buf: Buffer, last: number, start: number, stop: number, no: number, at: RunEnd): number {
    const p = this.p;
    if (p.inTraceback || p.transformDepth > 0 || !this.deferThinned || !p.columnsDistinct) return 0;
    const pre = p.inPretraining;
    if (this.deferLen > 0 && this.deferPre !== pre) return 0;
    const columns = pre ? p.pretrainColumns : p.trainColumns;
    const names = this.namesOf(pre);
    const col = columns.length;
    if (col === 0 || col > MAX_FAST_COLUMNS || names.length !== col) return 0;
    // the template: the line just handled
    let tEnd = start - 1;
    if (tEnd > last && buf[tEnd - 1] === 13) tEnd--;
    const h = this.head;
    const shape = this.shape;
    if (!headShape(buf, last, tEnd, shape, h)) return 0;
    const epoch = h.epoch;
    const total = h.total;
    if (this.deferLen > 0 && epoch !== this.deferEpoch) return 0;
    const values = this.scratchValue;
    const avgs = this.scratchAvg;
    if (buf !== this.dvOf) {
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.dvOf = buf;
    }
    const dv = this.dv;
    let room = runRoom(columns);
    let taken = 0;
    let s = start;
    // replacements not applied yet: how many, and the last one's line
    let reps = 0;
    let repStart = 0;
    let repEnd = 0;
    let repIter = 0;
    let repNo = 0;
    for (;;) {
      const nl = buf.indexOf(10, s);
      if (nl === -1 || nl >= stop) break;
      let end = nl;
      if (end > s && buf[end - 1] === 13) end--; // CRLF
      if (buf[s] !== 69 /* E */) break;
      const iter = iterOfSameHead(buf, dv, s, end, last, shape, h);
      if (iter < 0) break;
      const lineNo = no + taken;
      // canDefer, in the same order
      const defer = end - s <= MAX_DEFER_BYTES && buf[end - 1] === 41 /* ) */ && room > 0 && !this.nanOrInfIn(buf, s, end, lineNo);
      if (defer && this.deferLen > 0) {
        reps++;
        room--;
        repStart = s;
        repEnd = end;
        repIter = iter;
        repNo = lineNo;
      } else {
        const fieldsFrom = h.fieldsFrom;
        if (reps > 0) {
          this.applyReplacements(columns, buf, epoch * total + repIter, repIter, repStart, repEnd, repNo, reps);
          reps = 0;
        }
        const step = epoch * total + iter;
        if (defer) {
          this.deferSrc = buf;
          this.deferStart = s;
          this.deferLen = end - s;
          this.deferNo = lineNo;
          this.deferEpoch = epoch;
          this.deferPre = pre;
          for (let k = 0; k < col; k++) columns[k].buf.addDeferred(step, epoch, iter, lineNo);
        } else {
          if (!fastMeters(buf, fieldsFrom, end, names, values, avgs)) break;
          this.deferLen = 0; // same epoch: the push below drops the deferred tail
          for (let k = 0; k < col; k++) columns[k].buf.addFrom(values, avgs, k, step, epoch, iter, lineNo);
        }
        room = runRoom(columns);
      }
      taken++;
      s = nl + 1;
    }
    if (reps > 0) this.applyReplacements(columns, buf, epoch * total + repIter, repIter, repStart, repEnd, repNo, reps);
    at.end = s;
    return taken;
  }

  /** `count` deferred lines in a row, each replacing the one before: applied as the last (buf[start, end), line no). */
  private applyReplacements(columns: readonly SeriesAcc[], buf: Buffer, step: number, iter: number, start: number, end: number, no: number, count: number): void {
    for (let k = 0; k < columns.length; k++) columns[k].buf.replaceDeferred(step, iter, no, count);
    this.deferSrc = buf;
    this.deferStart = start;
    this.deferLen = end - start;
    this.deferNo = no;
  }

  /**
   * Whether the training line in buf[start..end) may be deferred: every meter's next point would be thinned away,
   * and the line shows no nan/inf (which thinning must see) and ends like a complete line. Its meters are not
   * checked: a line that turns out not to parse is noted if it is ever parsed (see ReaderTuning.deferThinned).
   */
  private canDefer(buf: Buffer, start: number, end: number, no: number): boolean {
    const p = this.p;
    if (!this.deferThinned || !p.columnsDistinct || end - start > MAX_DEFER_BYTES || buf[end - 1] !== 41 /* ) */) return false;
    const columns = p.inPretraining ? p.pretrainColumns : p.trainColumns;
    return columns.length > 0 && allThinnedAway(columns) && !this.nanOrInfIn(buf, start, end, no);
  }

  /**
   * Parses the deferred training line, whose points are about to be kept (its epoch ended, another kind of line
   * came, or the log ended), into the tails of its series. A line that does not parse after all is taken back and
   * read by the text path, which notes it.
   */
  private materialize(): void {
    if (this.deferSrc !== this.deferBuf) this.keepDeferredBytes();
    const len = this.deferLen;
    this.deferLen = 0;
    const columns = this.deferPre ? this.p.pretrainColumns : this.p.trainColumns;
    const names = this.namesOf(this.deferPre);
    const h = this.deferHead; // not this.head: bytes() may be holding the current line's head there
    if (trainHeadBytes(this.deferBuf, 0, len, h) && fastMeters(this.deferBuf, h.fieldsFrom, len, names, this.scratchValue, this.scratchAvg)) {
      for (let k = 0; k < columns.length; k++) columns[k].buf.setTail(this.scratchValue, this.scratchAvg, k);
      return;
    }
    for (const c of columns) c.buf.dropTail();
    this.p.trainLineAs(this.deferNo, this.deferBuf.toString('utf8', 0, len), this.deferPre);
  }

  /** The chunk buffer is about to be reused: forget what was found in it, copy the deferred line's bytes out of it. */
  chunkEnd(): void {
    // The nan/inf cache describes this chunk's bytes: the next chunk must search again. (Checking only that positions
    // went back, as before, missed a nan after a stretch of over a chunk without training lines.)
    this.scanBuf = undefined;
    this.keepDeferredBytes();
  }

  /** Copies the deferred line's bytes out of the chunk buffer into deferBuf. */
  private keepDeferredBytes(): void {
    if (this.deferLen === 0 || this.deferSrc === this.deferBuf) return;
    const src = this.deferSrc;
    const dst = this.deferBuf;
    const a = this.deferStart;
    for (let i = 0; i < this.deferLen; i++) dst[i] = src[a + i];
    this.deferSrc = dst;
    this.deferStart = 0;
  }

  /**
   * Whether buf[start..end) holds `nan` or `inf` (a value the thinning must see). One native search per chunk and
   * occurrence instead of a scan per line: the position of the next occurrence is cached until the lines pass it.
   */
  private nanOrInfIn(buf: Buffer, start: number, end: number, no: number): boolean {
    // a new chunk (positions start over) or a new buffer invalidates the cache; the same line asked twice does not
    if (buf !== this.scanBuf || start < this.scanFrom || (start === this.scanFrom && no !== this.scanNo)) {
      this.scanBuf = buf;
      this.nextBad = -2;
    }
    this.scanFrom = start;
    this.scanNo = no;
    if (this.nextBad === -2 || (this.nextBad !== -1 && this.nextBad < start)) {
      const a = buf.indexOf(NAN_BYTES, start);
      const b = indexOfInf(buf, start);
      this.nextBad = a === -1 ? b : b === -1 ? a : Math.min(a, b);
    }
    return this.nextBad !== -1 && this.nextBad < end;
  }
}

function takeNames(columns: readonly SeriesAcc[], names: Uint8Array[]): void {
  names.length = 0;
  for (const c of columns) names.push(Buffer.from(c.rawName, 'utf8'));
}

/**
 * buf.indexOf('inf', from), faster: Buffer#indexOf scans for a needle's first byte, and 'i' is on every training
 * line ('Time', 'Domain'); 'f' is rare, so look for it and check the two bytes before.
 */
function indexOfInf(buf: Buffer, from: number): number {
  let p = buf.indexOf(0x66 /* f */, from + 2);
  while (p !== -1 && (buf[p - 1] !== 0x6e /* n */ || buf[p - 2] !== 0x69 /* i */)) p = buf.indexOf(0x66, p + 1);
  return p === -1 ? -1 : p - 2;
}

/** How many points in a row every column would hold only as a replaced tail (see PointBuffer.thinnedAwayRun). */
function runRoom(columns: readonly SeriesAcc[]): number {
  let room = Infinity;
  for (let k = 0; k < columns.length; k++) {
    const r = columns[k].buf.thinnedAwayRun();
    if (r < room) room = r;
  }
  return room;
}

/** Every column's next point would be thinned away (see PointBuffer.nextIsThinnedAway). */
function allThinnedAway(columns: readonly SeriesAcc[]): boolean {
  for (let k = 0; k < columns.length; k++) if (!columns[k].buf.nextIsThinnedAway()) return false;
  return true;
}
