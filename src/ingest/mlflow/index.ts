// MLflow file store run directory (mlruns/<exp>/<run>/): meta.yaml status, metrics/ (nested keys), params/, tags/.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadYaml } from '../lazy-yaml.js';
import { readLines } from '../common/read-lines.js';
import { InputError, inputErrorFromFs } from '../input-error.js';
import { buildSeries, guessAlgorithm, isEpochLevelName, canonicalKey, parseNumber, type RawSeries } from '../../understand/metric-aliases.js';
import { KEY } from '../../model/metric-keys.js';
import type { FormatReader, ReadOptions } from '../format-reader.js';
import type { HyperValue, Note, Point, RunFragment, RunStatus } from '../../model/types.js';

/** mlflow.entities.RunStatus numbering in the file store's meta.yaml. */
const STATUS_BY_CODE: Record<number, RunStatus> = { 3: 'finished', 4: 'failed', 5: 'killed' };
const STATUS_RUNNING = 1;
const STATUS_SCHEDULED = 2;
/** A param file is a value, not a document; cap what is read of one. */
const MAX_PARAM_BYTES = 64 * 1024;
/** Notes about bad metric lines per file before only a count is given. */
const MAX_LINE_NOTES = 5;
/** How deep metric keys nest (`a/b/c` -> metrics/a/b/c); beyond this a directory is not followed (loops, junk). */
const MAX_KEY_DEPTH = 8;

/** A run dir has meta.yaml plus at least one of metrics/ or params/. */
export async function isMlflowRunDir(dir: string): Promise<boolean> {
  const isFile = (p: string) => stat(p).then((s) => s.isFile(), () => false);
  const isDir = (p: string) => stat(p).then((s) => s.isDirectory(), () => false);
  if (!(await isFile(join(dir, 'meta.yaml')))) return false;
  return (await isDir(join(dir, 'metrics'))) || (await isDir(join(dir, 'params')));
}

/** Python str() of a param back into a value: numbers, True/False, None, simple lists; anything else a string. */
export function parseParamValue(text: string): HyperValue {
  const t = text.trim();
  if (t === 'True' || t === 'true') return true;
  if (t === 'False' || t === 'false') return false;
  if (t === 'None' || t === 'null') return null;
  const n = parseNumber(t);
  if (n !== null) return n;
  if (/^[[(].*[\])]$/s.test(t)) {
    const inner = t.slice(1, -1).trim();
    if (inner === '') return [];
    const parts = inner.split(',').map((p) => p.trim()).filter((p) => p !== '');
    const vals = parts.map((p) => (/^'.*'$|^".*"$/.test(p) ? p.slice(1, -1) : parseParamValue(p)));
    if (vals.every((v) => typeof v !== 'object' || v === null)) return vals;
  }
  return text;
}

async function listFiles(dir: string, prefix: string, depth: number, out: { key: string; path: string }[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw inputErrorFromFs(dir, err);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const key = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isFile()) out.push({ key, path: join(dir, e.name) });
    else if (e.isDirectory() && depth < MAX_KEY_DEPTH) await listFiles(join(dir, e.name), key, depth + 1, out);
  }
}

interface MlflowPoint extends Point {
  ts: number;
}

/**
 * One metric file: `<timestamp_ms> <value> <step>` per line (old files: 2 fields, step 0). Duplicate steps keep the
 * point MLflow's "latest" would: max by (timestamp, value) within the step.
 */
async function readMetricFile(path: string, notes: Note[], maxBytes?: number): Promise<{ points: Point[]; duplicates: number }> {
  const byStep = new Map<number, MlflowPoint>();
  const order: number[] = [];
  let bad = 0;
  let duplicates = 0;
  for await (const { no, text } of readLines(path, { notes, end: maxBytes })) {
    const t = text.trim();
    if (t === '') continue;
    const f = t.split(/\s+/);
    const ts = parseNumber(f[0] ?? '');
    const value = parseNumber(f[1] ?? '');
    const step = f.length >= 3 ? parseNumber(f[2]) : 0;
    if (f.length < 2 || f.length > 3 || ts === null || value === null || step === null || !Number.isFinite(step)) {
      bad++;
      if (bad <= MAX_LINE_NOTES) notes.push({ level: 'warn', file: path, line: no, message: `expected "<timestamp_ms> <value> <step>", got "${t.slice(0, 60)}"; skipped` });
      continue;
    }
    const p: MlflowPoint = { step, value, ts, wallTime: ts / 1000, line: no };
    const prev = byStep.get(step);
    if (!prev) { byStep.set(step, p); order.push(step); continue; }
    duplicates++;
    if (ts > prev.ts || (ts === prev.ts && (value > prev.value || Number.isNaN(prev.value)))) byStep.set(step, p);
  }
  if (bad > MAX_LINE_NOTES) notes.push({ level: 'warn', file: path, message: `${bad} lines in all were malformed` });
  const points = order.sort((a, b) => a - b).map((s) => {
    const { ts: _ts, ...rest } = byStep.get(s)!;
    return rest;
  });
  return { points, duplicates };
}

async function readSmall(path: string): Promise<string> {
  try {
    const buf = await readFile(path);
    return buf.subarray(0, MAX_PARAM_BYTES).toString('utf8');
  } catch (err) {
    throw inputErrorFromFs(path, err);
  }
}

