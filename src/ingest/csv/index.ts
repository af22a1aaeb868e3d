// CSV metric logs: Lightning CSVLogger (sparse rows, step/epoch, hparams.yaml), Keras CSVLogger, DeepDA's headerless
// train_log.csv, pytorch-adapt record-keeper CSVs and generic CSVs with a header. A small plain file is framed by
// simple-csv.ts; anything else is parsed with csv-parse (from one buffer when small, streamed when big).
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, inputErrorFromFs } from '../input-error.js';
import { buildSeries, guessAlgorithm, isEpochLevelName, canonicalKey, parseNumber, type RawSeries } from '../../understand/metric-aliases.js';
import { KEY } from '../../model/metric-keys.js';
import { readHparamsYaml, statusFromPlannedEpochs } from '../common/hparams.js';
import { PointBuffer } from '../common/point-buffer.js';
import { frameSimpleCsv, type CsvRecord } from './simple-csv.js';
import type { FormatReader, ReadOptions } from '../format-reader.js';
import type { AttemptReach, Evaluation, HyperValue, Note, Point, RunAttempt, RunFragment, RunSourceFormat } from '../../model/types.js';

/** DeepDA's train_log.csv columns (code/DeepDA/main.py writes `%.6f` of these three, no header). */
export const DEEPDA_COLUMNS = ['cls_loss', 'transfer_loss', 'total_loss'] as const;
const STEP_COLUMNS = ['step', 'global_step', '~iteration~', 'iteration', 'iter', '_step', 'trainer/global_step'];
const EPOCH_COLUMNS = ['epoch', 'epochs'];
const TIME_COLUMNS = ['time', 'timestamp', 'wall_time', '_timestamp', 'walltime'];
/** Notes per column about unparsable cells before only a count is given. */
const MAX_CELL_NOTES = 3;
/** A metrics row is well under a KB; a longer record means a runaway quote or a binary file (bounded memory). */
const MAX_RECORD_BYTES = 1 << 20;

type CsvKind = Extract<RunSourceFormat, 'lightning-csv' | 'keras-csv' | 'deepda-csv' | 'csv'>;

interface Column {
  name: string;
  /** bounded storage (thinned past the tllib reader's budget): a CSV of millions of rows stays in bounded memory */
  buf: PointBuffer;
  points: Point[];
  bad: number;
}

function isNumericRow(row: string[]): boolean {
  return row.length > 0 && row.every((c) => parseNumber(c) !== null);
}

/** Decides the flavour from the header (or its absence) and the file name. */
export function classifyCsv(name: string, firstRow: string[]): CsvKind {
  if (isNumericRow(firstRow)) return firstRow.length === DEEPDA_COLUMNS.length ? 'deepda-csv' : 'csv';
  const cols = firstRow.map((c) => c.trim().toLowerCase());
  if (cols.includes('step') && (cols.includes('epoch') || basename(name) === 'metrics.csv')) return 'lightning-csv';
  if (cols[0] === 'epoch' && !cols.some((c) => STEP_COLUMNS.includes(c))) return 'keras-csv';
  return 'csv';
}

/** CSVs up to this size are parsed from one buffer (see readCsvLog); a Lightning metrics.csv of a short run is ~10 KB. */
export const SMALL_CSV_BYTES = 1024 * 1024;

/**
 * Whether `path` is a readable regular file; any error (missing, a symlink loop, no permission) is no. Sync, as the
 * CSV itself is read: for a few-KB file each await of fs/promises costs more than the read.
 */
function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

async function hparamsBeside(file: string, notes: Note[]): Promise<{ values: Record<string, HyperValue>; file: string } | undefined> {
  const hp = join(dirname(file), 'hparams.yaml');
  if (!isFile(hp)) return undefined;
  try {
    return { values: await readHparamsYaml(hp), file: hp };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    notes.push({ level: 'warn', file: hp, message: err.message });
    return undefined;
  }
}

/**
 * A column is epoch-level when the file has an epoch column and the metric has at most one value per epoch while
 * some other metric has several (Lightning's validation rows), or when its name says so (`val_*`, `*_epoch`).
 */
function epochLevelColumns(cols: Column[], hasEpoch: boolean, aliases?: Record<string, string>): Set<Column> {
  const out = new Set<Column>();
  const perEpochMax = (c: Column): number => {
    const counts = new Map<number, number>();
    for (const p of c.points) if (p.epoch !== undefined) counts.set(p.epoch, (counts.get(p.epoch) ?? 0) + 1);
    return Math.max(0, ...counts.values());
  };
  const maxes = new Map(cols.map((c) => [c, hasEpoch ? perEpochMax(c) : Infinity]));
  const anyDense = [...maxes.values()].some((m) => m > 1 && Number.isFinite(m));
  for (const c of cols) {
    const m = maxes.get(c)!;
    if (hasEpoch && m <= 1 && (anyDense || isEpochLevelName(c.name, canonicalKey(c.name, aliases)))) out.add(c);
  }
  return out;
}

