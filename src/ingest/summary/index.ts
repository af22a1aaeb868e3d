// Reads end-of-run results files: a JSON object of final metrics (`metrics.json`, `eval_results.json`,
// `all_results.json`: `{"test_acc": 98.22, "test_f1": 0.98}`) or a text summary of `key: value` lines
// (`results_summary.txt`: `target_acc_after: 0.8845  (CORAL adapted)`). Each metric becomes a one-value series marked
// end-of-run (its role is inferred like any series, src/understand/final-results.ts); settings written beside them
// (`lr: 0.001`, `lambda_coral: 1.0`) are hyperparameters. A file that repeats a key or is not one JSON object is no
// summary (a log, JSON lines): the file is read as a log instead. A JSON object of number lists (Keras' history
// dumped with json.dump) holds curves: one series per metric, one value per epoch.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { HyperValue, Note, RunFragment, Series } from '../../model/types.js';
import { inferRoleFromName } from '../../understand/infer-role.js';
import { parseLenientJson } from '../wandb/lenient-json.js';
import { inputErrorFromFs } from '../input-error.js';

/** Names of files that may hold a run's final results (the content decides). */
export const SUMMARY_FILE = /^(?:[\w-]*[_-])?(?:results?|summary|metrics|scores|final|history)(?:[_-][\w-]*)?\.(json|txt)$/i;
/** A summary is a few KB; beyond this it is a log or a dump, read by the other readers. */
export const MAX_SUMMARY_BYTES = 1 << 20;
/** Nesting followed in a JSON summary (`{"test": {"acc": ...}}`): deeper is data, not a summary. */
const MAX_DEPTH = 3;
/** A `key: value` line of a text summary; the value may be followed by a remark (`0.8971  (source-only baseline)`). */
const PAIR = /^\s*([A-Za-z_][\w.\-/@ ]{0,60}?)\s*[:=]\s*(.{0,300})$/;
const NUMBER_WITH_REMARK = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*%?\s*(?:\((.{1,80})\)|#\s*(.{1,80}))?\s*$/i;

/** Quantities that are results of the finished model; everything else in a summary is a setting. */
const RESULT_QUANTITIES = new Set(['accuracy', 'error', 'class-loss', 'total-loss', 'loss', 'f1', 'entropy']);

function isResultName(name: string): boolean {
  return RESULT_QUANTITIES.has(inferRoleFromName(name, 'epoch').quantity);
}

function oneValueSeries(file: string, name: string, value: number, line: number | undefined, comment?: string): Series {
  return {
    key: name, rawName: name, file, unit: 'other', granularity: 'epoch', endOfRun: 'summary',
    points: [{ step: 0, value, ...(line !== undefined ? { line } : {}) }],
    ...(comment ? { comment: `(${comment.trim()})` } : {}),
  };
}

function flatten(v: unknown, prefix: string, depth: number, out: [string, unknown][]): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, prefix ? `${prefix}/${k}` : k, depth + 1, out);
    return;
  }
  out.push([prefix, v]);
}

/** A list of numbers under a metric name (Keras `history.history` dumped as JSON): one value per epoch. */
function historySeries(file: string, name: string, values: unknown[]): Series | undefined {
  if (values.length < 2 || !values.every((x) => typeof x === 'number' || x === null)) return undefined;
  const points = values.map((x, i) => ({ step: i, epoch: i, value: x === null ? NaN : (x as number) }));
  return { key: name, rawName: name, file, unit: 'other', granularity: 'epoch', points };
}

function fromJson(file: string, text: string): SummaryRead {
  let doc: unknown;
  try {
    doc = parseLenientJson(text);
  } catch {
    return 'not-a-summary'; // JSON lines (Detectron2's metrics.json) or not JSON: the log readers decide
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'no-metrics';
  const leaves: [string, unknown][] = [];
  flatten(doc, '', 0, leaves);
  const series: Series[] = [];
  const hyper: Record<string, HyperValue> = {};
  for (const [k, v] of leaves) {
    if (typeof v === 'number' && isResultName(k)) series.push(oneValueSeries(file, k, v, undefined));
    else if (Array.isArray(v) && isResultName(k)) {
      const h = historySeries(file, k, v);
      if (h) series.push(h);
    } else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') hyper[k] = v;
  }
  if (series.length === 0) return 'no-metrics';
  return fragment(file, series, hyper);
}

function fromText(file: string, text: string): SummaryRead {
  const series: Series[] = [];
  const hyper: Record<string, HyperValue> = {};
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = PAIR.exec(lines[i]);
    if (!m) continue;
    const key = m[1].trim();
    const raw = m[2].trim();
    if (raw === '') continue; // a heading (`Results:`)
    if (seen.has(key)) return 'not-a-summary'; // the same name twice: a log of several evaluations, not a summary
    seen.add(key);
    const num = NUMBER_WITH_REMARK.exec(raw);
    if (num && isResultName(key)) series.push(oneValueSeries(file, key, Number(num[1]), i + 1, num[2] ?? num[3]));
    else if (num) hyper[key] = Number(num[1]);
    else hyper[key] = raw === 'True' || raw === 'true' ? true : raw === 'False' || raw === 'false' ? false : raw === 'None' || raw === 'null' ? null : raw;
  }
  if (series.length === 0) return 'not-a-summary';
  return fragment(file, series, hyper);
}

function fragment(file: string, series: Series[], hyper: Record<string, HyperValue>): RunFragment {
  const notes: Note[] = [{ level: 'info', file, message: `${basename(file)}: end-of-run results (${series.length} metric${series.length === 1 ? '' : 's'}: ${series.slice(0, 6).map((s) => s.rawName).join(', ')}${series.length > 6 ? ', …' : ''})` }];
  return {
    format: 'summary', files: [file], series, notes,
    ...(Object.keys(hyper).length ? { hyperparameters: hyper, hyperparametersFrom: { file } } : {}),
  };
}

/**
 * What a summary-named file held: its results, 'not-a-summary' (a log, JSON lines: the log readers should read it) or
 * 'no-metrics' (one JSON object without a metric: nothing to read, and no log either).
 */
export type SummaryRead = RunFragment | 'not-a-summary' | 'no-metrics';

/** The file's final results (and metric histories of a JSON object of lists), or why there are none. */
export async function readSummaryFile(file: string): Promise<SummaryRead> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  if (size === 0 || size > MAX_SUMMARY_BYTES) return 'not-a-summary';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  return /\.json$/i.test(file) ? fromJson(file, text) : fromText(file, text);
}
