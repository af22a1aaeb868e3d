// The pipeline for a set of paths, in this process: load -> evaluate (optional) -> judge -> report.
import type { Report, RunReport } from '../engine/types.js';
import { SCHEMA_VERSION } from '../engine/types.js';
import type { Run } from '../model/types.js';
import type { DiagnoseOptions } from './options.js';
import { pickBaseline } from '../model/baseline-run.js';
import { resolveConfig } from './config.js';
import { loadRuns } from './load.js';
import { attachEvaluation } from './evaluate.js';
import { judgeRun } from './judge.js';
import { VERSION } from './version.js';

/** The report envelope around judged runs (one definition for the in-process and the parallel path). */
export function makeReport(runs: RunReport[], errors: Report['errors']): Report {
  return { schemaVersion: SCHEMA_VERSION, tool: { name: 'dann-doctor', version: VERSION }, generatedAt: new Date().toISOString(), runs, errors };
}

export async function diagnose(paths: string[], options: DiagnoseOptions = {}): Promise<Report> {
  const config = resolveConfig(options.config);
  const { runs, errors } = await loadRuns(paths, options);
  let explicitBaseline: Run | undefined;
  if (options.baseline) {
    const b = await loadRuns([options.baseline], { ...options, baseline: undefined, cache: undefined });
    explicitBaseline = b.runs[0];
    errors.push(...b.errors);
  }
  const reports: RunReport[] = [];
  for (const run of runs) {
    await attachEvaluation(run, options, options.onProgress);
    reports.push(judgeRun(run, config, explicitBaseline ?? pickBaseline(run, runs)));
  }
  return makeReport(reports, errors);
}