/** Reads one CSV file into a fragment. Throws InputError (with the line) when csv-parse cannot frame the file. */
export interface CsvReadOptions extends ReadOptions {
  /** points kept per column before thinning (default: the tllib reader's MAX_POINTS_PER_SERIES) */
  maxPointsPerSeries?: number;
}

export async function readCsvLog(file: string, opts: CsvReadOptions = {}): Promise<RunFragment> {
  const notes: Note[] = [];
  let size: number;
  try {
    const st = statSync(file);
    size = st.size;
    if (st.isDirectory()) throw new InputError(file, 'is a directory');
    if (opts.maxBytes !== undefined && st.size > opts.maxBytes) notes.push({ level: 'warn', file, message: `read only the first ${opts.maxBytes} of ${st.size} bytes (size limit)` });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw inputErrorFromFs(file, err);
  }
  const csvOptions = { bom: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: true, trim: true, info: true, max_record_size: MAX_RECORD_BYTES } as const;
  // A small file is parsed from one buffer: the stream machinery (pipe, transform, async iteration per record) cost
  // ~10 ms of CPU for a 6 KB Lightning metrics.csv, ten times the parsing. Big files stream (bounded memory).
  const readTo = opts.maxBytes !== undefined ? Math.min(size, opts.maxBytes) : size;
  // csv-parse is loaded only for a CSV that needs it (a plain one is framed by frameSimpleCsv), not at start
  let csvError: (typeof import('csv-parse'))['CsvError'] | undefined;
  let records: AsyncIterable<CsvRecord> | Iterable<CsvRecord>;
  let kind: CsvKind | undefined;
  let header: string[] = [];
  let cols: Column[] = [];
  let stepIdx = -1;
  let epochIdx = -1;
  let timeIdx = -1;
  let rowIndex = 0;
  let repeatedHeaders = 0;
  let ragged = 0;
  // runs appended one after another (a re-printed header, or the step/epoch column starting over)
  const attempts: RunAttempt[] = [];
  let attemptFirst = 0;
  let attemptLast = 0;
  let attemptRows = 0;
  let firstX: number | undefined;
  let headerAt: number | undefined;
  let lastXOf: (number | undefined)[] = [];
  // where each attempt's rows reached: its status is read from it against the plan (understand/appended-runs)
  const ranges: AttemptReach[] = [];
  let range: AttemptReach = {};
  const startAttempt = (line: number): void => {
    ranges.push(range);
    range = {};
    attempts.push({ file, line: attemptFirst || 1, endLine: attemptLast, index: attempts.length + 1, status: 'unknown', pointCounts: Object.fromEntries(cols.filter((c) => c.buf.total > 0).map((c) => [c.name, c.buf.total])) });
    for (const c of cols) c.buf = new PointBuffer(opts.maxPointsPerSeries);
    attemptFirst = line;
    attemptRows = rowIndex;
    firstX = undefined;
    lastXOf = [];
  };
  try {
    const buf = readTo <= SMALL_CSV_BYTES ? readFileSync(file).subarray(0, readTo) : undefined;
    const simple = buf && frameSimpleCsv(buf, MAX_RECORD_BYTES);
    if (simple) records = simple;
    else if (buf) {
      const sync = await import('csv-parse/sync');
      csvError = sync.CsvError;
      records = sync.parse(buf, csvOptions) as unknown as CsvRecord[];
    } else {
      const { parse, CsvError } = await import('csv-parse');
      csvError = CsvError;
      const input = createReadStream(file, opts.maxBytes !== undefined ? { end: Math.max(0, opts.maxBytes - 1) } : {});
      records = input.pipe(parse(csvOptions)) as AsyncIterable<CsvRecord>;
    }
    for await (const rec of records) {
      const row = rec.record;
      const line = rec.info.lines;
      if (kind === undefined) {
        kind = classifyCsv(file, row);
        if (kind === 'deepda-csv') header = [...DEEPDA_COLUMNS];
        else if (isNumericRow(row)) {
          header = row.map((_, i) => `col${i}`);
          notes.push({ level: 'warn', file, line, message: `no header row; columns named col0..col${row.length - 1}` });
        } else header = row.map((c) => c.trim());
        const lower = header.map((h) => h.toLowerCase());
        stepIdx = lower.findIndex((h) => STEP_COLUMNS.includes(h));
        epochIdx = lower.findIndex((h) => EPOCH_COLUMNS.includes(h));
        timeIdx = lower.findIndex((h) => TIME_COLUMNS.includes(h));
        // pytorch-adapt's record-keeper writes `<group>.csv` with `~iteration~`: the group names the series
        const group = lower.includes('~iteration~') ? basename(file).replace(/\.csv$/i, '') : '';
        cols = header.map((h) => ({ name: group ? `${group}/${h}` : h, buf: new PointBuffer(opts.maxPointsPerSeries), points: [], bad: 0 }));
        if (kind !== 'deepda-csv' && !isNumericRow(row)) continue;
      } else if (row.length === header.length && row.every((c, i) => c === header[i])) {
        // appended after a restart: the header is written again. Without a step/epoch column that is the only sign
        // of a new run; with one, the run is new only if the step starts over (a resumed job continues it)
        repeatedHeaders++;
        if (stepIdx < 0 && epochIdx < 0 && kind !== 'deepda-csv') { if (rowIndex > attemptRows) startAttempt(line); } else headerAt = line;
        continue;
      }
      if (row.length > header.length) ragged++;
      const num = (i: number): number | null => (i >= 0 && i < row.length ? parseNumber(row[i]) : null);
      const epoch = num(epochIdx);
      const stepCell = num(stepIdx);
      const epochIndex = kind === 'deepda-csv' ? rowIndex : epoch !== null && Number.isFinite(epoch) ? Math.round(epoch) : undefined;
      const step = stepCell !== null && Number.isFinite(stepCell) ? stepCell : kind === 'keras-csv' && epochIndex !== undefined ? epochIndex : rowIndex;
      // the x-axis the file gives starting over, for columns that already went past it: another run appended
      const x = stepCell !== null && Number.isFinite(stepCell) ? stepCell : epochIndex;
      if (x !== undefined && firstX !== undefined && x <= firstX && row.some((cell, i) => cell !== '' && i !== stepIdx && i !== epochIdx && i !== timeIdx && lastXOf[i] !== undefined && lastXOf[i]! > x)) startAttempt(headerAt ?? line);
      headerAt = undefined;
      if (x !== undefined) {
        firstX ??= x;
        for (let i = 0; i < Math.min(row.length, header.length); i++) if (row[i] !== '') lastXOf[i] = x;
      }
      attemptLast = line;
      if (epochIndex !== undefined && kind !== 'deepda-csv') {
        range.firstEpoch ??= epochIndex;
        range.lastEpoch = Math.max(range.lastEpoch ?? -Infinity, epochIndex);
      }
      range.lastStep = step;
      for (let i = 0; i < Math.min(row.length, header.length); i++) {
        if (i === stepIdx || i === epochIdx || i === timeIdx) continue;
        const cell = row[i];
        if (cell === '') continue; // sparse Lightning rows
        const v = parseNumber(cell);
        const c = cols[i];
        if (v === null) {
          c.bad++;
          if (c.bad <= MAX_CELL_NOTES) notes.push({ level: 'warn', file, line, message: `column "${c.name}": "${cell.slice(0, 40)}" is not a number; skipped` });
          continue;
        }
        c.buf.add(step, v, NaN, epochIndex ?? -1, -1, line, false);
      }
      rowIndex++;
    }
  } catch (err) {
    if (csvError && err instanceof csvError) throw new InputError(file, `CSV: ${err.message}`, { line: (err as { lines?: number }).lines });
    if ((err as NodeJS.ErrnoException).code) throw inputErrorFromFs(file, err);
    throw err;
  }
  if (kind === undefined) throw new InputError(file, 'empty CSV file');
  if (attempts.length > 0) {
    ranges.push(range);
    attempts.push({ file, line: attemptFirst, endLine: attemptLast, index: attempts.length + 1, status: 'unknown', pointCounts: Object.fromEntries(cols.filter((c) => c.buf.total > 0).map((c) => [c.name, c.buf.total])) });
    notes.push({ level: 'warn', file, line: attemptFirst, message: `${attempts.length} runs appended in this file (header re-printed or the step starting over); the run's series are the newest (from line ${attemptFirst}), the others are earlier attempts` });
  }
  for (const c of cols) {
    c.points = c.buf.toPoints();
    if (c.buf.thinned) notes.push({ level: 'info', file, message: `column "${c.name}": ${c.buf.total} values, kept ${c.points.length} (thinned evenly; epoch ends and the first of each non-finite run kept)` });
  }
  for (const c of cols) if (c.bad > MAX_CELL_NOTES) notes.push({ level: 'warn', file, message: `column "${c.name}": ${c.bad} cells in all were not numbers` });
  if (repeatedHeaders) notes.push({ level: 'info', file, message: `header row repeated ${repeatedHeaders} time(s) (appended after a restart); skipped` });
  if (ragged) notes.push({ level: 'warn', file, message: `${ragged} row(s) have more cells than the header; extra cells ignored` });
  if (kind === 'deepda-csv') notes.push({ level: 'info', file, message: `headerless 3-column CSV read as DeepDA train_log.csv (${DEEPDA_COLUMNS.join(', ')}), one row per epoch` });

  const metricCols = cols.filter((_, i) => i !== stepIdx && i !== epochIdx && i !== timeIdx);
  const allEpoch = kind === 'keras-csv' || kind === 'deepda-csv' || (stepIdx < 0 && epochIdx >= 0 && metricCols.every((c) => c.points.every((p, j) => j === 0 || p.epoch !== c.points[j - 1].epoch)));
  const epochCols = allEpoch ? new Set(metricCols) : epochLevelColumns(metricCols, epochIdx >= 0, opts.metricAliases);
  const raws: RawSeries[] = metricCols.map((c) => ({
    rawName: c.name, file,
    granularity: epochCols.has(c) ? 'epoch' : 'iteration',
    // epoch-level values are indexed by epoch (the text logs' convention); the logged step stays on `iter`-less points
    points: epochCols.has(c) ? c.points.map((p) => ({ ...p, step: p.epoch ?? p.step })) : c.points,
  }));
  const built = buildSeries(raws, opts.metricAliases);
  const frag: RunFragment = { format: kind, files: [file], series: built.series, notes: [...notes, ...built.notes] };
  if (attempts.length > 0) frag.attempts = attempts;
  const hp = kind === 'lightning-csv' || kind === 'csv' ? await hparamsBeside(file, frag.notes!) : undefined;
  if (hp) {
    frag.hyperparameters = hp.values;
    frag.hyperparametersFrom = { file: hp.file };
    frag.files.push(hp.file);
    frag.configFiles = [hp.file];
  }
  const ipe = hp?.values.iters_per_epoch;
  if (typeof ipe === 'number' && ipe > 0) {
    frag.itersPerEpoch = ipe;
    for (const s of frag.series!) {
      if (s.granularity !== 'iteration') continue;
      for (const p of s.points) if (p.epoch !== undefined) p.iter = p.step - p.epoch * ipe;
    }
  }
  const g = guessAlgorithm(frag.hyperparameters, built.series.map((s) => s.key), file);
  if (g.algorithm) frag.algorithm = g.algorithm;
  else if (kind === 'deepda-csv') frag.algorithm = 'deepda';
  if (g.note) frag.notes!.push(g.note);
  addEvaluations(frag, file);
  attempts.forEach((a, i) => { if (ranges[i]) a.reached = ranges[i]; });
  const st = statusFromPlannedEpochs(frag.hyperparameters, frag.epochsCompleted, file);
  if (st.status) frag.status = st.status;
  if (st.note) frag.notes!.push(st.note);
  return frag;
}

