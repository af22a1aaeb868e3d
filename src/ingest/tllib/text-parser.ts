// The tllib text parser: the state machine that turns a Transfer-Learning-Library log's lines (train/test/analysis
// phase, every script's format), one decoded line at a time, into a RunFragment. No I/O and no bytes: the file is
// streamed by read-tllib-log.ts, and the byte-level fast path (fast-path.ts) takes the hot training lines off it,
// writing into the same series through the few members marked "fast path" below.
import { canonicalKey, unitOf } from '../../understand/metric-aliases.js';
import { KEY } from '../../model/metric-keys.js';
import type {
  Algorithm, CrashInfo, Evaluation, HyperValue, Note, PerClassRow, PerClassTable, RunFragment, RunStatus, Series,
  SeriesUnit, SourceRef,
} from '../../model/types.js';
import { parseNamespace } from '../common/python-literal.js';
import {
  TEST_PREFIX, TRAIN_PREFIX, numberAfter, parseADistance, parseAnalysisEpoch, parseBareNumber, parseBestAcc,
  parseExceptionLine, parseLrLine, parseLrList, parseMeterNumber, namedScoreName, numberFrom, parseNumberTuple, parseSummary,
  parseTableRow, MAX_SCORE_NAME_END, meterFieldIn, badMeterFields, testHead, trainHead, type MeterSlot, type Summary,
} from './line-parsers.js';
import { MAX_POINTS_PER_SERIES, PointBuffer } from '../common/point-buffer.js';
import { inferAlgorithm, type MeterEvidence } from './algorithm.js';

/** Notes of one kind beyond this many are counted, not listed (a 1 GB log of bad lines must not fill memory). */
export const MAX_NOTES_PER_KIND = 20;
/** Per-class tables kept; DomainNet (345 classes) x 100s of epochs is still far below this. */
export const MAX_TABLES = 5000;
/** Per-class rows kept over all tables: DomainNet's 345 classes x 100s of epochs, at ~100 bytes a row (~50 MB). */
export const MAX_TABLE_ROWS = 500_000;
/** Distinct series kept; tllib scripts log fewer than 20. */
export const MAX_SERIES = 256;
/** Script paths remembered from warnings (for the algorithm guess). */
const MAX_SCRIPT_NAMES = 64;
/** Evaluations kept (one per epoch, plus test). */
export const MAX_EVALUATIONS = 100_000;
/**
 * A bare float printed after a summary is the test-phase `print(acc1)` when it equals the summary's accuracy up to
 * the summary's rounding (`{:.3f}` -> 0.0005; the dao fork prints 5 decimals); otherwise it is a dalib-era lr line.
 */
const TEST_PRINT_TOLERANCE = 0.0006;
/** Lines of a transform repr (`train_transform:  Compose(` ...) tolerated before giving up on finding its end. */
const MAX_TRANSFORM_LINES = 200;

export type NoteKind =
  | 'unparsed-train' | 'unparsed-test' | 'unparsed-other' | 'warning' | 'unrecognised' | 'epoch-restart'
  | 'iters-change' | 'table' | 'best' | 'cut-line' | 'binary' | 'traceback' | 'pretrain' | 'header'
  /** once-per-file conclusions (empty, no tllib lines, cut inside a traceback) */
  | 'end';

/** One series being collected: its names, unit, and the bounded point buffer the fast path also writes into. */
export interface SeriesAcc {
  key: string;
  rawName: string;
  unit: SeriesUnit;
  granularity: 'iteration' | 'epoch';
  buf: PointBuffer;
}

interface PendingTable {
  startLine: number;
  endLine: number;
  globalCorrect?: number;
  meanCorrect?: number;
  meanIoU?: number;
  borders: number;
  header?: string[];
  rows: PerClassRow[];
  epoch?: number;
  phase: 'val' | 'test';
}

