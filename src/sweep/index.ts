// Sweep triage: diagnose many runs in parallel and show them in one table, worst first.
export * from './triage-table.js';
export * from './render-triage.js';
export { diagnoseMany, workerCount, freeCores, MIN_RUNS_PER_WORKER, type DiagnoseManyTuning } from './diagnose-many.js';
