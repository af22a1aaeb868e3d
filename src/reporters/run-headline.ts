// The one-line verdict and the header facts of a run, shared by the text and Markdown reporters.
import type { RunReport } from '../report/schema.js';
import { CODE_PLACEHOLDER_NOTE } from '../ingest/checkpoint-facts.js';
import { epochNumberingNote } from '../model/epoch-numbering.js';
import { appendedRunCounts } from '../understand/appended-runs.js';
import { basename } from 'node:path';

export { sortedFindings, verdictOf, runVerdictOf, missingSummary, coverageLines, type Verdict } from '../report/views.js';

/**
 * What went wrong with the evaluation the user asked for, for the report's first lines: it did not run at all
 * (error), or it ran without part of its inputs (warn, e.g. a checkpoint that could not be read).
 */
export function evaluationProblems(run: RunReport): { level: 'error' | 'warn'; text: string }[] {
  const out: { level: 'error' | 'warn'; text: string }[] = [];
  if (run.evalFailure) out.push({ level: 'error', text: `evaluation requested but not run: ${run.evalFailure}` });
  for (const n of run.eval?.notes ?? []) if (n.level === 'warn') out.push({ level: 'warn', text: `evaluation: ${n.message}` });
  // a re-run that lost images (not found, unreadable, labels out of range) evaluated fewer rows than listed: said first
  for (const n of run.notes) if (n.level === 'warn' && n.message.startsWith('re-run: ') && n.message !== run.evalFailure) out.push({ level: 'warn', text: n.message });
  return out;
}

/**
 * How many warnings of one checkpoint a report lists: a hostile or damaged archive can raise one per tensor, and the
 * first few say what happened (the JSON report keeps every note under runs[].checkpoints[].notes).
 */
export const CHECKPOINT_WARNINGS_SHOWN = 5;

/** The reader's note per non-allow-listed global; the checkpoint's one CODE_PLACEHOLDER_NOTE already names them all. */
const PER_GLOBAL_PLACEHOLDER = /^pickle references '.*', which is not on the allow-list/;

/**
 * Warnings the checkpoint readers raised for the checkpoint as a whole (it references code, a truncated archive,
 * tensors or storages skipped, a memory budget hit), for every reporter: a user must learn that a checkpoint tried
 * to run code or was only partly read, whatever the output format. `file` is the checkpoint's path.
 */
export function checkpointWarnings(run: RunReport): { file?: string; text: string }[] {
  const out: { file?: string; text: string }[] = [];
  for (const n of run.notes) if (n.message.startsWith(CODE_PLACEHOLDER_NOTE)) out.push({ file: n.file, text: n.message });
  for (const c of run.checkpoints ?? []) {
    const summarised = c.notes.some((n) => n.message.startsWith(CODE_PLACEHOLDER_NOTE));
    const warns = c.notes.filter((n) => n.level === 'warn' && !(summarised && PER_GLOBAL_PLACEHOLDER.test(n.message)));
    for (const n of warns.slice(0, CHECKPOINT_WARNINGS_SHOWN)) out.push({ file: n.file ?? c.path, text: n.message });
    const more = warns.length - CHECKPOINT_WARNINGS_SHOWN;
    if (more > 0) out.push({ file: c.path, text: `${more} more warning${more > 1 ? 's' : ''} about this checkpoint (the JSON report lists them)` });
  }
  return out;
}

/** "partially read: the first 1024 of 27803 bytes of train.txt (--max-bytes); how the run ended is not known" */
export function partialReadLine(run: RunReport, name: (f: string) => string = (f) => f): string | undefined {
  const cut = run.partiallyRead;
  if (!cut?.length) return undefined;
  const files = cut.slice(0, 3).map((c) => `the first ${c.bytesRead} of ${c.size} bytes of ${name(c.file)}`).join(', ');
  return `partially read: ${files}${cut.length > 3 ? `, +${cut.length - 3} more` : ''} (--max-bytes); later epochs and how the run ended are not judged`;
}

const KEY_HPARAMS = ['trade_off', 'lr', 'batch_size', 'bottleneck_dim', 'arch', 'seed'];

