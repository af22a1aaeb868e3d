// Reads a W&B local run folder (`wandb/run-<date>_<time>-<id>/`): files/config.yaml (hyperparameters, each key
// `{desc, value}`), files/wandb-summary.json (last value per key; may hold bare NaN), files/wandb-history.jsonl
// (older clients) or else the binary run-<id>.wandb transaction log (history rows, exit record), and the debug logs
// (a clean shutdown). A run without an exit record was stopped from outside: that is evidence, not an error.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadYaml } from '../lazy-yaml.js';
import { InputError, inputErrorFromFs } from '../input-error.js';
import { readLines } from '../common/read-lines.js';
import { flattenHyper } from '../common/hparams.js';
import { buildSeries, canonicalKey, guessAlgorithm, isEpochLevelName, type RawSeries } from '../../understand/metric-aliases.js';
import { ProtoError } from '../tfevents/protobuf.js';
import { readLogPayloads } from './leveldb-log.js';
import { decodeRecord, type KeyValueJson } from './records.js';
import { parseLenientJson } from './lenient-json.js';
import type { ReadOptions } from '../format-reader.js';
import type { HyperValue, Note, Point, RunFragment, RunStatus } from '../../model/types.js';

/** W&B's own bookkeeping keys in history rows and summaries: not metrics. */
const INTERNAL_KEY = /^_/;
/** Transaction logs are a few MB; beyond this (a resource guard) only the first part is read. */
const MAX_WANDB_LOG_BYTES = 256 << 20;
/** config.yaml / summary files are KBs. */
const MAX_SIDE_FILE_BYTES = 8 << 20;
/** W&B's debug-internal.log says this when wandb.finish() ran (or the process exited normally). */
const CLEAN_SHUTDOWN = /handle_request\(\):\d+\] handle_request: shutdown|shutting down sender/;

/** True for a folder that looks like a W&B run (a run-*.wandb file, or files/ with W&B's own file names). */
export async function isWandbRunDir(dir: string): Promise<boolean> {
  try {
    const names = await readdir(dir);
    if (names.some((n) => /^run-.*\.wandb$/.test(n))) return true;
    if (!names.includes('files')) return false;
    const inner = await readdir(join(dir, 'files'));
    return inner.includes('wandb-summary.json') || inner.includes('wandb-metadata.json') || inner.includes('wandb-history.jsonl');
  } catch {
    return false;
  }
}

async function readSmall(file: string, limit = MAX_SIDE_FILE_BYTES): Promise<Buffer | undefined> {
  try {
    const s = await stat(file);
    if (!s.isFile()) return undefined;
    if (s.size > limit) throw new InputError(file, `${s.size} bytes is too large for this file (limit ${limit})`);
    return await readFile(file);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') return undefined;
    throw inputErrorFromFs(file, err);
  }
}

/** Parses one value_json; numbers (also NaN/Infinity) come back as numbers, anything else as undefined. */
function numberOf(valueJson: string): number | undefined {
  try {
    const v = parseLenientJson(valueJson);
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
  } catch {
    /* not JSON: not a scalar */
  }
  return undefined;
}

interface HistoryRow { step: number; values: Map<string, number>; line?: number }

/** Collects per-key points from history rows (row order is write order; `_step` is the x-axis W&B plots). */
class HistoryCollector {
  readonly points = new Map<string, Point[]>();
  lastStep = -1;
  rows = 0;
  add(row: HistoryRow, wall?: number): void {
    this.rows++;
    const epoch = row.values.get('epoch');
    for (const [k, v] of row.values) {
      if (INTERNAL_KEY.test(k)) continue;
      const p: Point = { step: row.step, value: v };
      if (epoch !== undefined && Number.isFinite(epoch) && k !== 'epoch') p.epoch = Math.round(epoch);
      if (row.line !== undefined) p.line = row.line;
      if (wall !== undefined && Number.isFinite(wall)) p.wallTime = wall;
      (this.points.get(k) ?? this.points.set(k, []).get(k)!).push(p);
    }
    this.lastStep = Math.max(this.lastStep, row.step);
  }
}

function rowOf(items: KeyValueJson[], fallbackStep: number): HistoryRow {
  const values = new Map<string, number>();
  for (const it of items) {
    const v = numberOf(it.valueJson);
    if (v !== undefined) values.set(it.key, v);
  }
  const s = values.get('_step');
  return { step: s !== undefined && Number.isFinite(s) ? s : fallbackStep, values };
}

/** wandb-history.jsonl (clients before 0.10 wrote one JSON row per wandb.log call). */
async function readHistoryJsonl(file: string, hist: HistoryCollector, notes: Note[]): Promise<void> {
  let bad = 0;
  for await (const line of readLines(file, { notes })) {
    const t = line.text.trim();
    if (!t) continue;
    let obj: unknown;
    try {
      obj = parseLenientJson(t);
    } catch {
      if (++bad <= 3) notes.push({ level: 'warn', file, line: line.no, message: 'history row is not JSON; skipped' });
      continue;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) continue;
    const values = new Map<string, number>();
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) if (typeof v === 'number') values.set(k, v);
    const s = values.get('_step');
    hist.add({ step: s !== undefined && Number.isFinite(s) ? s : hist.rows, values, line: line.no }, values.get('_timestamp'));
  }
}