/** All the state of one pass over a log, fed one decoded line at a time: line(), then finish(), then fragment(). */
export class TllibTextParser {
  readonly notes: Note[] = [];
  private readonly noteCounts = new Map<NoteKind, number>();
  private readonly firstOf = new Map<NoteKind, number>();
  private readonly series = new Map<string, SeriesAcc>();
  private readonly keyCache = new Map<string, string>();
  /** scoreName's cache: null for a head that is not a score name */
  private readonly scoreNames = new Map<string, { name: string; key: string } | null>();
  readonly evaluations: Evaluation[] = [];
  readonly perClass: PerClassTable[] = [];
  hyper?: Record<string, HyperValue>;
  hyperFrom?: SourceRef;
  private phaseArg?: string;
  status: RunStatus = 'unknown';
  crash?: CrashInfo;
  bestAcc1?: number;
  testAcc1?: number;
  aDistance?: { value: number; ref: SourceRef };
  private readonly meterEvidence: MeterEvidence = { meters: new Set(), twoHeadSummary: false, pretraining: false };
  private readonly scriptNames = new Set<string>();
  /**
   * Fast path: the series of each meter column of the last training line (main run, source pretraining), to skip
   * name lookups on the hot path. Set by the text path only; the fast path reads them and writes their buffers.
   */
  readonly trainColumns: SeriesAcc[] = [];
  readonly pretrainColumns: SeriesAcc[] = [];
  /** Fast path: counts changes of the columns above (the fast path keeps their names as bytes until it changes). */
  columnsVersion = 0;
  /** Fast path: no two columns share a series (nor the overflow sink), so one deferred point per column is safe. */
  columnsDistinct = false;
  private readonly slot: MeterSlot = { nameEnd: 0, value: 0, avg: 0 };
  private readonly pointBudget: number;

  // position in the run
  private curEpoch?: number;
  private maxEpoch = -1;
  private lastLrEpoch?: number;
  private lrLines = 0;
  private itersPerEpoch?: number;
  /** Fast path: read only (training lines go to the pretraining columns while set). */
  inPretraining = false;
  private pretrainEpoch?: number;
  private readonly lrShapes = new Set<'lr: ' | 'list' | 'bare'>();
  private afterBest = false;
  private sawTrainLine = false;
  private sawAnything = false;
  private finishedBy?: string;
  /** highest epoch that got a validation summary, -1 when none */
  private maxValEpoch = -1;

  // multi-line constructs
  private testBlockStart?: number;
  /** the last ` * Acc@1` summary, while a bare-float test print may still follow it */
  private lastSummary?: { summary: Summary; line: number; evalIndex: number };
  private table?: PendingTable;
  /** Fast path: read only (inside a transform repr or a traceback every line takes the text path). */
  transformDepth = 0;
  private transformLines = 0;
  /** Fast path: read only. */
  inTraceback = false;
  private tracebackLine = 0;
  private pendingWarning = false;
  private tablesDropped = 0;
  private tableRows = 0;
  private tableRowsDropped = 0;
  private seriesDroppedCount = 0;
  private seriesDroppedExample?: string;
  /** where points of series beyond MAX_SERIES go (never emitted) */
  private readonly overflow: SeriesAcc = { key: '', rawName: '', unit: 'other', granularity: 'iteration', buf: new PointBuffer(16) };
  private unrecognised = 0;

  /** pointBudget: points per series before thinning (default MAX_POINTS_PER_SERIES); tests use small budgets. */
  constructor(readonly file: string, private readonly aliases: Record<string, string>, tuning: { pointBudget?: number } = {}) {
    this.pointBudget = tuning.pointBudget ?? MAX_POINTS_PER_SERIES;
  }

  note(kind: NoteKind, level: Note['level'], line: number | undefined, message: string): void {
    const n = (this.noteCounts.get(kind) ?? 0) + 1;
    this.noteCounts.set(kind, n);
    if (n === 1 && line !== undefined) this.firstOf.set(kind, line);
    if (n <= MAX_NOTES_PER_KIND) this.notes.push({ level, file: this.file, line, message });
  }

  private key(raw: string): string {
    let k = this.keyCache.get(raw);
    if (k === undefined) {
      k = canonicalKey(raw, this.aliases);
      if (this.keyCache.size > MAX_SERIES * 4) this.keyCache.clear();
      this.keyCache.set(raw, k);
    }
    return k;
  }

