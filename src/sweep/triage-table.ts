// The sweep triage table: one row per run, worst first, with the hyperparameters that vary across the sweep as columns.
import { naturalCompare } from '../discover/natural-order.js';
import type { HyperValue } from '../model/types.js';
import type { RunVerdict } from '../report/run-verdict.js';
import { runVerdictOf } from '../report/views.js';
import type { Finding, Report, RunReport, Severity } from '../report/schema.js';
import { SEVERITY_ORDER } from '../report/schema.js';
import { hyperText, isNonConfigKey, orderByPriority, SEED_KEYS } from '../seeds/group-by-seed.js';

/** Status ranks: a run that crashed or died says less than one that finished, so it sorts first among equals. */
const STATUS_BADNESS: Record<string, number> = { crashed: 3, failed: 3, killed: 2, incomplete: 1, unknown: 1, running: 0, finished: 0 };

export const FIXED_COLUMNS = ['run', 'algorithm', 'status', 'verdict', 'target acc', 'top finding', 'top cause'] as const;

export interface TriageRow {
  runId: string;
  algorithm: string;
  status: string;
  /** problems / ok / not-judged (src/report/run-verdict.ts) */
  verdict: RunVerdict;
  finalTargetAcc?: number;
  /** worst unsuppressed finding (severity first, then the rule engine's order) */
  topFinding?: { ruleId: string; severity: Severity; message: string };
  topCause?: { id: string; confidence: number };
  /** unsuppressed findings by severity */
  counts: Record<Severity, number>;
  /** values of the varying hyperparameters, in `varying` order */
  hyper: Record<string, HyperValue | undefined>;
  /** cell texts in `columns` order */
  cells: string[];
}

export interface TriageTable {
  columns: string[];
  /** hyperparameters that differ between runs (extra columns after the fixed ones) */
  varying: string[];
  rows: TriageRow[];
  /** input errors from the report, shown under the table */
  errors: Report['errors'];
}

/** Findings that count: a baseline file marks known ones `suppressed` so they do not fail a build or top a table. */
export function activeFindings(run: RunReport): Finding[] {
  return run.findings.filter((f) => !f.suppressed);
}

function topFindingOf(run: RunReport): Finding | undefined {
  let best: Finding | undefined;
  for (const f of activeFindings(run)) if (!best || SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[best.severity]) best = f;
  return best;
}

/**
 * Hyperparameter keys whose value differs between runs that have them (a key at least two runs share), ordered
 * with the usual sweep knobs first (HYPER_PRIORITY). A key only one script writes (a fork's extra flag) is not a
 * sweep dimension. Path and logging keys (log, root, workers...) are left out: they always differ and say nothing
 * about the result. The seed is kept: in a seed sweep it is the column a reader looks for.
 */
export function varyingHyperparameters(runs: RunReport[]): string[] {
  if (runs.length < 2) return [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.hyperparameters)) if (!seen.has(k)) { seen.add(k); keys.push(k); }
  return orderByPriority(keys.filter((k) => {
    if (isNonConfigKey(k) && k.toLowerCase() !== 'seed') return false;
    const values = new Set<string>();
    let have = 0;
    for (const r of runs) {
      if (!(k in r.hyperparameters)) continue;
      have++;
      values.add(hyperText(r.hyperparameters[k]));
    }
    return have >= 2 && values.size > 1;
  }));
}

function fmtAcc(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(1);
}

/** Sort key pieces: worst severity, then how many at it, then crashed-ness, then lower accuracy first. */
function compareRows(a: TriageRow, b: TriageRow): number {
  // SEVERITY_ORDER: lower is worse; a run without findings sorts after every severity
  const sev = (r: TriageRow) => (r.topFinding ? SEVERITY_ORDER[r.topFinding.severity] : Infinity);
  if (sev(a) !== sev(b)) return sev(a) - sev(b);
  // "could not tell" deserves a look before "checked and fine"
  const nj = (r: TriageRow) => (r.verdict === 'not-judged' ? 1 : 0);
  if (nj(a) !== nj(b)) return nj(b) - nj(a);
  const cnt = (r: TriageRow) => (r.topFinding ? r.counts[r.topFinding.severity] : 0);
  if (cnt(a) !== cnt(b)) return cnt(b) - cnt(a);
  const st = (r: TriageRow) => STATUS_BADNESS[r.status] ?? 1;
  if (st(a) !== st(b)) return st(b) - st(a);
  // a run without a number is less known than one with a low number: after it, but before the good ones? Unknown
  // accuracy sorts as worst, since "we cannot tell" deserves a look before "85% and clean".
  const acc = (r: TriageRow) => (r.finalTargetAcc !== undefined && Number.isFinite(r.finalTargetAcc) ? r.finalTargetAcc : -Infinity);
  if (acc(a) !== acc(b)) return acc(a) - acc(b);
  return naturalCompare(a.runId, b.runId);
}

/**
 * A hyperparameter cell. A seed of None (Python's "no fixed seed") and a missing seed say the same thing, so both
 * show '-' (one column used to mix `None` and `-`); other keys keep None, which means something of its own there.
 */
function cellText(key: string, v: HyperValue | undefined): string {
  return v === null && SEED_KEYS.has(key.toLowerCase()) ? '-' : hyperText(v);
}

/** Build the triage table of a report. Pure; cost O(runs * (findings + hyperparameters)) plus the sort. */
export function triageTable(report: Report): TriageTable {
  const varying = varyingHyperparameters(report.runs);
  const columns = [...FIXED_COLUMNS, ...varying];
  const rows = report.runs.map((run): TriageRow => {
    const top = topFindingOf(run);
    const counts: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
    for (const f of activeFindings(run)) counts[f.severity]++;
    const cause = run.causes[0];
    const finalTargetAcc = run.metrics.finalTargetAcc ?? run.metrics.testAcc;
    const hyper: Record<string, HyperValue | undefined> = {};
    for (const k of varying) hyper[k] = run.hyperparameters[k];
    const row: TriageRow = {
      runId: run.id, algorithm: run.algorithm, status: run.status, verdict: runVerdictOf(run), finalTargetAcc, counts, hyper, cells: [],
      topFinding: top ? { ruleId: top.ruleId, severity: top.severity, message: top.message } : undefined,
      topCause: cause ? { id: cause.id, confidence: cause.confidence } : undefined,
    };
    row.cells = [
      run.id, run.algorithm, run.status, row.verdict, fmtAcc(finalTargetAcc),
      top ? `${top.severity} ${top.ruleId}` : row.verdict === 'not-judged' ? '-' : 'ok',
      cause ? `${cause.id} (${Math.round(cause.confidence * 100)}%)` : '-',
      ...varying.map((k) => cellText(k, hyper[k])),
    ];
    return row;
  });
  rows.sort(compareRows);
  return { columns, varying, rows, errors: report.errors };
}
