// Keras / ADAPT console logs: `Epoch 3/50` then `32/32 [====] - 0s 4ms/step - loss: 0.31 - disc_loss: 1.38 - disc_acc: 0.52`.
import { readLines } from '../common/read-lines.js';
import { buildSeries, guessAlgorithm, parseNumber, type RawSeries } from '../../understand/metric-aliases.js';
import { KEY } from '../../model/metric-keys.js';
import { CrashTracker } from './crash.js';
import type { ReadOptions } from '../format-reader.js';
import type { Evaluation, Note, Point, RunFragment } from '../../model/types.js';

export const KERAS_EPOCH = /^Epoch (\d+)\/(\d+)\s*$/;
/** ` - name: value` pairs; Keras 3 writes the same pairs after a `━━━` bar. */
const PAIR = /(?:^|\s)-\s+([A-Za-z_]\w{0,63}):\s+(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|-?inf)/gi;

/** The text a terminal would show for a line that redraws itself with backspaces (Keras' non-TTY progress). */
function afterBackspaces(s: string): string {
  const i = s.lastIndexOf('\b');
  return i === -1 ? s : s.slice(i + 1);
}

/** Metric pairs of one progress line, or an empty list when the line is not one. */
export function parseKerasPairs(line: string): { name: string; value: number }[] {
  const out: { name: string; value: number }[] = [];
  for (const m of afterBackspaces(line).matchAll(PAIR)) {
    const v = parseNumber(m[2]);
    if (v !== null) out.push({ name: m[1], value: v });
  }
  return out;
}

export async function readKerasLog(file: string, opts: ReadOptions = {}): Promise<RunFragment> {
  const notes: Note[] = [];
  const crash = new CrashTracker(file);
  let epoch: number | undefined;
  let total: number | undefined;
  let epochsSeen = 0;
  // the last progress line of an epoch holds its final values (and val_* metrics): keep only that one
  let last: { line: number; pairs: { name: string; value: number }[] } | undefined;
  const series = new Map<string, Point[]>();
  const flush = () => {
    if (epoch === undefined || !last) return;
    for (const p of last.pairs) {
      let list = series.get(p.name);
      if (!list) series.set(p.name, (list = []));
      list.push({ step: epoch, epoch, value: p.value, line: last.line });
    }
    last = undefined;
  };
  for await (const { no, text } of readLines(file, { notes, end: opts.maxBytes })) {
    if (crash.feed(text, no)) continue;
    const m = KERAS_EPOCH.exec(text);
    if (m) {
      flush();
      epoch = Number(m[1]) - 1; // Keras prints 1-based epochs
      total = Number(m[2]);
      epochsSeen++;
      continue;
    }
    if (epoch === undefined) continue;
    const pairs = parseKerasPairs(text);
    if (pairs.length) last = { line: no, pairs };
  }
  flush();
  const raws: RawSeries[] = [...series].map(([rawName, points]) => ({ rawName, file, granularity: 'epoch', points }));
  const built = buildSeries(raws, opts.metricAliases);
  const frag: RunFragment = { format: 'keras-log', files: [file], series: built.series, notes: [...notes, ...built.notes] };
  const g = guessAlgorithm(undefined, built.series.map((s) => s.key), file);
  if (g.algorithm) frag.algorithm = g.algorithm;
  if (g.note) frag.notes!.push(g.note);
  const val = built.series.find((s) => s.key === KEY.valAcc);
  if (val) {
    const loss = new Map((built.series.find((s) => s.key === KEY.valLoss)?.points ?? []).map((p) => [p.step, p.value]));
    frag.evaluations = val.points.map((p): Evaluation => ({ phase: 'val', domain: 'target', file, line: p.line, epoch: p.step, acc1: p.value, ...(loss.has(p.step) ? { loss: loss.get(p.step) } : {}) }));
    const finite = val.points.map((p) => p.value).filter(Number.isFinite);
    if (finite.length) frag.bestAcc1 = Math.max(...finite);
  }
  const done = series.size ? Math.max(...[...series.values()].map((l) => l.length)) : 0;
  frag.epochsCompleted = done;
  if (epochsSeen) frag.epochBase = 1;
  if (total !== undefined) frag.epochsPlanned = total;
  if (crash.crash) { frag.status = 'crashed'; frag.crash = crash.crash; }
  else if (total !== undefined && done >= total) frag.status = 'finished';
  else if (total !== undefined) {
    frag.status = 'incomplete';
    frag.notes!.push({ level: 'info', file, message: `${done} of ${total} epochs logged (${epochsSeen} started)` });
  }
  return frag;
}

export function sniffKeras(_name: string, head: Buffer): boolean {
  const t = head.toString('utf8');
  return /^Epoch \d+\/\d+\s*$/m.test(t) && /\s-\s+[A-Za-z_]\w*:\s+-?[\d.]/.test(t);
}
