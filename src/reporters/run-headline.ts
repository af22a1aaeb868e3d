// The one-line verdict and the header facts of a run, shared by the text and Markdown reporters.
import type { RunReport, Finding } from '../report/schema.js';
import { SEVERITY_ORDER } from './style.js';
import { runVerdict, type Coverage, type RunVerdict } from '../report/run-verdict.js';

export type Verdict = { kind: 'healthy' | 'problems' | 'minor' | 'not-judged'; text: string };

/** The coverage a report carries; reports written before it existed count as judged. */
function coverageOfReport(run: RunReport): Coverage {
  return run.coverage ?? { found: [], missing: [] };
}

/** problems / ok / not-judged, from the findings as they stand now (a baseline file may have suppressed some). */
export function runVerdictOf(run: RunReport): RunVerdict {
  return runVerdict(run.findings, coverageOfReport(run));
}

/** "no target accuracy, no domain signal" — the missing core signals, short. */
export function missingSummary(run: RunReport): string {
  return coverageOfReport(run).missing.map((m) => m.split(':')[0] + (/found \(/.test(m) ? ' not checkable' : ' not found')).join(', ');
}

/** Findings worst first, suppressed ones last. */
export function sortedFindings(run: RunReport): Finding[] {
  return [...run.findings].sort((a, b) => Number(!!a.suppressed) - Number(!!b.suppressed) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** Verdict first (docs/ux.md): healthy, or the single most likely cause with its confidence. */
export function verdictOf(run: RunReport): Verdict {
  const active = run.findings.filter((f) => !f.suppressed);
  const serious = active.filter((f) => f.severity !== 'info');
  const top = run.causes[0];
  if (serious.length === 0 && runVerdictOf(run) === 'not-judged') {
    // never "no problems found" when the core signals were not there to look at
    return { kind: 'not-judged', text: `not judged: ${missingSummary(run)}` };
  }
  if (serious.length === 0) {
    const infos = active.length;
    // a clean log is not a clean run when the evaluation the user asked for never happened
    if (run.partiallyRead?.length) return { kind: 'minor', text: `no problems found in the part read (--max-bytes cut the log)${infos ? ` (${infos} note${infos > 1 ? 's' : ''})` : ''}` };
    if (run.evalFailure) return { kind: 'minor', text: `no problems found in the logs; the requested evaluation did not run${infos ? ` (${infos} note${infos > 1 ? 's' : ''})` : ''}` };
    return { kind: infos ? 'minor' : 'healthy', text: infos ? `no problems found (${infos} note${infos > 1 ? 's' : ''})` : 'no problems found' };
  }
  if (top) return { kind: 'problems', text: `likely cause: ${top.id} (confidence ${top.confidence.toFixed(2)})` };
  const worst = sortedFindings(run)[0];
  return { kind: 'problems', text: `${worst.ruleId}: ${worst.message}` };
}

/**
 * What went wrong with the evaluation the user asked for, for the report's first lines: it did not run at all
 * (error), or it ran without part of its inputs (warn, e.g. a checkpoint that could not be read).
 */
export function evaluationProblems(run: RunReport): { level: 'error' | 'warn'; text: string }[] {
  const out: { level: 'error' | 'warn'; text: string }[] = [];
  if (run.evalFailure) out.push({ level: 'error', text: `evaluation requested but not run: ${run.evalFailure}` });
  for (const n of run.eval?.notes ?? []) if (n.level === 'warn') out.push({ level: 'warn', text: `evaluation: ${n.message}` });
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

/** Lines saying what a not-judged run lacks and how to point dann-doctor at it (empty for judged runs). */
export function coverageLines(run: RunReport): { found: string[]; missing: string[]; hint?: string } {
  const c = coverageOfReport(run);
  return c.missing.length ? { found: c.found, missing: c.missing, hint: c.hint } : { found: [], missing: [] };
}

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