/** Per-epoch target validation rows become Evaluations, and their maximum the best accuracy. */
function addEvaluations(frag: RunFragment, file: string): void {
  const val = frag.series!.find((s) => s.key === KEY.valAcc && s.granularity === 'epoch');
  if (!val) return;
  const loss = frag.series!.find((s) => s.key === KEY.valLoss);
  const lossAt = new Map((loss?.points ?? []).map((p) => [p.step, p.value]));
  const evals: Evaluation[] = val.points.map((p) => ({
    phase: 'val', domain: 'target', file, ...(p.line !== undefined ? { line: p.line } : {}), epoch: p.step, acc1: p.value,
    ...(lossAt.has(p.step) ? { loss: lossAt.get(p.step) } : {}),
  }));
  frag.evaluations = evals;
  const finite = val.points.map((p) => p.value).filter(Number.isFinite);
  if (finite.length) frag.bestAcc1 = Math.max(...finite);
  frag.epochsCompleted = new Set(val.points.map((p) => p.step)).size;
}

/** Header shapes this reader recognises, for detection by content. */
export function sniffCsv(name: string, head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (!first.includes(',') || first.length > 16384) return /\.csv$/i.test(name) && text.trim() === '';
  const cells = first.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cells.some((c) => c.includes('{') || c.includes('['))) return false;
  if (isNumericRow(cells)) return /\.csv$/i.test(name) || cells.length === DEEPDA_COLUMNS.length;
  // a header of identifiers with at least one metric-looking or step/epoch column
  const lower = cells.map((c) => c.toLowerCase());
  return lower.some((c) => STEP_COLUMNS.includes(c) || EPOCH_COLUMNS.includes(c)) || /\.csv$/i.test(name);
}

export const csvReader: FormatReader = {
  format: 'csv',
  sniff: sniffCsv,
  read: (path: string, opts?: ReadOptions) => readCsvLog(path, opts),
};
