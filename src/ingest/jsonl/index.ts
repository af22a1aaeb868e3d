// JSONL metric logs (one JSON object per line: step/epoch plus metrics, nested objects flattened with '/'),
// as custom loggers and W&B history exports write them. Python's NaN/Infinity literals are accepted.
import { stat } from 'node:fs/promises';
import { readLines } from '../common/read-lines.js';
import { InputError, inputErrorFromFs } from '../input-error.js';
import { buildSeries, guessAlgorithm, isEpochLevelName, canonicalKey, parseNumber, type RawSeries } from '../../understand/metric-aliases.js';
import { KEY } from '../../model/metric-keys.js';
import { statusFromPlannedEpochs } from '../common/hparams.js';
import { PointBuffer } from '../common/point-buffer.js';
import type { FormatReader, ReadOptions } from '../format-reader.js';
import type { Evaluation, HyperValue, Note, RunAttempt, RunFragment } from '../../model/types.js';

const STEP_FIELDS = ['step', 'global_step', '_step', 'iteration', 'iter', 'trainer/global_step'];
const EPOCH_FIELDS = ['epoch'];
const TIME_FIELDS = ['_timestamp', 'timestamp', 'wall_time', 'time', 'walltime'];
/** Notes about bad lines before only a count is given. */
const MAX_LINE_NOTES = 10;
/** Lines whose object has only these keys and no numbers are taken as hyperparameters (a `{"config": ...}` line). */
const CONFIG_FIELDS = ['config', 'hparams', 'hyperparameters', 'args'];

/**
 * Python's json.dumps writes NaN, Infinity and -Infinity bare, which JSON.parse rejects. Rewrites them (outside
 * strings) into marker strings that flattening turns back into numbers.
 */
export function pythonJsonToStrict(line: string): string {
  let out = '';
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inStr) {
      out += ch;
      if (ch === '\\') { out += line[i + 1] ?? ''; i++; } else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '"') { inStr = true; out += ch; continue; }
    // the JSON escape \u0000 cannot come from a real log value's text, so it marks our rewrite unambiguously
    if (line.startsWith('NaN', i)) { out += '"\\u0000NaN"'; i += 2; continue; }
    if (line.startsWith('-Infinity', i)) { out += '"\\u0000-Infinity"'; i += 8; continue; }
    if (line.startsWith('Infinity', i)) { out += '"\\u0000Infinity"'; i += 7; continue; }
    out += ch;
  }
  return out;
}

function markerNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v.startsWith('\u0000')) return Number(v.slice(1));
    // "nan" / "inf" strings some loggers write; other strings are not metrics
    return parseNumber(v);
  }
  if (typeof v === 'boolean') return null;
  return null;
}

/** Flattens nested objects with '/', keeping numbers (and numeric strings); arrays and other values are skipped. */
export function flattenMetrics(obj: Record<string, unknown>, prefix = '', out: Map<string, number> = new Map()): Map<string, number> {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}/${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenMetrics(v as Record<string, unknown>, name, out);
    else {
      const n = markerNumber(v);
      if (n !== null) out.set(name, n);
    }
  }
  return out;
}

function toHyper(v: unknown): HyperValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v as HyperValue;
  if (Array.isArray(v)) return v.map(toHyper);
  return JSON.stringify(v);
}