/** The binary transaction log: history rows and the exit record. */
async function readTransactionLog(file: string, hist: HistoryCollector, notes: Note[], maxBytes: number): Promise<{ exit?: { exitCode: number; runtime?: number } }> {
  let buf: Buffer;
  try {
    const s = await stat(file);
    if (s.size > maxBytes) {
      notes.push({ level: 'warn', file, message: `read only the first ${maxBytes} of ${s.size} bytes (size limit)` });
      const { open } = await import('node:fs/promises');
      const fh = await open(file, 'r');
      try {
        buf = Buffer.alloc(maxBytes);
        await fh.read(buf, 0, maxBytes, 0);
      } finally {
        await fh.close();
      }
    } else buf = await readFile(file);
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  let exit: { exitCode: number; runtime?: number } | undefined;
  let bad = 0;
  for (const p of readLogPayloads(buf, file, notes)) {
    let rec;
    try {
      rec = decodeRecord(p.data);
    } catch (err) {
      if (!(err instanceof ProtoError)) throw err;
      if (++bad <= 3) notes.push({ level: 'warn', file, offset: p.offset, message: `undecodable record (${err.message}); skipped` });
      continue;
    }
    if (rec.kind === 'history') {
      const row = rowOf(rec.items, rec.step ?? hist.rows);
      hist.add(row, row.values.get('_timestamp'));
    } else if (rec.kind === 'exit') exit = { exitCode: rec.exitCode, runtime: rec.runtime };
  }
  return { exit };
}

/** The history rows and exit record of one `.wandb` file alone (the fuzzer's and a tool's entry point). */
export async function readWandbTransactionLog(file: string, maxBytes = MAX_WANDB_LOG_BYTES): Promise<{ points: Map<string, Point[]>; exit?: { exitCode: number; runtime?: number }; notes: Note[] }> {
  const notes: Note[] = [];
  const hist = new HistoryCollector();
  const { exit } = await readTransactionLog(file, hist, notes, maxBytes);
  return { points: hist.points, exit, notes };
}

/** config.yaml: every key holds `{desc, value}`; `_wandb` is W&B's own. */
function configValues(doc: unknown): Record<string, HyperValue> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return {};
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (k === 'wandb_version' || k === '_wandb') continue;
    plain[k] = v && typeof v === 'object' && !Array.isArray(v) && 'value' in v ? (v as { value: unknown }).value : v;
  }
  return flattenHyper(plain);
}

export interface WandbRunFiles {
  configFile?: string;
  summaryFile?: string;
  historyFile?: string;
  transactionLog?: string;
  debugInternalLog?: string;
  outputLog?: string;
}

/** Where a W&B run folder keeps each file (any may be missing). */
export async function wandbRunFiles(dir: string): Promise<WandbRunFiles> {
  const out: WandbRunFiles = {};
  const list = async (d: string): Promise<string[]> => readdir(d).catch(() => [] as string[]);
  const top = await list(dir);
  const log = top.filter((n) => /^run-.*\.wandb$/.test(n)).sort().at(-1);
  if (log) out.transactionLog = join(dir, log);
  const files = await list(join(dir, 'files'));
  if (files.includes('config.yaml')) out.configFile = join(dir, 'files', 'config.yaml');
  if (files.includes('wandb-summary.json')) out.summaryFile = join(dir, 'files', 'wandb-summary.json');
  if (files.includes('wandb-history.jsonl')) out.historyFile = join(dir, 'files', 'wandb-history.jsonl');
  if (files.includes('output.log')) out.outputLog = join(dir, 'files', 'output.log');
  const logs = await list(join(dir, 'logs'));
  if (logs.includes('debug-internal.log')) out.debugInternalLog = join(dir, 'logs', 'debug-internal.log');
  return out;
}

