// The last-resort reader for console print-outs dann-doctor has no dedicated reader for (and for the stdout/stderr
// captures beside a run: out.txt, err.txt, *.err, slurm-*.out, nohup.out, W&B output.log). It reads `key: value`
// numbers per line (scan-line.ts) and whitespace tables (a header row of names, then rows of numbers, as DomainBed
// prints them), splits invocations appended to one file (a header the script prints at start, a config dict, or a
// progress counter that starts over), and sets each invocation's status from its traceback. Series keep the names
// as written; the run's series come from the newest invocation that logged numbers, the others are attempts.
import { basename } from 'node:path';
import { readLines } from '../common/read-lines.js';
import { CrashTracker } from '../textlogs/crash.js';
import { buildSeries, canonicalKey, guessAlgorithm, isEpochLevelName, type RawSeries } from '../../understand/metric-aliases.js';
import { scanLine, type ScannedField } from './scan-line.js';
import { isOutOfMemory, killedByLine, statusOfCrash } from './outcome.js';
import { MAX_POINTS_PER_SERIES } from '../common/point-buffer.js';
import type { FormatReader, ReadOptions } from '../format-reader.js';
import type { AttemptReach, CrashInfo, HyperValue, Note, Point, RunAttempt, RunFragment, RunStatus, Series } from '../../model/types.js';