export async function readJsonlLog(file: string, opts: ReadOptions = {}): Promise<RunFragment> {
  try {
    if ((await stat(file)).isDirectory()) throw new InputError(file, 'is a directory');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw inputErrorFromFs(file, err);
  }
  const notes: Note[] = [];
  // bounded storage per metric (thinned past the tllib reader's budget), so a huge export stays in bounded memory
  const series = new Map<string, PointBuffer>();
  let hyper: Record<string, HyperValue> | undefined;
  let hyperLine: number | undefined;
  let bad = 0;
  let rows = 0;
  let stepless = 0;
  // Several runs appended to one file (a script opened it with 'a'): the step starts over at or below where the
  // current attempt started. Each earlier attempt is kept as a RunAttempt; the run's series are the newest one's.
  const attempts: RunAttempt[] = [];
  let attemptStart = 0;
  let firstStep: number | undefined;
  let lastStep: number | undefined;
  let lastRowLine = 0;
  const lastStepOf = new Map<string, number>();
  let pendingConfig: { values: Record<string, HyperValue>; line: number } | undefined;
  let firstEpoch: number | undefined;
  let lastEpoch: number | undefined;
  const closeAttempt = (endLine: number): void => {
    attempts.push({
      file, line: attemptStart, endLine, index: attempts.length + 1, status: 'unknown',
      reached: { ...(firstEpoch !== undefined ? { firstEpoch, lastEpoch } : {}), ...(lastStep !== undefined ? { lastStep } : {}) },
      ...(hyper ? { config: hyper } : {}),
      pointCounts: Object.fromEntries([...series].map(([k, b]) => [k, b.total])),
    });
  };
  for await (const { no, text } of readLines(file, { notes, end: opts.maxBytes })) {
    const t = text.trim();
    if (t === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(pythonJsonToStrict(t));
    } catch (err) {
      bad++;
      if (bad <= MAX_LINE_NOTES) notes.push({ level: 'warn', file, line: no, message: `not a JSON object (${(err as Error).message.slice(0, 80)}); line skipped` });
      continue;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      bad++;
      if (bad <= MAX_LINE_NOTES) notes.push({ level: 'warn', file, line: no, message: 'line is JSON but not an object; skipped' });
      continue;
    }
    const rec = obj as Record<string, unknown>;
    // Config objects (`config`, DomainBed's `hparams` and `args` repeated on every row) are hyperparameters, never
    // series. With several, the first wins unprefixed (hparams before args: DomainBed's real batch size is the hparam)
    // and each is kept prefixed too, so `args.batch_size` and `hparams.batch_size` both stay visible.
    const cfgKeys = CONFIG_FIELDS.filter((k) => rec[k] !== null && typeof rec[k] === 'object' && !Array.isArray(rec[k]));
    if (cfgKeys.length) {
      const parsed: Record<string, HyperValue> = {};
      const walk = (o: Record<string, unknown>, p: string, into: Record<string, HyperValue>): void => {
        for (const [k, v] of Object.entries(o)) {
          // W&B config exports wrap each value as {"value": x}
          if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
            const keys = Object.keys(v);
            if (keys.length <= 2 && 'value' in v) into[p + k] = toHyper((v as { value: unknown }).value);
            else walk(v as Record<string, unknown>, `${p}${k}.`, into);
          } else into[p + k] = toHyper(v);
        }
      };
      for (const k of cfgKeys) {
        const own: Record<string, HyperValue> = {};
        walk(rec[k] as Record<string, unknown>, '', own);
        for (const [name, v] of Object.entries(own)) {
          if (!(name in parsed)) parsed[name] = v;
          if (cfgKeys.length > 1) parsed[`${k}.${name}`] = v;
        }
      }
      for (const k of cfgKeys) delete rec[k];
      // a config line after rows were logged is the next appended run's (it takes effect if the step starts over)
      if (hyper === undefined) { hyper = parsed; hyperLine = no; } else if (rows > 0) pendingConfig = { values: parsed, line: no };
    }
    const flat = flattenMetrics(rec);
    const pick = (names: string[]): number | undefined => {
      for (const n of names) {
        const v = flat.get(n);
        if (v !== undefined && Number.isFinite(v)) { flat.delete(n); return v; }
      }
      return undefined;
    };
    const step = pick(STEP_FIELDS);
    const epoch = pick(EPOCH_FIELDS);
    pick(TIME_FIELDS); // a timestamp is not a metric
    if (flat.size === 0) continue;
    if (step === undefined && epoch === undefined) stepless++;
    const s = step ?? epoch ?? rows;
    // only the same metrics going back count: eval rows logged at step = epoch (MMEngine) are not a restart
    const repeats = [...flat.keys()].some((k) => (lastStepOf.get(k) ?? -Infinity) > s);
    if ((step !== undefined || epoch !== undefined) && repeats && lastStep !== undefined && firstStep !== undefined && s <= firstStep) {
      closeAttempt(lastRowLine);
      series.clear();
      lastStepOf.clear();
      hyper = pendingConfig?.values;
      hyperLine = pendingConfig?.line;
      attemptStart = pendingConfig?.line ?? no;
      pendingConfig = undefined;
      firstStep = undefined;
      firstEpoch = undefined;
      lastEpoch = undefined;
    }
    if (attemptStart === 0) attemptStart = hyperLine ?? no;
    firstStep ??= s;
    lastStep = s;
    if (epoch !== undefined) {
      firstEpoch ??= epoch;
      lastEpoch = Math.max(lastEpoch ?? -Infinity, epoch);
    }
    lastRowLine = no;
    for (const k of flat.keys()) lastStepOf.set(k, s);
    for (const [k, v] of flat) {
      let buf = series.get(k);
      if (!buf) series.set(k, (buf = new PointBuffer()));
      buf.add(s, v, NaN, epoch !== undefined ? Math.round(epoch) : -1, -1, no, false);
    }
    rows++;
  }
  if (bad > MAX_LINE_NOTES) notes.push({ level: 'warn', file, message: `${bad} lines in all were not JSON objects` });
  if (stepless > 0) notes.push({ level: 'info', file, message: `${stepless} record(s) have no step or epoch field; their row index is used as the step` });
  if (rows === 0 && bad > 0) throw new InputError(file, 'no line is a JSON object; not a JSONL metric log', { line: 1 });
  if (attempts.length > 0) {
    closeAttempt(lastRowLine);
    notes.push({ level: 'warn', file, line: attempts.at(-1)!.line, message: `the step starts over ${attempts.length - 1} time(s): ${attempts.length} runs appended in this file; the run's series are the newest (from line ${attempts.at(-1)!.line}), the others are earlier attempts` });
  }

  const raws: RawSeries[] = [...series].map(([name, buf]) => {
    const points = buf.toPoints();
    if (buf.thinned) notes.push({ level: 'info', file, message: `"${name}": ${buf.total} values, kept ${points.length} (thinned evenly; the first of each non-finite run kept)` });
    const epochLevel = isEpochLevelName(name, canonicalKey(name, opts.metricAliases)) && points.every((p) => p.epoch !== undefined);
    return { rawName: name, file, granularity: epochLevel ? 'epoch' : 'iteration', points: epochLevel ? points.map((p) => ({ ...p, step: p.epoch! })) : points };
  });
  const built = buildSeries(raws, opts.metricAliases);
  const frag: RunFragment = { format: 'jsonl', files: [file], series: built.series, notes: [...notes, ...built.notes] };
  if (attempts.length > 0) frag.attempts = attempts;
  if (hyper) {
    frag.hyperparameters = hyper;
    frag.hyperparametersFrom = { file, line: hyperLine };
  }
  const g = guessAlgorithm(hyper, built.series.map((x) => x.key), file);
  if (g.algorithm) frag.algorithm = g.algorithm;
  if (g.note) frag.notes!.push(g.note);
  const val = built.series.find((x) => x.key === KEY.valAcc);
  if (val) {
    const finite = val.points.map((p) => p.value).filter(Number.isFinite);
    if (finite.length) frag.bestAcc1 = Math.max(...finite);
    if (val.granularity === 'epoch') {
      frag.evaluations = val.points.map((p): Evaluation => ({ phase: 'val', domain: 'target', file, line: p.line, epoch: p.step, acc1: p.value }));
      frag.epochsCompleted = new Set(val.points.map((p) => p.step)).size;
    }
  }
  const st = statusFromPlannedEpochs(hyper, frag.epochsCompleted, file);
  if (st.status) frag.status = st.status;
  if (st.note) frag.notes!.push(st.note);
  return frag;
}

/** Content check: the first non-empty line is a JSON object (Python NaN literals allowed) with a numeric field. */
export function sniffJsonl(name: string, head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  if (!first) return /\.jsonl$/i.test(name);
  const t = first.trim();
  if (!t.startsWith('{')) return false;
  try {
    const o = JSON.parse(pythonJsonToStrict(t));
    return o !== null && typeof o === 'object' && !Array.isArray(o);
  } catch {
    // the first line may be cut by the 64 KiB head only if it is huge; then trust the name
    return /\.(jsonl|ndjson)$/i.test(name) && !text.includes('\n');
  }
}

export const jsonlReader: FormatReader = {
  format: 'jsonl',
  sniff: sniffJsonl,
  read: (path: string, opts?: ReadOptions) => readJsonlLog(path, opts),
};
