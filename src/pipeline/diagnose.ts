// The pipeline for a set of paths, in this process: load -> evaluate (optional) -> judge -> report.
import type { Report } from '../report/schema.js';
import type { DiagnoseOptions } from './options.js';
import { diagnoseMany } from './diagnose-many.js';
export { makeReport, shardReportInfo } from './report-envelope.js';

/**
 * Diagnoses every run under `paths`, one after the other in this thread, each judged and freed as soon as it is read
 * (see diagnose-many.ts; diagnoseMany spreads the same work over threads). Runs are kept only in `options.cache`.
 */
export async function diagnose(paths: string[], options: DiagnoseOptions = {}): Promise<Report> {
  return diagnoseMany(paths, { ...options, concurrency: 1 });
}
