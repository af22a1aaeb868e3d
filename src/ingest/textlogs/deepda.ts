// DeepDA (jindongwang/transferlearning code/DeepDA) stdout logs: Namespace line, per-epoch lines, `Transfer result:`.
import { readLines } from '../common/read-lines.js';
import { parseNamespace } from '../common/python-literal.js';
import { buildSeries, parseNumber, type RawSeries } from '../../understand/metric-aliases.js';
import { KEY } from '../../model/metric-keys.js';
import { CrashTracker } from './crash.js';
import type { ReadOptions } from '../format-reader.js';
import type { Evaluation, HyperValue, Note, Point, RunFragment, SourceRef } from '../../model/types.js';

/** `Epoch: [ 1/500], cls_loss: 3.1772, transfer_loss: 0.1302, total_Loss: 3.3074, test_loss 3.069487, test_acc: 21.7252` */
export const DEEPDA_EPOCH = /^Epoch:\s*\[\s*(\d+)\s*\/\s*(\d+)\s*\]\s*,?\s*(.*)$/;
const TRANSFER_RESULT = /^Transfer result:\s*(\S+)/;

/** `name: value` / `name value` pairs separated by commas (DeepDA writes `test_loss 3.069487` without a colon). */
export function parseDeepdaFields(rest: string): { name: string; value: number }[] {
  const out: { name: string; value: number }[] = [];
  for (const part of rest.split(',')) {
    const m = /^\s*([A-Za-z_]\w{0,63})\s*:?\s+(\S+)\s*$/.exec(part);
    if (!m) continue;
    const v = parseNumber(m[2]);
    if (v !== null) out.push({ name: m[1], value: v });
  }
  return out;
}

export async function readDeepdaLog(file: string, opts: ReadOptions = {}): Promise<RunFragment> {
  const notes: Note[] = [];
  const crash = new CrashTracker(file);
  const series = new Map<string, Point[]>();
  const evaluations: Evaluation[] = [];
  let hyper: Record<string, HyperValue> | undefined;
  let hyperFrom: SourceRef | undefined;
  let transferResult: number | undefined;
  let epochs = 0;
  let totalEpochs: number | undefined;
  for await (const { no, text } of readLines(file, { notes, end: opts.maxBytes })) {
    if (crash.feed(text, no)) continue;
    if (!hyper && text.startsWith('Namespace(')) {
      const ns = parseNamespace(text);
      if (ns) { hyper = ns; hyperFrom = { file, line: no }; }
      else notes.push({ level: 'warn', file, line: no, message: 'Namespace(...) line could not be parsed; hyperparameters unknown' });
      continue;
    }
    const m = DEEPDA_EPOCH.exec(text);
    if (m) {
      const epoch = Number(m[1]) - 1; // DeepDA prints 1-based epochs; series use 0-based epoch indices
      totalEpochs = Number(m[2]);
      epochs++;
      let acc: number | undefined;
      let loss: number | undefined;
      for (const f of parseDeepdaFields(m[3])) {
        let list = series.get(f.name);
        if (!list) series.set(f.name, (list = []));
        list.push({ step: epoch, epoch, value: f.value, line: no });
        if (f.name === 'test_acc') acc = f.value;
        if (f.name === 'test_loss') loss = f.value;
      }
      if (acc !== undefined) evaluations.push({ phase: 'val', domain: 'target', file, line: no, epoch, acc1: acc, ...(loss !== undefined ? { loss } : {}) });
      continue;
    }
    const t = TRANSFER_RESULT.exec(text);
    if (t) {
      const v = parseNumber(t[1]);
      if (v !== null) transferResult = v;
    }
  }
  const raws: RawSeries[] = [...series].map(([rawName, points]) => ({ rawName, file, granularity: 'epoch', points }));
  const built = buildSeries(raws, opts.metricAliases);
  const frag: RunFragment = { format: 'deepda-log', files: [file], series: built.series, evaluations, notes: [...notes, ...built.notes], epochsCompleted: epochs };
  if (epochs > 0) frag.epochBase = 1;
  if (totalEpochs !== undefined) frag.epochsPlanned = totalEpochs;
  if (hyper) {
    frag.hyperparameters = hyper;
    frag.hyperparametersFrom = hyperFrom;
    const ipe = hyper.n_iter_per_epoch;
    if (typeof ipe === 'number' && ipe > 0) frag.itersPerEpoch = ipe;
  }
  // the framework's name; src/understand/algorithm.ts reads the algorithm from `transfer_loss` (adv, mmd, daan ...)
  frag.algorithm = 'deepda';
  const val = built.series.find((s) => s.key === KEY.valAcc);
  const finite = (val?.points ?? []).map((p) => p.value).filter(Number.isFinite);
  if (transferResult !== undefined) frag.bestAcc1 = transferResult;
  else if (finite.length) frag.bestAcc1 = Math.max(...finite);
  if (crash.crash) { frag.status = 'crashed'; frag.crash = crash.crash; }
  else if (transferResult !== undefined) frag.status = 'finished';
  else {
    frag.status = 'incomplete';
    frag.notes!.push({ level: 'info', file, message: `no "Transfer result:" line: the run stopped (or is still running) after ${epochs}${totalEpochs ? ` of ${totalEpochs}` : ''} epochs` });
  }
  return frag;
}

export function sniffDeepda(_name: string, head: Buffer): boolean {
  const t = head.toString('utf8');
  return /^Epoch:\s*\[\s*\d+\s*\/\s*\d+\s*\],\s*cls_loss:/m.test(t) || (/^Namespace\(/m.test(t) && /transfer_loss='/.test(t) && /n_iter_per_epoch=/.test(t));
}
