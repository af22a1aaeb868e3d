// The public API, and nothing else: re-exports only. No module under src/ imports this file (test/architecture).
// diagnose(paths) -> Report runs the pipeline: discover -> read -> (evaluate) -> rules -> causes -> report.
export { diagnose, makeReport, shardReportInfo } from './pipeline/diagnose.js';
export { diagnoseMany } from './pipeline/diagnose-many.js';
export { loadRuns } from './pipeline/load.js';
export { judgeRun } from './pipeline/judge.js';
export { resolveConfig } from './pipeline/config.js';
export { RunCache } from './pipeline/run-cache.js';
export { VERSION } from './pipeline/version.js';
export type { DiagnoseOptions } from './pipeline/options.js';
export type { Report, RunReport } from './report/schema.js';