  private seriesFor(key: string, rawName: string, granularity: 'iteration' | 'epoch', unit?: SeriesUnit): SeriesAcc {
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= MAX_SERIES) {
        // a log inventing meter names without end (garbage, a fork gone wrong) must not grow memory without end
        this.seriesDroppedCount++;
        this.seriesDroppedExample ??= key.length > 80 ? key.slice(0, 80) : key;
        return this.overflow;
      }
      s = { key, rawName, unit: unit ?? unitOf(key), granularity, buf: new PointBuffer(this.pointBudget) };
      this.series.set(key, s);
    }
    return s;
  }

  /** One physical line. Dispatch on the first characters so most lines cost one or two comparisons. */
  line(no: number, raw: string): void {
    let text = raw;
    if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0) return;
    this.sawAnything = true;

    const afterWarning = this.pendingWarning;
    this.pendingWarning = false;
    if (this.inTraceback && this.tracebackStep(no, text)) return;
    if (this.transformDepth > 0 && this.transformStep(text)) return;

    const c0 = text.charCodeAt(0);
    if (c0 === 69 /* E */ && text.startsWith(TRAIN_PREFIX)) return this.trainLine(no, text);
    if (c0 === 84 /* T */) {
      if (text.startsWith(TEST_PREFIX)) return this.testLine(no, text);
      if (text.startsWith('Traceback (most recent call last)')) return this.startTraceback(no);
    }
    if (c0 === 32 /* space */) {
      if (text.startsWith(' * ')) return this.starLine(no, text);
      if (afterWarning) return; // the source line Python prints under a warning
    }
    if (c0 === 124 /* | */ || c0 === 43 /* + */) {
      if (this.tableLine(no, text)) return;
    }
    if (c0 === 108 /* l */ && text.startsWith('lr:')) return this.lrLine(no, text, parseLrLine(text), 'lr: ');
    if (c0 === 91 /* [ */ && text.endsWith(']')) {
      const lrs = parseLrList(text.slice(1, -1));
      if (lrs) return this.lrLine(no, text, lrs, 'list');
    }
    this.otherLine(no, text);
  }

  /**
   * Training output after a traceback: the exception did not end the run (a DataLoader worker, an `Exception
   * ignored in` report). It becomes a note; only a traceback that nothing follows makes the run crashed.
   */
  private survivedCrash(no: number): void {
    const c = this.crash;
    if (!c) return;
    this.crash = undefined;
    this.note('traceback', 'warn', c.line, `${c.type}${c.message ? `: ${clip(c.message, 120)}` : ''} (traceback), but the run went on (line ${no})`);
  }

  /** State changes shared by both training-line paths. */
  private enterTrainLine(no: number, epoch: number, total: number): void {
    if (this.crash) this.survivedCrash(no);
    if (this.table) this.closeTable();
    this.lastSummary = undefined;
    this.testBlockStart = undefined;
    if (this.inPretraining) {
      this.pretrainEpoch = epoch;
    } else {
      this.sawTrainLine = true;
      if (this.curEpoch !== undefined && epoch < this.curEpoch) {
        this.note('epoch-restart', 'warn', no, `epoch number went back from ${this.curEpoch} to ${epoch}: the log may hold a restarted run; steps overlap`);
      }
      if (this.itersPerEpoch !== undefined && total !== this.itersPerEpoch) {
        this.note('iters-change', 'warn', no, `iterations per epoch changed from ${this.itersPerEpoch} to ${total}`);
      }
      this.itersPerEpoch = total;
      this.curEpoch = epoch;
      if (epoch > this.maxEpoch) this.maxEpoch = epoch;
    }
    if (this.status === 'unknown') this.status = 'incomplete';
  }

  /**
   * Fast path: a training line the fast path read itself (epoch, iterations per epoch), with what line() would have
   * done before reaching it.
   */
  fastTrainLine(no: number, epoch: number, total: number): void {
    this.pendingWarning = false;
    this.sawAnything = true;
    this.enterTrainLine(no, epoch, total);
  }

  /** Fast path: a deferred training line it could not read after all, read by the text path as of its own phase. */
  trainLineAs(no: number, text: string, pretraining: boolean): void {
    const inPretraining = this.inPretraining;
    this.inPretraining = pretraining;
    this.trainLine(no, text);
    this.inPretraining = inPretraining;
  }

  /** The text path for training lines (first line of a run, changed meters, odd bytes, unparsable fields). */
  private trainLine(no: number, text: string): void {
    const h = trainHead(text);
    if (!h) {
      this.note('unparsed-train', 'warn', no, `training line not understood: ${clip(text)}`);
      return;
    }
    this.enterTrainLine(no, h.epoch, h.total);
    const epoch = h.epoch;
    const pre = this.inPretraining;
    const step = epoch * h.total + h.iter;
    const columns = pre ? this.pretrainColumns : this.trainColumns;
    let bad: string[] | undefined;
    let col = 0;
    let start = h.fieldsFrom;
    const len = text.length;
    while (start < len) {
      let tab = text.indexOf('\t', start);
      if (tab === -1) tab = len;
      const a = start;
      start = tab + 1;
      let b = a;
      while (b < tab && text.charCodeAt(b) === 32) b++;
      if (b === tab) continue;
      const f = this.slot;
      if (!meterFieldIn(text, b, tab, f)) {
        (bad ??= []).push(text.slice(a, tab));
        continue;
      }
      let acc = columns[col];
      if (acc === undefined || acc.rawName.length !== f.nameEnd - b || !text.startsWith(acc.rawName, b)) {
        acc = this.meterSeries(text.slice(b, f.nameEnd), pre);
        columns[col] = acc;
      }
      col++;
      acc.buf.add(step, f.value, f.avg, epoch, h.iter, no);
    }
    // a line with a bad field never feeds the fast path's column check
    columns.length = bad ? 0 : col;
    this.columnsVersion++;
    // deferral adds one point per column: two columns on one series (or on the overflow sink) must not share it
    this.columnsDistinct = new Set(columns.map((c) => c.buf)).size === columns.length && !columns.includes(this.overflow);
    if (bad) {
      this.note('unparsed-train', 'warn', no, `training line: could not read ${bad.map((x) => `'${clip(x, 40)}'`).join(', ')}${col > 0 ? ' (the other meters were kept)' : ''}`);
    }
  }

  /** Series of a training meter, by raw name (pretraining meters get their own 'pretrain/' series). */
  private meterSeries(rawName: string, pretraining: boolean): SeriesAcc {
    if (!pretraining) this.meterEvidence.meters.add(rawName);
    const canonical = this.key(rawName);
    return this.seriesFor((pretraining ? 'pretrain/' : '') + canonical, rawName, 'iteration', unitOf(canonical));
  }

  private testLine(no: number, text: string): void {
    const h = testHead(text);
    if (!h) {
      this.note('unparsed-test', 'warn', no, `validation line not understood: ${clip(text)}`);
      return;
    }
    this.closeTable();
    const bad = badMeterFields(text, h.fieldsFrom);
    if (bad) this.note('unparsed-test', 'warn', no, `validation line: could not read ${bad.map((b) => `'${clip(b, 40)}'`).join(', ')}`);
    if (this.testBlockStart === undefined || h.iter === 0) this.testBlockStart = no;
    if (this.status === 'unknown') this.status = 'incomplete';
  }

  private evalEpoch(): number | undefined {
    const e = Math.max(this.curEpoch ?? -1, this.lastLrEpoch ?? -1);
    return e >= 0 ? e : undefined;
  }

  private evalPhase(): 'val' | 'test' {
    return this.afterBest || this.phaseArg === 'test' ? 'test' : 'val';
  }

  private starLine(no: number, text: string): void {
    if (text.startsWith(' * Acc')) {
      const s = parseSummary(text);
      if (!s) {
        this.note('unparsed-test', 'warn', no, `validation summary not understood: ${clip(text)}`);
        return;
      }
      this.summary(no, s);
      return;
    }
    // dao fork's F1 / precision / recall lines: fractions, one per validation
    const eq = text.indexOf('=');
    const score = eq > 0 && eq <= MAX_SCORE_NAME_END ? this.scoreName(text.slice(0, eq)) : undefined;
    const value = score && numberFrom(text, eq + 1);
    if (score && value !== undefined) {
      const epoch = this.evalEpoch();
      if (!this.inPretraining && this.evalPhase() === 'val' && epoch !== undefined) {
        this.seriesFor(score.key, score.name, 'epoch', 'fraction').buf.add(epoch, value, NaN, epoch, -1, no, false);
      }
      return;
    }
    this.note('unparsed-other', 'info', no, `line not understood: ${clip(text)}`);
  }

  /**
   * A named score's name and series key from its text before '=' (namedScoreName), cached: a log repeats a few
   * names every epoch, and the same key string each time makes the series lookup a hash hit.
   */
  private scoreName(head: string): { name: string; key: string } | undefined {
    let s = this.scoreNames.get(head);
    if (s === undefined) {
      const name = namedScoreName(head);
      s = name === undefined ? null : { name, key: 'val/' + name.toLowerCase().replace(/[\s-]+/g, '_') };
      if (this.scoreNames.size > MAX_SERIES * 4) this.scoreNames.clear();
      this.scoreNames.set(head, s);
    }
    return s ?? undefined;
  }

  private summary(no: number, s: Summary): void {
    if (this.crash) this.survivedCrash(no);
    this.closeTable();
    if (s.acc2 !== undefined) this.meterEvidence.twoHeadSummary = true;
    const phase = this.evalPhase();
    const start = this.testBlockStart ?? no;
    this.testBlockStart = undefined;
    if (this.inPretraining) {
      this.note('pretrain', 'info', no, `validation during source pretraining (${s.rawName} ${s.acc1}) is not counted as a target evaluation`);
      return;
    }
    const epoch = phase === 'val' ? this.evalEpoch() : undefined;
    const ev: Evaluation = { file: this.file, line: start, endLine: no, phase, domain: 'target', acc1: s.acc1 };
    if (epoch !== undefined) ev.epoch = epoch;
    if (s.acc5 !== undefined) ev.acc5 = s.acc5;
    if (s.acc2 !== undefined) ev.acc2 = s.acc2;
    if (this.evaluations.length < MAX_EVALUATIONS) this.evaluations.push(ev);
    this.lastSummary = { summary: s, line: no, evalIndex: this.evaluations.length - 1 };
    if (this.status === 'unknown') this.status = 'incomplete';
    if (phase === 'val' && epoch !== undefined) {
      if (epoch > this.maxValEpoch) this.maxValEpoch = epoch;
      this.seriesFor(KEY.valAcc, s.rawName, 'epoch', 'percent').buf.push({ step: epoch, value: s.acc1, epoch, line: no });
      if (s.acc2 !== undefined) this.seriesFor('val/acc2', 'Acc2', 'epoch', 'percent').buf.push({ step: epoch, value: s.acc2, epoch, line: no });
      if (s.acc5 !== undefined) this.seriesFor('val/acc5', 'Acc@5', 'epoch', 'percent').buf.push({ step: epoch, value: s.acc5, epoch, line: no });
    }
  }

  private lrLine(no: number, text: string, lrs: number[] | undefined, shape: 'lr: ' | 'list' | 'bare'): void {
    if (!lrs) {
      this.note('unparsed-other', 'warn', no, `lr line not understood: ${clip(text)}`);
      return;
    }
    this.closeTable();
    this.lastSummary = undefined;
    this.lrShapes.add(shape);
    const list = shape === 'list' || text.includes('[');
    if (!this.inPretraining) this.meterEvidence.lrKind = list ? 'list' : 'float';
    // lr is printed at the start of an epoch: it belongs to the epoch after the last one seen
    let epoch: number;
    if (this.inPretraining) epoch = this.pretrainEpoch === undefined ? 0 : this.pretrainEpoch + 1;
    else {
      epoch = Math.max(this.lrLines, this.curEpoch === undefined ? 0 : this.curEpoch + 1);
      this.lrLines = epoch + 1;
      this.lastLrEpoch = epoch;
    }
    const key = (this.inPretraining ? 'pretrain/' : '') + KEY.lr;
    this.seriesFor(key, 'lr', 'epoch', 'lr').buf.push({ step: epoch, value: lrs[0], epoch, line: no });
    if (this.status === 'unknown') this.status = 'incomplete';
  }

  private tableLine(no: number, text: string): boolean {
    if (text.charCodeAt(0) === 43 /* + */) {
      if (text.length > 4096 || !/^\+[-+]+\+$/.test(text)) return false;
      if (!this.table) this.table = this.newTable(no);
      const t = this.table;
      t.borders++;
      t.endLine = no;
      if (t.borders === 3) this.closeTable();
      return true;
    }
    const row = parseTableRow(text);
    if (!row || !this.table) return false;
    const t = this.table;
    t.endLine = no;
    const cells = row.cells;
    if (t.borders === 1 && !t.header) {
      t.header = cells.map((c) => c.toLowerCase());
      return true;
    }
    if (cells.length < 2) {
      this.note('table', 'warn', no, `per-class table row not understood: ${clip(text)}`);
      return true;
    }
    // names may contain '|': the numbers are the last cells
    const hasIou = (t.header?.length ?? cells.length) >= 3 && cells.length >= 3;
    const numCells = hasIou ? 2 : 1;
    const name = cells.length === numCells + 1 ? cells[0] : cells.slice(0, cells.length - numCells).join('|');
    const acc = parseMeterNumber(cells[cells.length - numCells]);
    const iou = hasIou ? parseMeterNumber(cells[cells.length - 1]) : undefined;
    if (acc === undefined || (hasIou && iou === undefined)) {
      this.note('table', 'warn', no, `per-class table row not understood: ${clip(text)}`);
      return true;
    }
    const r: PerClassRow = { name, acc };
    if (iou !== undefined) r.iou = iou;
    if (this.tableRows >= MAX_TABLE_ROWS) {
      this.tableRowsDropped++;
      return true;
    }
    this.tableRows++;
    t.rows.push(r);
    return true;
  }

  private newTable(no: number): PendingTable {
    const phase = this.evalPhase();
    return { startLine: no, endLine: no, borders: 0, rows: [], phase, epoch: phase === 'val' ? this.evalEpoch() : undefined };
  }

  /** Ends the pending per-class table (at its last border, or when another kind of line arrives). */
  private closeTable(): void {
    const t = this.table;
    if (!t) return;
    this.table = undefined;
    if (this.inPretraining) return;
    if (t.rows.length === 0 && t.globalCorrect === undefined) return;
    if (t.borders < 3 && t.rows.length > 0) this.note('table', 'warn', t.endLine, 'per-class table ends early (cut log?)');
    if (this.perClass.length >= MAX_TABLES) {
      this.tablesDropped++;
      return;
    }
    const table: PerClassTable = {
      file: this.file, line: t.startLine, endLine: t.endLine, domain: 'target', origin: 'log', phase: t.phase, rows: t.rows,
    };
    if (t.epoch !== undefined) table.epoch = t.epoch;
    if (t.globalCorrect !== undefined) table.globalCorrect = t.globalCorrect;
    if (t.meanCorrect !== undefined) table.meanCorrect = t.meanCorrect;
    if (t.meanIoU !== undefined) table.meanIoU = t.meanIoU;
    this.perClass.push(table);
  }

  private lrEpochFromBare(no: number, v: number, text: string): void {
    this.lrLine(no, text, [v], 'bare');
  }

  private otherLine(no: number, text: string): void {
    const c0 = text.charCodeAt(0);
    // per-class header lines
    if (c0 === 103 /* g */ && text.startsWith('global correct:')) {
      this.closeTable();
      this.table = this.newTable(no);
      this.table.globalCorrect = numberAfter(text, 'global correct:');
      return;
    }
    if (c0 === 109 /* m */ && text.startsWith('mean correct:')) {
      if (!this.table) this.table = this.newTable(no);
      this.table.meanCorrect = numberAfter(text, 'mean correct:');
      this.table.endLine = no;
      return;
    }
    if (c0 === 109 && text.startsWith('mean IoU:')) {
      if (!this.table) this.table = this.newTable(no);
      this.table.meanIoU = numberAfter(text, 'mean IoU:');
      this.table.endLine = no;
      return;
    }
    this.closeTable();

    if (text.startsWith('Namespace(')) {
      if (!this.hyper) return this.namespace(no, text);
      return this.note('header', 'warn', no, `a second Namespace(...) header: the log may hold two runs (hyperparameters from line ${this.hyperFrom?.line})`);
    }
    if (text.includes('%|')) return; // tqdm progress bar (only its last redraw is left after '\r' handling)
    if (c0 === 98 /* b */ && text.startsWith('best_acc1 =')) {
      const b = parseBestAcc(text);
      if (!b) return this.note('unparsed-other', 'warn', no, `best_acc1 line not understood: ${clip(text)}`);
      this.bestAcc1 = b.value;
      this.afterBest = true;
      this.lastSummary = undefined;
      if (b.results !== undefined) this.note('best', 'info', no, `best_acc1 results = ${clip(b.results, 120)}`);
      return;
    }
    if (c0 === 116 /* t */ && text.startsWith('test_acc1 =')) {
      const v = numberAfter(text, 'test_acc1 =');
      if (v === undefined) return this.note('unparsed-other', 'warn', no, `test_acc1 line not understood: ${clip(text)}`);
      if (this.crash) this.survivedCrash(no);
      this.testAcc1 = v;
      this.finishedBy = 'test_acc1';
      return;
    }
    if (c0 === 101 /* e */ && text.startsWith('epoch ')) {
      const a = parseAnalysisEpoch(text);
      if (a) {
        this.seriesFor('analysis/anet_acc', 'accuracy', 'epoch', 'percent').buf.push({ step: a.epoch, value: a.accuracy, epoch: a.epoch, line: no });
        this.seriesFor('analysis/a_distance', 'A-dist', 'epoch', 'other').buf.push({ step: a.epoch, value: a.aDist, epoch: a.epoch, line: no });
        return;
      }
    }
    if (c0 === 65 /* A */ && text.startsWith('A-distance =')) {
      const v = parseADistance(text);
      if (v === undefined) return this.note('unparsed-other', 'warn', no, `A-distance line not understood: ${clip(text)}`);
      this.aDistance = { value: v, ref: { file: this.file, line: no } };
      this.finishedBy = 'A-distance';
      return;
    }
    if (text.startsWith('Pretraining the model on source domain')) {
      this.inPretraining = true;
      this.meterEvidence.pretraining = true;
      return;
    }
    if (text.startsWith('Pretraining process is done')) {
      this.inPretraining = false;
      return;
    }
    if (text.includes('_transform:') && text.trimEnd().endsWith('(')) {
      this.transformDepth = parenBalance(text);
      this.transformLines = 0;
      return;
    }
    if (text.startsWith('=> using ')) return;
    // Python warnings: `path.py:40: UserWarning: msg`, then an indented source line
    const w = /^(.{1,400}?\.py):\d+: ([A-Za-z]*Warning): /.exec(text.length > 2000 ? text.slice(0, 2000) : text);
    if (w) {
      if (this.scriptNames.size < MAX_SCRIPT_NAMES) this.scriptNames.add(w[1]);
      this.pendingWarning = true;
      this.note('warning', 'info', no, `${w[2]}: ${clip(text.slice(w[0].length), 160)}`);
      return;
    }
    // a bare float: test-phase print(acc1), or a dalib-era lr line
    const c = text.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 45 || c === 110 /* nan */ || c === 105 /* inf */) {
      const v = parseBareNumber(text);
      if (v !== undefined) return this.bareNumber(no, v, text);
    }
    if (c0 === 40 /* ( */ && this.lastSummary) {
      const tuple = parseNumberTuple(text);
      if (tuple && this.matchesLastSummary(tuple)) return this.testPrint(no, Math.max(...tuple));
    }
    if (text.indexOf('\u0000') !== -1) {
      // nothing tllib writes holds NUL bytes: a run of them is the zero padding a crash leaves at the end of a file
      this.note('binary', 'warn', no, 'NUL bytes skipped (zero padding of a crash-truncated log, or binary content)');
      return;
    }
    if (looksLikeTrainingLine(text)) {
      this.note('unparsed-train', 'warn', no, `looks like a training line but was not understood: ${clip(text)}`);
      return;
    }
    this.unrecognised++;
    if (!this.firstOf.has('unrecognised')) this.firstOf.set('unrecognised', no);
  }

  private matchesLastSummary(values: number[]): boolean {
    const s = this.lastSummary?.summary;
    if (!s) return false;
    return values.some((v) => Math.abs(v - s.acc1) <= TEST_PRINT_TOLERANCE || (s.acc2 !== undefined && Math.abs(v - s.acc2) <= TEST_PRINT_TOLERANCE));
  }

  /**
   * A bare number is test-phase `print(acc1)` when it repeats the summary just above it; otherwise a dalib-era lr
   * line, but only in logs that print no `lr:`/list lines (in a current log it is some other print, and is skipped).
   */
  private bareNumber(no: number, v: number, text: string): void {
    if (this.lastSummary && this.matchesLastSummary([v])) return this.testPrint(no, v);
    if (this.lrShapes.has('lr: ') || this.lrShapes.has('list')) {
      this.unrecognised++;
      if (!this.firstOf.has('unrecognised')) this.firstOf.set('unrecognised', no);
      return;
    }
    this.lrEpochFromBare(no, v, text);
  }

  /** `print(acc1)` at the end of a test-phase run. */
  private testPrint(no: number, v: number): void {
    const ls = this.lastSummary;
    if (ls) {
      const ev = this.evaluations[ls.evalIndex];
      if (ev && ev.phase === 'val' && !this.sawTrainLine) {
        ev.phase = 'test';
        delete ev.epoch;
      }
    }
    this.testAcc1 = v;
    this.finishedBy = 'test print';
    this.lastSummary = undefined;
    void no;
  }

  private namespace(no: number, text: string): void {
    const h = parseNamespace(text);
    if (!h) {
      this.note('unparsed-other', 'warn', no, 'Namespace(...) header not understood; hyperparameters unknown');
      return;
    }
    this.hyper = h;
    this.hyperFrom = { file: this.file, line: no };
    if (typeof h.phase === 'string') this.phaseArg = h.phase;
    if (this.status === 'unknown') this.status = 'incomplete';
  }

  private transformStep(text: string): boolean {
    if (text.startsWith(TRAIN_PREFIX) || text.startsWith('lr:') || text.startsWith('=> ') || ++this.transformLines > MAX_TRANSFORM_LINES) {
      this.transformDepth = 0;
      return false;
    }
    this.transformDepth += parenBalance(text);
    if (this.transformDepth < 0) this.transformDepth = 0;
    return true;
  }

  private startTraceback(no: number): void {
    this.closeTable();
    this.inTraceback = true;
    this.tracebackLine = no;
  }

  /** Inside a traceback: frames are indented; the first unindented line other than chaining text is the exception. */
  private tracebackStep(no: number, text: string): boolean {
    const c = text.charCodeAt(0);
    if (c === 32 || c === 9) return true;
    if (text.startsWith('Traceback (most recent call last)')) {
      this.tracebackLine = no;
      return true;
    }
    if (text.startsWith('During handling of the above exception') || text.startsWith('The above exception was the direct cause')) return true;
    this.inTraceback = false;
    const e = parseExceptionLine(text);
    if (!e) {
      this.note('traceback', 'warn', this.tracebackLine, `traceback from line ${this.tracebackLine} ends without an exception line (at line ${no})`);
      return false;
    }
    this.crash = { file: this.file, line: no, type: e.type, message: e.message };
    return true;
  }

  /** Called after the last line. */
  finish(): void {
    this.closeTable();
    if (this.inTraceback) {
      this.note('end', 'warn', this.tracebackLine, 'the log ends inside a traceback (cut while the exception was being written)');
      this.crash ??= { file: this.file, line: this.tracebackLine, type: 'unknown', message: 'traceback without an exception line (log cut)' };
    }
    if (this.lastSummary && this.phaseArg === 'test' && !this.finishedBy) {
      // test phase whose final print is missing: the summary is still the test result
      const ev = this.evaluations[this.lastSummary.evalIndex];
      if (ev) {
        ev.phase = 'test';
        delete ev.epoch;
      }
    }
    if (this.crash) this.status = 'crashed';
    else if (this.finishedBy) this.status = 'finished';
    else if (this.sawAnything && this.status === 'unknown') {
      this.note('end', 'warn', undefined, 'no tllib log lines found (not a Transfer-Learning-Library log?)');
    }
    if (this.unrecognised > 0) {
      this.notes.push({ level: 'info', file: this.file, line: this.firstOf.get('unrecognised'), message: `${this.unrecognised} line(s) not recognised as tllib output were skipped (first at line ${this.firstOf.get('unrecognised')})` });
    }
    if (this.tablesDropped > 0) this.notes.push({ level: 'warn', file: this.file, message: `${this.tablesDropped} per-class table(s) beyond ${MAX_TABLES} were not kept` });
    if (this.tableRowsDropped > 0) this.notes.push({ level: 'warn', file: this.file, message: `${this.tableRowsDropped} per-class table row(s) beyond ${MAX_TABLE_ROWS} in all were not kept` });
    if (this.seriesDroppedCount > 0) {
      this.notes.push({ level: 'warn', file: this.file, message: `more than ${MAX_SERIES} distinct metrics: points of ${this.seriesDroppedCount} more not kept (e.g. '${this.seriesDroppedExample}')` });
    }
    for (const [kind, n] of this.noteCounts) {
      if (n > MAX_NOTES_PER_KIND) {
        this.notes.push({ level: 'info', file: this.file, line: this.firstOf.get(kind), message: `${n - MAX_NOTES_PER_KIND} more '${kind}' note(s) not listed (${n} in all)` });
      }
    }
    for (const s of this.series.values()) {
      if (s.buf.thinned) {
        this.notes.push({ level: 'info', file: this.file, message: `series ${s.key}: ${s.buf.total} points thinned to ${s.buf.length} (epoch ends and non-finite values kept)` });
      }
    }
  }

  fragment(): RunFragment {
    const series: Series[] = [];
    for (const s of this.series.values()) {
      series.push({ key: s.key, rawName: s.rawName, file: this.file, unit: s.unit, granularity: s.granularity, points: s.buf.toPoints() });
    }
    const out: RunFragment = { format: 'tllib', files: [this.file], series, status: this.status, notes: this.notes };
    if (this.hyper) {
      out.hyperparameters = this.hyper;
      out.hyperparametersFrom = this.hyperFrom;
    }
    const algo = this.algorithm();
    out.algorithm = algo.algorithm;
    if (this.crash) out.crash = this.crash;
    if (this.evaluations.length > 0) out.evaluations = this.evaluations;
    if (this.perClass.length > 0) out.perClass = this.perClass;
    if (this.bestAcc1 !== undefined) out.bestAcc1 = this.bestAcc1;
    if (this.testAcc1 !== undefined) out.testAcc1 = this.testAcc1;
    if (this.aDistance) out.aDistance = this.aDistance;
    const completed = this.epochsCompleted();
    if (completed !== undefined) out.epochsCompleted = completed;
    if (this.itersPerEpoch !== undefined) out.itersPerEpoch = this.itersPerEpoch;
    return out;
  }

  algorithm(): { algorithm: Algorithm; from: string } {
    return inferAlgorithm(this.hyper, this.scriptNames, this.meterEvidence);
  }

  /**
   * Epochs whose validation summary was logged (tllib validates after every epoch); when a script logs none,
   * the epochs followed by a later one (plus the last, if the run reached best_acc1).
   */
  private epochsCompleted(): number | undefined {
    if (this.maxValEpoch >= 0) return this.maxValEpoch + 1;
    if (!this.sawTrainLine) return undefined;
    return this.maxEpoch + (this.bestAcc1 !== undefined || this.finishedBy ? 1 : 0);
  }
}

/** '(' minus ')' on a line. */
function parenBalance(s: string): number {
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) d++;
    else if (c === 41) d--;
  }
  return d;
}

/** A line with an `[e][i/N]` progress shape but a prefix other than `Epoch: ` (a fork, or a mangled line). */
function looksLikeTrainingLine(s: string): boolean {
  if (s.length > 4096) return false;
  const i = s.indexOf('][');
  if (i === -1 || i > 40) return false;
  return /\[\s*\d+\]\[\s*\d+\s*\/\s*\d+\s*\]/.test(s.slice(0, i + 24));
}

function clip(s: string, n = 100): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
