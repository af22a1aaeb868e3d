// Sweep triage: many diagnosed runs in one table, worst first (the parallel diagnosis itself is src/pipeline/diagnose-many.ts).
export * from './triage-table.js';
export * from './render-triage.js';
