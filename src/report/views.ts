// Views of a Report shared by every surface (text, Markdown, HTML reporters and the terminal UI): the verdict of a
// run, its glyph, findings in order, the top cause. One definition, so the text report and the UI never disagree
// and the glyph matches the exit code (✖ exactly when an active error finding exists, which --fail-on error fails).
import type { Finding, RankedCause, RunReport, Severity } from './schema.js';
import { SEVERITY_ORDER } from './schema.js';

/** The one glyph per severity, and the one for a run with no problem. */
export const SEVERITY_GLYPH: Record<Severity, string> = { error: '✖', warn: '⚠', info: 'ℹ' };
export const OK_GLYPH = '✔';

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
  /** problems: a warn or error finding; minor: only notes, or a requested evaluation that did not run */
  kind: 'healthy' | 'problems' | 'minor';
  text: string;
}

/** Verdict first (docs/ux.md): healthy, or the single most likely cause with its confidence. */
export function verdictOf(run: RunReport): Verdict {
  const active = run.findings.filter((f) => !f.suppressed);
  const serious = active.filter((f) => f.severity !== 'info');
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

export function verdictGlyph(v: Pick<Verdict, 'severity'>): string {
  return v.severity === 'ok' ? OK_GLYPH : SEVERITY_GLYPH[v.severity];
}