/** True when debug-internal.log records a shutdown (W&B ran its exit path). Reads only the last 64 KiB. */
async function cleanShutdown(file: string): Promise<boolean> {
  try {
    const { open } = await import('node:fs/promises');
    const fh = await open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const n = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(n);
      await fh.read(buf, 0, n, size - n);
      return CLEAN_SHUTDOWN.test(buf.toString('utf8'));
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

export async function readWandbRun(dir: string, opts: ReadOptions = {}): Promise<RunFragment> {
  const notes: Note[] = [];
  const f = await wandbRunFiles(dir);
  const files: string[] = [];
  const hist = new HistoryCollector();
  let exit: { exitCode: number; runtime?: number } | undefined;
  if (f.historyFile) {
    files.push(f.historyFile);
    await readHistoryJsonl(f.historyFile, hist, notes);
  } else if (f.transactionLog) {
    files.push(f.transactionLog);
    ({ exit } = await readTransactionLog(f.transactionLog, hist, notes, opts.maxBytes ?? MAX_WANDB_LOG_BYTES));
  }
  if (f.historyFile && f.transactionLog) {
    files.push(f.transactionLog);
    ({ exit } = await readTransactionLog(f.transactionLog, new HistoryCollector(), notes, opts.maxBytes ?? MAX_WANDB_LOG_BYTES));
  }

  // The summary is the last value per key; a final wandb.log that never reached the history (killed before the
  // flush) is still there, one step after the last history row.
  let summary: Record<string, unknown> | undefined;
  if (f.summaryFile) {
    files.push(f.summaryFile);
    const raw = await readSmall(f.summaryFile);
    try {
      const v = raw && raw.length ? parseLenientJson(raw.toString('utf8')) : undefined;
      if (v && typeof v === 'object' && !Array.isArray(v)) summary = v as Record<string, unknown>;
    } catch (err) {
      notes.push({ level: 'warn', file: f.summaryFile, message: `not readable as JSON (${(err as Error).message}); summary ignored` });
    }
    if (raw && /\bNaN\b|\bInfinity\b/.test(raw.toString('utf8'))) {
      const bad = Object.entries(summary ?? {}).filter(([, v]) => typeof v === 'number' && !Number.isFinite(v)).map(([k]) => k);
      notes.push({ level: 'warn', file: f.summaryFile, message: `the summary holds non-finite values (${bad.join(', ')}): the last logged values were NaN/Infinity` });
    }
  }
  if (summary) {
    const s = summary._step;
    if (typeof s === 'number' && s > hist.lastStep) {
      const values = new Map<string, number>();
      for (const [k, v] of Object.entries(summary)) if (typeof v === 'number') values.set(k, v);
      hist.add({ step: s, values }, values.get('_timestamp'));
      notes.push({ level: 'info', file: f.summaryFile, message: `summary step ${s} is newer than the last history row (${hist.lastStep < 0 ? 'none' : hist.lastStep}); its values were added as that step` });
    }
  }

  let hyperparameters: Record<string, HyperValue> | undefined;
  if (f.configFile) {
    files.push(f.configFile);
    const raw = await readSmall(f.configFile);
    try {
      hyperparameters = configValues((await loadYaml()).parse(raw?.toString('utf8') ?? '', { logLevel: 'silent', strict: false, uniqueKeys: false }));
    } catch (err) {
      notes.push({ level: 'warn', file: f.configFile, message: `not valid YAML (${(err as Error).message.split('\n')[0]}); config ignored` });
    }
  }

  // Status: the exit record is the run's own word; without one, a clean shutdown in the debug log; else it was
  // stopped from outside (killed, preempted, or still running).
  let status: RunStatus = 'unknown';
  const statusFile = f.transactionLog ?? f.summaryFile ?? dir;
  if (exit) {
    status = exit.exitCode === 0 ? 'finished' : 'failed';
    notes.push({ level: 'info', file: statusFile, message: `W&B exit record: exit code ${exit.exitCode}${exit.runtime !== undefined ? `, runtime ${exit.runtime} s` : ''}` });
  } else if (f.debugInternalLog && (await cleanShutdown(f.debugInternalLog))) {
    status = 'finished';
    notes.push({ level: 'info', file: f.debugInternalLog, message: 'no exit record, but W&B logged a clean shutdown' });
  } else if (f.transactionLog || f.debugInternalLog) {
    status = 'killed';
    const runtime = typeof summary?._runtime === 'number' ? `, last seen after ${Math.round(summary._runtime as number)} s` : '';
    notes.push({ level: 'warn', file: statusFile, message: `no W&B exit record and no clean shutdown: the process was stopped from outside (killed or preempted) or is still running${runtime}` });
  }

  const raws: RawSeries[] = [...hist.points].map(([k, points]) => ({
    rawName: k, file: files[0] ?? dir,
    granularity: isEpochLevelName(k, canonicalKey(k, opts.metricAliases)) || points.every((p) => p.epoch === p.step) ? 'epoch' : 'iteration',
    points,
  }));
  const built = buildSeries(raws, opts.metricAliases);
  const frag: RunFragment = { format: 'wandb', files, series: built.series, status, notes: [...notes, ...built.notes] };
  if (hyperparameters) {
    frag.hyperparameters = hyperparameters;
    frag.hyperparametersFrom = { file: f.configFile! };
  }
  if (f.configFile) frag.configFiles = [f.configFile];
  const epochs = hist.points.get('epoch');
  if (epochs?.length) frag.epochsCompleted = new Set(epochs.map((p) => p.value).filter(Number.isFinite)).size;
  const g = guessAlgorithm(frag.hyperparameters, built.series.map((s) => s.key), files[0] ?? dir);
  if (g.algorithm) frag.algorithm = g.algorithm;
  if (g.note) frag.notes!.push(g.note);
  if (hist.rows === 0) frag.notes!.push({ level: 'warn', file: dir, message: `no history rows found (${basename(dir)}): nothing was logged with wandb.log, or the history file is missing` });
  return frag;
}
