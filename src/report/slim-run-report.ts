// A run's report without the bulk only the JSON report, HTML and the UI show: what a sweep holds per run while the
// other runs are read, when every output is text, Markdown or SARIF.
import type { RunReport } from './schema.js';

/**
 * What a sweep keeps of each judged run until its outputs are written:
 * - 'full': the whole RunReport (JSON, HTML, the UI, `--shard` reports for merge);
 * - 'summary': the RunReport with its per-series summaries, logged evaluations, per-class tables, numbered checks and
 *   each checkpoint's tensor list emptied (a ResNet-50 checkpoint lists ~320 tensors). Verdict, coverage, metrics,
 *   findings, causes, checked/notChecked, notes, evaluation results and replay stay: everything the text, Markdown
 *   and SARIF reporters, the triage table, the seed groups and the exit code read.
 */
export type ReportDetail = 'full' | 'summary';

/**
 * `report` reduced to `detail` (the same object for 'full'). Measured on 1,000 runs of the triage bench: the emptied
 * parts are ~90% of a report's size (a tllib run with a 337 KB log: 237 KB of JSON, 14 KB left), and holding them
 * for every run was most of the sweep's peak memory.
 */
export function slimRunReport(report: RunReport, detail: ReportDetail | undefined): RunReport {
  if (detail !== 'summary') return report;
  const { checks: _checks, ...rest } = report;
  return {
    ...rest, series: [], evaluations: [], perClass: [], notApplicable: [],
    // the checkpoint's path, facts and notes stay: the reporters' checkpoint warnings read them
    checkpoints: rest.checkpoints.map((c) => (c.tensors.length ? { ...c, tensors: [] } : c)),
  };
}
