// Dassl.pytorch log.txt: Arguments/Config header, `epoch [e/E] batch [b/B] ... loss_d ...` lines, evaluation and
// per-class blocks (`* accuracy: 73.0%`), `Finish training`.
import { loadYaml } from '../lazy-yaml.js';
import { readLines } from '../common/read-lines.js';
import { buildSeries, parseNumber, type RawSeries } from '../../understand/metric-aliases.js';
import { flattenHyper } from '../common/hparams.js';
import { literalOrSource } from '../common/python-literal.js';
import { CrashTracker } from './crash.js';
import type { ReadOptions } from '../format-reader.js';
import type { Algorithm, Evaluation, HyperValue, Note, PerClassTable, Point, RunFragment, SourceRef } from '../../model/types.js';

/** `epoch [3/30] batch [20/100] time 0.215 (0.240) ... loss_d 1.3612 (1.3790) lr 2.0000e-03 eta 0:21:04` */
// METER: names start at a word boundary and are at most 64 chars; otherwise a long line of letters backtracks
// quadratically (found by `npm run fuzz`: 15 s for one 120 KB line).
// Newer Dassl prints `epoch [1/50][5/500]\ttime 0.1 (0.2)\t...` (tab-separated, no `batch` word).
export const DASSL_TRAIN = /^epoch \[(\d+)\/(\d+)\]\s*(?:batch\s*)?\[(\d+)\/(\d+)\]\s+(.*)$/;
const METER = /(?<!\w)([A-Za-z_]\w{0,63})\s+(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|-?inf)(?:\s+\((-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|-?inf)\))?/gi;
/** `Finish training` (older Dassl) or `Finished training` (newer). */
const FINISHED = /^Finish(ed)? training/;
/** timing meters, not training signals */
const SKIP_METERS = new Set(['time', 'data', 'eta']);
const EVAL_START = /^Evaluate on the \*(\w+)\* set/;
const RESULT_FIELD = /^\* (total|correct|accuracy|error|macro_f1|average):\s*([\d,.]+|nan)%?/;
const PER_CLASS_ROW = /^\* class: (\d+) \(([^)]*)\)\s+total: ([\d,]+)\s+correct: ([\d,]+)\s+acc: ([\d.]+|nan)%/;
/** Dassl trainer names that are algorithms dann-doctor knows. */
const TRAINER_TO_ALGORITHM: Record<string, Algorithm> = { dann: 'dann', adda: 'adda', mcd: 'mcd', self_ensembling: 'self_ensemble', fixmatch: 'fixmatch', source_only: 'erm', sourceonly: 'erm' };
/** The yacs config dump is a few hundred lines; stop collecting after this many (resource guard). */
const MAX_CONFIG_LINES = 2000;