/** Names of a progress counter (the line's x-axis). Finest first: an iteration counter beats an epoch counter. */
const ITER_COUNTER = /^(iter|iters|iteration|iterations|it|itr|step|steps|global[ _]step|batch|global_step|update|updates)$/i;
const EPOCH_COUNTER = /^(epoch|epochs|ep)$/i;
/** A Python dict printed with str() at start (CDAN's `str(config)`, many scripts' `print(vars(args))`). */
const DICT_START = "{'";
/** Lines a script prints once when it starts; the same line recurring means the script was started again. */
const START_MARKER = /^(Environment:|Namespace\(|Args:|Arguments:|Config:|==+ ?(config|args|arguments)|Called with args:|Using config:)/i;
/** An argument line is short; longer lines are never config (and the pair regex stays cheap). */
const MAX_CONFIG_LINE_CHARS = 300;
/** A heading alone on its line (`Args:`, `HParams:`, `Environment:`), starting a block of indented `key: value`. */
const SECTION_HEADING = /^([A-Za-z][\w ]{0,40}):\s*$/;
/** Names of files that hold text but never training output. */
export const NOT_LOGS = /^(requirements.*\.txt|readme.*|license.*|licence.*|notice.*|changelog.*|.*\.ya?ml|.*\.json|conda-environment.*|debug(-internal)?\.log|done)$/i;
/** `…/site-packages/x.py:208: UserWarning: …` and the `warnings.warn(` echo below it. */
const WARNING_LINE = /\.py:\d+: \w*Warning\b|^\s+warnings\.warn\(/;
/** Keys that are paths or quoted prose, not metric names. */
const PROSE_KEY = /['"`]|\.py\b|\//;
/** A metric name has a few words (`accuracy of the svhn dataset`); more is a sentence. */
const MAX_KEY_WORDS = 6;
/** Keys of this length or longer with one point are prose numbers, not metrics. */
const MIN_POINTS_PER_SERIES = 2;
/**
 * A text field on a metric line (`Task: AD`, `phase: val`) labels what the numbers measured when its key is a short
 * name and its value one short word: longer values are prose or paths, not a task or split name.
 */
const MAX_LABEL_KEY_WORDS = 3;
const MAX_LABEL_VALUE_CHARS = 24;

/** The labels of one line: its short `key: word` text fields. */
export function lineLabels(texts: readonly { key: string; text: string }[]): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const { key, text } of texts) {
    if (PROSE_KEY.test(key) || key.split(' ').length > MAX_LABEL_KEY_WORDS) continue;
    if (text.length > MAX_LABEL_VALUE_CHARS || /\s|['"`/\\]/.test(text) || isNumberToken(text)) continue;
    (out ??= {})[key] = text;
  }
  return out;
}

/**
 * One metric's points split by the labels that change between its lines (`Task: AD` then `Task: AW` in SHOT's
 * log_test.txt: two evaluations of different tasks, not one curve). Labels every point shares are the series' labels.
 */
export function splitByLabels(points: readonly Point[], labelsOf: (p: Point) => Record<string, string> | undefined): { points: Point[]; labels?: Record<string, string>; varying: string[] }[] {
  const values = new Map<string, Set<string>>();
  for (const p of points) for (const [k, v] of Object.entries(labelsOf(p) ?? {})) (values.get(k) ?? values.set(k, new Set()).get(k)!).add(v);
  const shared = (k: string) => points.every((p) => labelsOf(p)?.[k] !== undefined);
  const varying = [...values].filter(([k, vs]) => vs.size > 1 || !shared(k)).map(([k]) => k);
  const constant = Object.fromEntries([...values].filter(([k]) => !varying.includes(k)).map(([k, vs]) => [k, [...vs][0]]));
  const groups = new Map<string, Point[]>();
  for (const p of points) {
    const l = labelsOf(p) ?? {};
    const sig = JSON.stringify(varying.map((k) => l[k] ?? null));
    (groups.get(sig) ?? groups.set(sig, []).get(sig)!).push(p);
  }
  return [...groups].map(([sig, pts]) => {
    const vals = JSON.parse(sig) as (string | null)[];
    const labels = { ...constant, ...Object.fromEntries(varying.flatMap((k, i) => (vals[i] === null ? [] : [[k, vals[i]!]]))) };
    return { points: pts, ...(Object.keys(labels).length ? { labels } : {}), varying: varying.filter((_, i) => vals[i] !== null) };
  });
}

interface Invocation {
  index: number;
  line: number;
  endLine: number;
  config: Record<string, HyperValue>;
  points: Map<string, Point[]>;
  totals: Map<string, number>;
  crash?: CrashInfo;
  killedLine?: number;
  finishedLine?: number;
  /** lines that gave at least one metric */
  metricLines: number;
  /** counter value of the first metric line: a later line whose counter is <= it starts a new invocation */
  firstCounter?: number;
  lastCounter?: number;
  /** the last step between two counter values (an evaluation interval): how far short of the plan a finished run may stop */
  counterGap?: number;
  counterName?: string;
  granularity: 'iteration' | 'epoch';
  /** a whitespace table in progress: column names */
  table?: string[];
  /** the config heading (`Args:`) the indented lines below belong to */
  section?: string;
  /** per key: keep every stride-th value once the point budget is reached */
  thinning: Map<string, { stride: number; seen: number }>;
}

function newInvocation(index: number, line: number): Invocation {
  return { index, line, endLine: line, config: {}, points: new Map(), totals: new Map(), metricLines: 0, granularity: 'iteration', thinning: new Map() };
}

/** Splits a line that starts with printed dicts (`{...}{...}iter: ...`) into the dicts and the rest. */
export function splitLeadingDicts(s: string): { dicts: string[]; rest: string } {
  const dicts: string[] = [];
  let i = 0;
  while (s.startsWith(DICT_START, i) || (s[i] === '{' && s[i + 1] === '"')) {
    let depth = 0;
    let quote = '';
    let j = i;
    for (; j < s.length; j++) {
      const c = s[j];
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (j >= s.length) break; // unbalanced: not a complete dict
    dicts.push(s.slice(i, j + 1));
    i = j + 1;
  }
  return { dicts, rest: s.slice(i) };
}

/** Top-level `'key': scalar` pairs of a printed dict (nested dicts flattened with dots). Linear scan, no eval. */
export function dictConfig(text: string): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  const path: string[] = [];
  let pendingKey: string | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      const str = text.slice(i + 1, j);
      i = j + 1;
      while (i < n && text[i] === ' ') i++;
      if (text[i] === ':') { pendingKey = str; i++; continue; }
      if (pendingKey !== undefined) { out[[...path, pendingKey].join('.')] = str; pendingKey = undefined; }
      continue;
    }
    if (c === '{') { if (pendingKey !== undefined && i > 0) path.push(pendingKey); pendingKey = undefined; i++; continue; }
    if (c === '}') { path.pop(); i++; continue; }
    if (c === '<') { // <class 'x'>, <open file ...>: an object repr, kept as its text
      let j = i;
      while (j < n && text[j] !== '>') j++;
      if (pendingKey !== undefined) { out[[...path, pendingKey].join('.')] = text.slice(i, j + 1); pendingKey = undefined; }
      i = j + 1;
      continue;
    }
    if (pendingKey !== undefined && /[-\d.TFN\[]/.test(c)) {
      let j = i;
      let depth = 0;
      while (j < n && (depth > 0 || (text[j] !== ',' && text[j] !== '}'))) { if (text[j] === '[') depth++; else if (text[j] === ']') depth--; j++; }
      const raw = text.slice(i, j).trim();
      const num = Number(raw);
      out[[...path, pendingKey].join('.')] = raw === 'True' ? true : raw === 'False' ? false : raw === 'None' ? null : raw !== '' && Number.isFinite(num) ? num : raw;
      pendingKey = undefined;
      i = j;
      continue;
    }
    i++;
  }
  // the outermost dict pushed nothing; the path may hold the last nested key if the text was cut
  return out;
}

/** A `key: value` config line (`\tlr: 0.001`, `lr:0.01`, `--lr 0.01`) with a plain value. */
function configPair(text: string): [string, HyperValue] | undefined {
  if (text.length > MAX_CONFIG_LINE_CHARS) return undefined;
  const m = /^\s*(?:--)?([A-Za-z_][\w.\-]{0,60})\s*[:=]\s*(.{0,200})$/.exec(text);
  if (!m) return undefined;
  const raw = m[2].trim();
  const num = Number(raw);
  const value: HyperValue = raw === '' ? '' : raw === 'True' || raw === 'true' ? true : raw === 'False' || raw === 'false' ? false : raw === 'None' || raw === 'null' ? null : Number.isFinite(num) ? num : raw;
  return [m[1], value];
}

const isNumberToken = (t: string): boolean => /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^[-+]?(nan|inf)$/i.test(t);

export interface ConsoleOptions extends ReadOptions {
  /** stdout/stderr captures beside other logs: only the invocations and their outcome, no series */
  statusOnly?: boolean;
}

export async function readConsoleLog(file: string, opts: ConsoleOptions = {}): Promise<RunFragment> {
  const notes: Note[] = [];
  const invocations: Invocation[] = [];
  let cur = newInvocation(1, 1);
  invocations.push(cur);
  let firstLineText: string | undefined;
  let crashTracker = new CrashTracker(file);
  let sawAnyDigit = false;
  let lastLineNo = 0;
  const start = (line: number): void => {
    if (cur.metricLines === 0 && !cur.crash && Object.keys(cur.config).length === 0 && cur.line === line) return;
    cur.endLine = Math.max(cur.line, line - 1);
    cur = newInvocation(invocations.length + 1, line);
    invocations.push(cur);
    crashTracker = new CrashTracker(file);
  };
  const pointLabels = new WeakMap<Point, Record<string, string>>();
  let lineLabel: Record<string, string> | undefined;
  const addField = (inv: Invocation, key: string, value: number, step: number, lineNo: number, epoch?: number): void => {
    // bounded memory: past the budget keep every stride-th value, and every non-finite one (a NaN is a symptom)
    const th = inv.thinning.get(key) ?? inv.thinning.set(key, { stride: 1, seen: 0 }).get(key)!;
    const keep = th.seen++ % th.stride === 0 || !Number.isFinite(value);
    if (!keep) return;
    const p: Point = { step, value, line: lineNo };
    if (epoch !== undefined) p.epoch = epoch;
    if (lineLabel) pointLabels.set(p, lineLabel);
    const list = inv.points.get(key) ?? inv.points.set(key, []).get(key)!;
    list.push(p);
    if (list.length > MAX_POINTS_PER_SERIES) {
      th.stride *= 2;
      let w = 0;
      for (let r = 0; r < list.length; r++) if (r % 2 === 0 || !Number.isFinite(list[r].value)) list[w++] = list[r];
      list.length = w;
    }
  };
  const end = opts.maxBytes;
  for await (const { no, text } of readLines(file, { notes, end })) {
    lastLineNo = no;
    let t = text;
    if (!sawAnyDigit && /\d/.test(t)) sawAnyDigit = true;
    // 1. invocation boundaries
    if (t.startsWith(DICT_START) || t.startsWith('{"')) {
      const { dicts, rest } = splitLeadingDicts(t);
      for (const d of dicts) {
        start(no);
        Object.assign(cur.config, dictConfig(d));
      }
      t = rest;
      if (!t.trim()) continue;
    } else if (firstLineText === undefined && t.trim()) {
      firstLineText = t.trim();
    } else if (t.trim() && (t.trim() === firstLineText && START_MARKER.test(t.trim()))) {
      start(no);
    }
    cur.endLine = no;
    // 2. tracebacks and outcome lines
    if (crashTracker.feed(t, no)) {
      if (crashTracker.crash) cur.crash = crashTracker.crash;
      continue;
    }
    if (killedByLine(t)) { cur.killedLine = no; continue; }
    if (/^\s*Finished training\b|^\s*Training (finished|complete|done)\b/i.test(t)) cur.finishedLine = no;
    // 3. whitespace tables: a row of names, then rows of as many numbers
    const tokens = t.trim().split(/\s+/);
    if (cur.table) {
      if (tokens.length === cur.table.length && tokens.every(isNumberToken)) {
        const row = tokens.map(Number);
        const stepCol = cur.table.findIndex((c) => ITER_COUNTER.test(c));
        const step = stepCol >= 0 ? row[stepCol] : cur.metricLines;
        const seen = new Set<string>();
        cur.table.forEach((name, ci) => {
          let key = name;
          if (seen.has(key)) key = `${name} (column ${ci + 1})`;
          seen.add(key);
          if (ci !== stepCol) addField(cur, key, Number(tokens[ci]), step, no);
        });
        cur.metricLines++;
        continue;
      }
      cur.table = undefined;
    }
    if (tokens.length >= 3 && tokens.every((x) => /^[A-Za-z_][\w./@-]*$/.test(x)) && tokens.some((x) => /[_\d]/.test(x) || ITER_COUNTER.test(x) || EPOCH_COUNTER.test(x))) {
      cur.table = tokens;
      continue;
    }
    // 4. before the first metric line, a lone `key: value` is configuration (an argument header), numeric or not
    if (cur.metricLines === 0 && !/[,;|\t]/.test(t.trim())) {
      // `Args:` / `HParams:` headings: the indented lines below are that section's keys (DomainBed prints both,
      // and both have a batch_size)
      const heading = SECTION_HEADING.exec(t);
      if (heading) { cur.section = heading[1].trim().toLowerCase().replace(/\s+/g, '_'); continue; }
      if (!/^\s/.test(t)) cur.section = undefined;
      const parsed = configPair(t);
      const pair: [string, HyperValue] | undefined = parsed && cur.section ? [`${cur.section}.${parsed[0]}`, parsed[1]] : parsed;
      if (pair && scanLine(t).fields.length <= 1) {
        const before = cur.config[pair[0]];
        if (!(pair[0] in cur.config) || typeof before !== 'number' || typeof pair[1] !== 'number') { cur.config[pair[0]] = pair[1]; continue; }
        // the same numeric key again: a one-metric-per-line log, not a header; its first value becomes a point
        delete cur.config[pair[0]];
        addField(cur, pair[0], before, 0, no - 1);
        cur.metricLines++;
      }
    }
    // 5. key/value numbers (a library warning names a file:line and a version, never a metric)
    if (!/\d|nan|inf/i.test(t) || WARNING_LINE.test(t)) continue;
    const { fields: scanned, texts } = scanLine(t);
    lineLabel = lineLabels(texts);
    const fields = scanned.filter((f) => !PROSE_KEY.test(f.key) && f.key.split(' ').length <= MAX_KEY_WORDS);
    const named = fields.filter((f) => f.key !== '');
    if (named.length === 0 && !fields.some((f) => f.total !== undefined)) continue;
    const counter = pickCounter(fields);
    if (counter) {
      const v = counter.field.value;
      if (cur.metricLines > 0 && cur.counterName === counter.name && cur.lastCounter !== undefined && v < cur.lastCounter && cur.firstCounter !== undefined && v <= cur.firstCounter) {
        // the counter started over: a new invocation appended to the same file
        start(no);
      }
      cur.counterName ??= counter.name;
      cur.firstCounter ??= v;
      if (cur.lastCounter !== undefined && v > cur.lastCounter) cur.counterGap = v - cur.lastCounter;
      cur.lastCounter = v;
      if (counter.epoch) cur.granularity = 'epoch';
      if (counter.field.total !== undefined) cur.totals.set(counter.name, counter.field.total);
    }
    // a line without a counter belongs to the last counter value seen (SHOT prints `Accuracy = a% -> b%` between
    // its `Iter:i/N` lines); with no counter at all, lines are numbered
    const step = counter ? counter.field.value : cur.lastCounter ?? cur.metricLines;
    const epochField = fields.find((f) => isEpochCounter(f.key));
    let added = 0;
    for (const f of fields) {
      if (counter && f === counter.field) continue;
      if (f === epochField && counter) continue;
      if (!f.key) continue;
      addField(cur, f.key, f.value, step, no, epochField && counter && !counter.epoch ? epochField.value : undefined);
      added++;
    }
    if (added > 0) cur.metricLines++;
    lineLabel = undefined;
  }
  if (lastLineNo > 0) cur.endLine = Math.max(cur.endLine, lastLineNo);

  // Outcomes per invocation
  const statusOf = (inv: Invocation): RunStatus => (inv.crash ? statusOfCrash(inv.crash) : inv.killedLine ? 'killed' : inv.finishedLine ? 'finished' : 'unknown');
  const real = invocations.filter((inv) => inv.metricLines > 0 || inv.crash || Object.keys(inv.config).length > 0 || inv.killedLine);
  const attempts: RunAttempt[] = real.map((inv, k) => ({
    file, line: inv.line, endLine: inv.endLine, index: k + 1, status: statusOf(inv),
    ...(inv.crash ? { crash: inv.crash } : {}),
    ...(Object.keys(inv.config).length ? { config: inv.config } : {}),
    ...(inv.lastCounter !== undefined && inv.counterName && (isIterCounter(inv.counterName) || isEpochCounter(inv.counterName)) ? { reached: reachOf(inv) } : {}),
    pointCounts: Object.fromEntries([...inv.points].map(([key, pts]) => [key, pts.length])),
  }));
  const withData = real.filter((inv) => inv.metricLines > 0);
  const chosen = withData.at(-1);
  const last = real.at(-1);
  const frag: RunFragment = { format: 'console', files: [file], notes };
  if (real.length > 1) {
    frag.attempts = attempts;
    const crashed = attempts.filter((a) => a.crash).length;
    notes.push({
      level: 'info', file,
      message: `${real.length} invocations appended in this file (${withData.length} logged numbers, ${crashed} ended in a traceback); ${chosen ? `the run's series are invocation ${real.indexOf(chosen) + 1} (lines ${chosen.line}-${chosen.endLine})` : 'none logged numbers'}`,
    });
    if (last && chosen && last !== chosen) notes.push({ level: 'warn', file, line: last.line, message: `the newest invocation (lines ${last.line}-${last.endLine}) logged no numbers${last.crash ? ` and ended in ${last.crash.type}` : ''}` });
  }
  // The run's status is the newest invocation's: an earlier crash that was fixed and rerun is history.
  if (last) {
    const st = statusOf(last);
    if (st !== 'unknown') frag.status = st;
    if (last.crash) {
      frag.crash = last.crash;
      if (st === 'killed') notes.push({ level: 'info', file, line: last.crash.line, message: `stopped by hand (${last.crash.type}): killed, not a crash` });
      if (isOutOfMemory(last.crash)) notes.push({ level: 'warn', file, line: last.crash.line, message: `ran out of memory (${last.crash.type})` });
    }
  }
  for (const inv of real) if (inv !== last && inv.crash && isOutOfMemory(inv.crash)) notes.push({ level: 'info', file, line: inv.crash.line, message: `invocation ${real.indexOf(inv) + 1} ran out of memory (${inv.crash.type})` });
  const cfg = chosen?.config ?? last?.config;
  if (cfg && Object.keys(cfg).length) {
    frag.hyperparameters = cfg;
    frag.hyperparametersFrom = { file, line: (chosen ?? last)!.line };
  }
  if (opts.statusOnly || !chosen) {
    if (!opts.statusOnly && !chosen) notes.push({ level: 'warn', file, message: sawAnyDigit ? 'no `name value` numbers found in this text' : 'no numbers at all in this file: not a training log' });
    return frag;
  }
  const raws: RawSeries[] = [];
  const labelled: Series[] = [];
  const constantLabels = new Map<string, Record<string, string>>();
  for (const [key, points] of chosen.points) {
    const gran = chosen.granularity === 'epoch' || isEpochLevelName(key, canonicalKey(key, opts.metricAliases)) ? 'epoch' : 'iteration';
    const groups = splitByLabels(points, (p) => pointLabels.get(p));
    if (groups.length === 1) {
      if (points.length < MIN_POINTS_PER_SERIES && chosen.metricLines >= MIN_POINTS_PER_SERIES) continue;
      raws.push({ rawName: key, file, granularity: gran, points });
      if (groups[0].labels) constantLabels.set(key, groups[0].labels);
      continue;
    }
    // one series per task the lines name: the key says which, the name stays as written (its words give the role)
    for (const g of groups) {
      const one = buildSeries([{ rawName: key, file, granularity: gran, points: g.points }], opts.metricAliases).series[0];
      const which = g.varying.map((k) => `${k}: ${g.labels![k]}`).join(', ');
      labelled.push({ ...one, key: `${key} [${which}]`, ...(g.labels ? { labels: g.labels } : {}) });
    }
  }
  const built = buildSeries(raws, opts.metricAliases);
  for (const s of built.series) {
    const l = constantLabels.get(s.rawName);
    if (l) s.labels = l;
  }
  frag.series = [...built.series, ...labelled];
  notes.push(...built.notes);
  const g = guessAlgorithm(frag.hyperparameters, built.series.map((s) => s.key), file);
  if (g.algorithm) frag.algorithm = g.algorithm;
  if (g.note) notes.push(g.note);
  const total = chosen.counterName ? chosen.totals.get(chosen.counterName) : undefined;
  if (total !== undefined && chosen.lastCounter !== undefined && !last?.crash) {
    if (chosen.lastCounter >= total) frag.status ??= 'finished';
    else if (chosen === last) frag.status ??= 'incomplete';
  }
  notes.push({ level: 'info', file, message: `read by the generic console reader (${basename(file)}: ${chosen.metricLines} lines with numbers${chosen.counterName ? `, x-axis "${chosen.counterName}"` : ''}); names kept as written` });
  return frag;
}

/** Where an invocation's counter reached, for its status against the plan when no traceback says how it ended. */
function reachOf(inv: Invocation): AttemptReach {
  const total = inv.counterName ? inv.totals.get(inv.counterName) : undefined;
  if (inv.granularity === 'epoch') return { firstEpoch: inv.firstCounter, lastEpoch: inv.lastCounter, ...(total !== undefined ? { plannedEpochs: total } : {}) };
  return { lastStep: inv.lastCounter, ...(inv.counterGap !== undefined ? { stepInterval: inv.counterGap } : {}), ...(total !== undefined ? { plannedSteps: total } : {}) };
}

/**
 * The word of a key that names a counter: its last word (`Train Epoch`, `INFO - epoch`, `global_step`), unless the
 * key says it is a limit or a total (`max_epoch`, `num_steps`), which is configuration.
 */
function counterWord(key: string): string {
  const words = key.split(/[\s_\-:|/]+/).filter(Boolean);
  if (words.length > 1 && /^(num|max|min|total|n|warmup)$/i.test(words[words.length - 2])) return '';
  return words.length ? words[words.length - 1] : '';
}
const isIterCounter = (key: string): boolean => ITER_COUNTER.test(key) || ITER_COUNTER.test(counterWord(key));
const isEpochCounter = (key: string): boolean => EPOCH_COUNTER.test(key) || EPOCH_COUNTER.test(counterWord(key));

function pickCounter(fields: ScannedField[]): { field: ScannedField; name: string; epoch: boolean } | undefined {
  const iter = fields.find((f) => isIterCounter(f.key) && Number.isInteger(f.value));
  if (iter) return { field: iter, name: iter.key, epoch: false };
  const ep = fields.find((f) => isEpochCounter(f.key) && Number.isInteger(f.value));
  if (ep) return { field: ep, name: ep.key, epoch: true };
  const prog = fields.find((f) => f.total !== undefined && Number.isInteger(f.value));
  if (prog) return { field: prog, name: prog.key || 'progress', epoch: false };
  return undefined;
}

/** Text with at least one digit and no NUL bytes (binary); the name decides nothing. */
export function sniffConsole(name: string, head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  if (name && NOT_LOGS.test(basename(name))) return false;
  return /\d/.test(head.toString('latin1'));
}

export const consoleReader: FormatReader = {
  format: 'console',
  sniff: sniffConsole,
  read: (path: string, opts?: ReadOptions) => readConsoleLog(path, opts),
};