/** The algorithm as the header shows it: the run's own spelling for one dann-doctor has no model of. */
export function algorithmLabel(run: RunReport): string {
  if (run.algorithm === 'unknown') return 'algorithm unknown';
  if (run.algorithm === 'other') return run.algorithmFrom?.name ?? 'other algorithm';
  return run.algorithm.toUpperCase();
}

/** "DANN · finished · 15 epochs × 300 it · batch 32 · trade_off 1.0" */
export function headerFacts(run: RunReport): string {
  const parts: string[] = [algorithmLabel(run)];
  parts.push(run.status === 'crashed' && run.crash ? `crashed (${run.crash.type})` : run.status);
  if (run.epochsCompleted !== undefined) parts.push(`${run.epochsCompleted} epoch${run.epochsCompleted === 1 ? '' : 's'}${run.itersPerEpoch ? ` × ${run.itersPerEpoch} it` : ''}`);
  const numbering = epochNumberingNote(run.epochBase);
  if (numbering) parts.push(numbering);
  const hp = run.hyperparameters;
  for (const k of KEY_HPARAMS) {
    if (k in hp && hp[k] !== null && k !== 'batch_size') parts.push(`${k} ${String(hp[k])}`);
    else if (k === 'batch_size' && k in hp) parts.push(`batch ${String(hp[k])}`);
  }
  return parts.join(' · ');
}

export function locationOf(e: { file: string; line?: number; endLine?: number }, relativeTo?: (p: string) => string): string {
  const f = relativeTo ? relativeTo(e.file) : e.file;
  if (e.line === undefined) return f;
  return e.endLine !== undefined && e.endLine !== e.line ? `${f}:${e.line}-${e.endLine}` : `${f}:${e.line}`;
}

/** `11 runs appended in out.txt: 10 ended in a traceback (3 stopped by hand, 1 out of memory); this report is the newest with numbers` */
export function attemptsLine(attempts: NonNullable<RunReport['attempts']>): string {
  const files = [...new Set(attempts.map((a) => basename(a.file)))].join(', ');
  const crashed = attempts.filter((a) => a.crash);
  const killed = attempts.filter((a) => a.status === 'killed').length;
  const oom = crashed.filter((a) => /out ?of ?memory/i.test(`${a.crash!.type} ${a.crash!.message}`)).length;
  const extra = [killed ? `${killed} stopped by hand` : '', oom ? `${oom} out of memory` : ''].filter(Boolean).join(', ');
  const how = crashed.length ? `; ${crashed.length} ended in a traceback${extra ? ` (${extra})` : ''}` : '';
  const finished = attempts.filter((a) => a.status === 'finished').length;
  const done = attempts.at(-1)?.status === 'finished' ? '; the newest finished' : finished ? `; ${finished} reached the end` : '';
  const { runs, restarts, configs } = appendedRunCounts(attempts);
  // separate runs (the printed config changed) vs restarts of one run (the same config again), issue 13
  const what = !configs
    ? `${attempts.length} attempts appended in ${files} (no config printed: read as restarts of one run)`
    : runs === attempts.length
      ? `${attempts.length} runs appended in ${files} (each with other hyperparameters)`
      : runs === 1
        ? `${attempts.length} attempts of one run appended in ${files} (the same config each time)`
        : `${attempts.length} invocations appended in ${files}: ${runs} runs (the config changed) and ${restarts} restarts of the same config`;
  const shown = attempts.filter((a) => Object.values(a.pointCounts).some((n) => n > 0)).at(-1);
  const where = shown && shown.line > 0 ? `lines ${shown.line}-${shown.endLine}` : shown ? basename(shown.file) : '';
  const which = [shown?.run !== undefined && runs > 1 ? `run ${shown.run} of ${runs}` : '', where].filter(Boolean).join(', ');
  const others = runs > 1 ? `; the other ${runs - 1} run${runs > 2 ? 's are' : ' is'} listed in --format json (attempts), not judged` : '';
  return `${what}${how}${done}; the series shown are the newest that logged numbers${which ? ` (${which})` : ''}${others}`;
}