/** Reads one MLflow run directory (or its meta.yaml) into a fragment. */
export async function readMlflowRun(dirOrMeta: string, opts: ReadOptions = {}): Promise<RunFragment> {
  const dir = basename(dirOrMeta) === 'meta.yaml' ? dirname(dirOrMeta) : dirOrMeta;
  if (!(await isMlflowRunDir(dir))) throw new InputError(dir, 'not an MLflow run directory (needs meta.yaml and metrics/ or params/)');
  const notes: Note[] = [];
  const metaPath = join(dir, 'meta.yaml');
  let meta: Record<string, unknown> = {};
  try {
    const doc = (await loadYaml()).parse(await readSmall(metaPath), { logLevel: 'silent', strict: false });
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) meta = doc as Record<string, unknown>;
    else notes.push({ level: 'warn', file: metaPath, message: 'meta.yaml is not a mapping; run status unknown' });
  } catch (err) {
    if (err instanceof InputError) throw err;
    notes.push({ level: 'warn', file: metaPath, message: `meta.yaml is not valid YAML (${(err as Error).message.split('\n')[0]}); run status unknown` });
  }
  const files = [metaPath];
  const frag: RunFragment = { format: 'mlflow', files, notes };

  // status
  const code = typeof meta.status === 'number' ? meta.status : parseNumber(String(meta.status ?? ''));
  const endTime = meta.end_time;
  if (code === STATUS_RUNNING) {
    // a crashed process leaves RUNNING with no end_time, so RUNNING alone cannot tell running from dead
    frag.status = endTime === null || endTime === undefined ? 'running' : 'incomplete';
    notes.push({ level: 'info', file: metaPath, message: endTime == null ? 'MLflow status RUNNING with no end time: still running, or the process died without ending the run' : 'MLflow status RUNNING but an end time is set; treated as incomplete' });
  } else if (code === STATUS_SCHEDULED) frag.status = 'unknown';
  else if (code !== null && STATUS_BY_CODE[code]) frag.status = STATUS_BY_CODE[code];
  else if (meta.status !== undefined) notes.push({ level: 'warn', file: metaPath, message: `unknown MLflow status ${String(meta.status)}` });
  if (meta.lifecycle_stage === 'deleted') notes.push({ level: 'warn', file: metaPath, message: 'this MLflow run is marked deleted' });

  // params -> hyperparameters
  const params: { key: string; path: string }[] = [];
  await listFiles(join(dir, 'params'), '', 0, params);
  if (params.length) {
    const hp: Record<string, HyperValue> = {};
    for (const p of params) hp[p.key] = parseParamValue(await readSmall(p.path));
    frag.hyperparameters = hp;
    frag.hyperparametersFrom = { file: join(dir, 'params') };
  }
  // tags are not hyperparameters; they are read only as a hint to the algorithm (e.g. a user's `method` tag)
  const tags: { key: string; path: string }[] = [];
  await listFiles(join(dir, 'tags'), '', 0, tags);
  const tagValues: Record<string, HyperValue> = {};
  for (const t of tags) tagValues[t.key] = (await readSmall(t.path)).trim();

  // metrics
  const metricFiles: { key: string; path: string }[] = [];
  await listFiles(join(dir, 'metrics'), '', 0, metricFiles);
  const raws: RawSeries[] = [];
  const epochMetric = metricFiles.find((m) => m.key === 'epoch');
  let epochPoints: Point[] = [];
  for (const m of metricFiles) {
    const { points, duplicates } = await readMetricFile(m.path, notes, opts.maxBytes);
    files.push(m.path);
    // Lightning logs `epoch` again on each validation row at the same step; that repeat is expected, not news
    if (duplicates && m !== epochMetric) {
      notes.push({ level: 'info', file: m.path, message: `${duplicates} repeated step(s); kept the latest value of each (max by timestamp, then value, as MLflow does)` });
    }
    if (m === epochMetric) { epochPoints = points; continue; }
    raws.push({ rawName: m.key, file: m.path, granularity: 'iteration', points });
  }
  // An `epoch` metric logged beside the others (Lightning's MLFlowLogger) gives each point its epoch; epoch-level
  // names (val_*, *_epoch) are then indexed by epoch, as in the text logs.
  const epochAt = new Map(epochPoints.map((p) => [p.step, p.value]));
  for (const r of raws) {
    if (epochAt.size) for (const p of r.points) { const e = epochAt.get(p.step); if (e !== undefined && Number.isFinite(e)) p.epoch = Math.round(e); }
    if (isEpochLevelName(r.rawName, canonicalKey(r.rawName, opts.metricAliases))) {
      r.granularity = 'epoch';
      if (r.points.every((p) => p.epoch !== undefined)) r.points = r.points.map((p) => ({ ...p, step: p.epoch! }));
    }
  }
  const built = buildSeries(raws, opts.metricAliases);
  frag.series = built.series;
  notes.push(...built.notes);
  const hint = { ...tagValues, ...(frag.hyperparameters ?? {}) };
  const g = guessAlgorithm(hint, built.series.map((s) => s.key), metaPath);
  if (g.algorithm) frag.algorithm = g.algorithm;
  if (g.note) notes.push(g.note);
  const val = built.series.find((s) => s.key === KEY.valAcc);
  if (val) {
    const finite = val.points.map((p) => p.value).filter(Number.isFinite);
    if (finite.length) frag.bestAcc1 = Math.max(...finite);
  }
  return frag;
}

/** meta.yaml of a run (not of an experiment): it has run_uuid/run_id and artifact_uri. */
export function sniffMlflowMeta(name: string, head: Buffer): boolean {
  if (basename(name) !== 'meta.yaml') return false;
  const t = head.toString('utf8');
  return /^(run_uuid|run_id):/m.test(t) && /^artifact_uri:/m.test(t);
}

export const mlflowReader: FormatReader = {
  format: 'mlflow',
  sniff: sniffMlflowMeta,
  read: (path: string, opts?: ReadOptions) => readMlflowRun(path, opts),
};