export async function readDasslLog(file: string, opts: ReadOptions = {}): Promise<RunFragment> {
  const notes: Note[] = [];
  const crash = new CrashTracker(file);
  const series = new Map<string, Point[]>();
  const evaluations: Evaluation[] = [];
  const perClass: PerClassTable[] = [];
  const args: Record<string, HyperValue> = {};
  let argsFrom: SourceRef | undefined;
  let section: 'none' | 'args' | 'config' = 'none';
  let configLines: string[] = [];
  let lastEpoch: number | undefined;
  let itersPerEpoch: number | undefined;
  let plannedEpochs: number | undefined;
  let finished = false;
  let evalPhase: 'val' | 'test' | undefined;
  let pending: Evaluation | undefined;
  let table: PerClassTable | undefined;
  const flushEval = () => {
    if (pending && pending.acc1 !== undefined) evaluations.push(pending);
    pending = undefined;
  };
  const add = (name: string, p: Point) => {
    let list = series.get(name);
    if (!list) series.set(name, (list = []));
    list.push(p);
  };
  for await (const { no, text } of readLines(file, { notes, end: opts.maxBytes })) {
    if (crash.feed(text, no)) continue;
    // header banners: `** Arguments **` then `key: value`; `** Config **` then the yacs dump (YAML)
    if (/^\*+$/.test(text)) continue;
    if (text === '** Arguments **') { section = 'args'; argsFrom = { file, line: no }; continue; }
    if (text === '** Config **') { section = 'config'; configLines = []; continue; }
    if (section === 'args') {
      const m = /^([A-Za-z_][\w]*):\s*(.*)$/.exec(text);
      if (m) { args[m[1]] = literalOrSource(m[2]); continue; }
      section = 'none';
    } else if (section === 'config') {
      if ((/^[A-Z_][A-Z0-9_]*:/.test(text) || /^\s+\S/.test(text)) && configLines.length < MAX_CONFIG_LINES) { configLines.push(text); continue; }
      section = 'none';
    }
    const m = DASSL_TRAIN.exec(text);
    if (m) {
      flushEval();
      const epoch = Number(m[1]) - 1; // Dassl prints epoch+1 and batch_idx+1
      const iter = Number(m[3]) - 1;
      itersPerEpoch = Number(m[4]);
      plannedEpochs = Number(m[2]);
      const step = epoch * itersPerEpoch + iter;
      lastEpoch = epoch;
      for (const mm of m[5].matchAll(METER)) {
        if (SKIP_METERS.has(mm[1])) continue;
        const value = parseNumber(mm[2]);
        if (value === null) continue;
        const avg = mm[3] !== undefined ? parseNumber(mm[3]) : null;
        add(mm[1], { step, epoch, iter, value, line: no, ...(avg !== null ? { avg } : {}) });
      }
      continue;
    }
    const ev = EVAL_START.exec(text);
    if (ev) {
      flushEval();
      evalPhase = ev[1] === 'test' && finished ? 'test' : 'val';
      pending = { phase: evalPhase, domain: 'target', file, line: no, ...(lastEpoch !== undefined && !finished ? { epoch: lastEpoch } : {}) };
      continue;
    }
    if (text.startsWith('=> per-class result')) {
      table = { file, line: no, domain: 'target', origin: 'log', phase: evalPhase ?? 'val', rows: [], ...(lastEpoch !== undefined && !finished ? { epoch: lastEpoch } : {}) };
      if (pending?.acc1 !== undefined) table.globalCorrect = pending.acc1;
      perClass.push(table);
      continue;
    }
    const row = PER_CLASS_ROW.exec(text);
    if (row && table) {
      const acc = parseNumber(row[5]);
      table.rows.push({ name: row[2] || row[1], acc: acc ?? NaN });
      table.endLine = no;
      continue;
    }
    const rf = RESULT_FIELD.exec(text);
    if (rf) {
      const v = parseNumber(rf[2].replace(/,/g, ''));
      if (rf[1] === 'average' && table) { if (v !== null) table.meanCorrect = v; table = undefined; continue; }
      if (pending && rf[1] === 'accuracy' && v !== null) pending.acc1 = v;
      if (pending && rf[1] === 'macro_f1' && v !== null && pending.epoch !== undefined) add('val/macro_f1', { step: pending.epoch, epoch: pending.epoch, value: v, line: no });
      continue;
    }
    if (FINISHED.test(text)) { flushEval(); finished = true; continue; }
  }
  flushEval();
  // per-epoch validation accuracies as an epoch series (step = epoch index), like the tllib ` * Acc@1` lines
  for (const e of evaluations) if (e.epoch !== undefined && e.acc1 !== undefined) add('val/acc1', { step: e.epoch, epoch: e.epoch, value: e.acc1, line: e.line });
  const raws: RawSeries[] = [...series].map(([rawName, points]) => ({ rawName, file, points, granularity: rawName.startsWith('val/') ? 'epoch' : 'iteration' }));
  const built = buildSeries(raws, opts.metricAliases);
  const frag: RunFragment = { format: 'dassl-log', files: [file], series: built.series, evaluations, perClass, notes: [...notes, ...built.notes] };
  if (itersPerEpoch !== undefined) frag.itersPerEpoch = itersPerEpoch;
  if (lastEpoch !== undefined) frag.epochsCompleted = finished ? lastEpoch + 1 : lastEpoch;
  if (lastEpoch !== undefined) frag.epochBase = 1;
  if (plannedEpochs !== undefined) frag.epochsPlanned = plannedEpochs;
  let hyper: Record<string, HyperValue> = { ...args };
  if (configLines.length) {
    try {
      const doc = (await loadYaml()).parse(configLines.join('\n'), { logLevel: 'silent', strict: false, uniqueKeys: false });
      if (doc && typeof doc === 'object') hyper = { ...hyper, ...flattenHyper(doc) };
    } catch (err) {
      frag.notes!.push({ level: 'warn', file, message: `Config block not readable as YAML (${(err as Error).message.split('\n')[0]}); only the Arguments block was used` });
    }
  }
  if (Object.keys(hyper).length) {
    // the names tllib-style rules look for
    if (hyper.lr === undefined && typeof hyper['OPTIM.LR'] === 'number') hyper.lr = hyper['OPTIM.LR'];
    if (hyper.epochs === undefined && typeof hyper['OPTIM.MAX_EPOCH'] === 'number') hyper.epochs = hyper['OPTIM.MAX_EPOCH'];
    frag.hyperparameters = hyper;
    if (argsFrom) frag.hyperparametersFrom = argsFrom;
  }
  const trainer = String(hyper.trainer ?? hyper['TRAINER.NAME'] ?? '').toLowerCase();
  frag.algorithm = TRAINER_TO_ALGORITHM[trainer] ?? 'dassl';
  const vals = evaluations.filter((e) => e.phase === 'val' && e.acc1 !== undefined).map((e) => e.acc1!);
  if (vals.length) frag.bestAcc1 = Math.max(...vals);
  const test = evaluations.filter((e) => e.phase === 'test').at(-1);
  if (test?.acc1 !== undefined) frag.testAcc1 = test.acc1;
  if (crash.crash) { frag.status = 'crashed'; frag.crash = crash.crash; }
  else frag.status = finished ? 'finished' : 'incomplete';
  return frag;
}

export function sniffDassl(_name: string, head: Buffer): boolean {
  const t = head.toString('utf8');
  return /^epoch \[\d+\/\d+\]\s*(batch\s*)?\[\d+\/\d+\]/m.test(t) || (/^\*\* Arguments \*\*$/m.test(t) && /^trainer:/m.test(t)) || /^Evaluate on the \*(val|test)\* set/m.test(t);
}
