// Views of a Report shared by every surface (text, Markdown, HTML reporters and the terminal UI): the verdict of a
// run, its glyph, findings in order, the top cause. One definition, so the text report and the UI never disagree
// and the glyph matches the exit code (✖ exactly when an active error finding exists, which --fail-on error fails).
import type { Finding, RankedCause, RunReport, Severity } from './schema.js';
import { SEVERITY_ORDER } from './schema.js';
import { runVerdict, type Coverage, type RunVerdict } from './run-verdict.js';

/** The one glyph per severity, and the one for a run with no problem. */
export const SEVERITY_GLYPH: Record<Severity, string> = { error: '✖', warn: '⚠', info: 'ℹ' };
export const OK_GLYPH = '✔';
/** A run whose core signals were not found or not checked: neither a problem nor healthy. */
export const NOT_JUDGED_GLYPH = '?';

/** The coverage a report carries; reports written before it existed count as judged. */
function coverageOfReport(run: RunReport): Coverage {
  return run.coverage ?? { found: [], missing: [] };
}

/** problems / ok / not-judged, from the findings as they stand now (a baseline file may have suppressed some). */
export function runVerdictOf(run: RunReport): RunVerdict {
  return runVerdict(run.findings, coverageOfReport(run));
}

/** "target accuracy not found, domain signal not found": the missing core signals, short. */
export function missingSummary(run: RunReport): string {
  return coverageOfReport(run).missing.map((m) => m.split(':')[0] + (/found \(/.test(m) ? ' not checkable' : ' not found')).join(', ');
}

/** What a not-judged run lacks and how to map it (empty lists for a judged run). */
export function coverageLines(run: RunReport): { found: string[]; missing: string[]; hint?: string } {
  const c = coverageOfReport(run);
  return c.missing.length ? { found: c.found, missing: c.missing, hint: c.hint } : { found: [], missing: [] };
}

/** Findings worst first, suppressed ones last. */
export function sortedFindings(run: RunReport): Finding[] {
  return [...run.findings].sort((a, b) => Number(!!a.suppressed) - Number(!!b.suppressed) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** The most confident cause (causes are ranked, but a hand-built report need not be). */
export function topCause(run: RunReport): RankedCause | undefined {
  return [...run.causes].sort((a, b) => b.confidence - a.confidence)[0];
}

export interface Verdict {
  /** the worst active finding at warn or above; 'ok' when there is none (info findings are advice) */
  severity: Severity | 'ok';
  /** problems: a warn or error finding; minor: only notes, or a requested evaluation that did not run;
   * not-judged: no warning or error, but the core signals (target accuracy, a domain signal for adversarial
   * methods) were not found or not checked — never shown as "no problems found" */
  kind: 'healthy' | 'problems' | 'minor' | 'not-judged';
  text: string;
}

/** Verdict first (docs/ux.md): healthy, or the single most likely cause with its confidence. */
export function verdictOf(run: RunReport): Verdict {
  const active = run.findings.filter((f) => !f.suppressed);
  const serious = active.filter((f) => f.severity !== 'info');
  if (serious.length === 0 && runVerdictOf(run) === 'not-judged') {
    return { severity: 'warn', kind: 'not-judged', text: `not judged: ${missingSummary(run)}` };
  }
  if (serious.length === 0) {
    const infos = active.length;
    const notes = infos ? ` (${infos} note${infos > 1 ? 's' : ''})` : '';
    // a clean log is not a clean run when only part of it was read, or the evaluation the user asked for never happened
    if (run.partiallyRead?.length) return { severity: 'warn', kind: 'minor', text: `no problems found in the part read (--max-bytes cut the log)${notes}` };
    if (run.evalFailure) return { severity: 'warn', kind: 'minor', text: `no problems found in the logs; the requested evaluation did not run${notes}` };
    return { severity: 'ok', kind: infos ? 'minor' : 'healthy', text: `no problems found${notes}` };
  }
  const severity: Severity = serious.some((f) => f.severity === 'error') ? 'error' : 'warn';
  const top = topCause(run);
  if (top) return { severity, kind: 'problems', text: `likely cause: ${top.id} (confidence ${top.confidence.toFixed(2)})` };
  if ((run.status === 'crashed' || run.status === 'failed') && run.crash) return { severity, kind: 'problems', text: `crashed: ${run.crash.type}: ${run.crash.message}` };
  const worst = sortedFindings(run)[0];
  return { severity, kind: 'problems', text: `${worst.ruleId}: ${worst.message}` };
}

export function verdictGlyph(v: Pick<Verdict, 'severity'> & { kind?: Verdict['kind'] }): string {
  if (v.kind === 'not-judged') return NOT_JUDGED_GLYPH;
  return v.severity === 'ok' ? OK_GLYPH : SEVERITY_GLYPH[v.severity];
}
