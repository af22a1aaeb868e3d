// The pipeline for a set of paths, in this process: load -> evaluate (optional) -> judge -> report.
import type { Report, RunReport, EngineConfig } from '../report/schema.js';
import { SCHEMA_VERSION } from '../report/schema.js';
import type { Run } from '../model/types.js';
import type { DiagnoseOptions } from './options.js';
import { pickBaselines } from '../model/baseline-run.js';
import { explainMissingBaselines } from '../report/explain-baselines.js';
import type { ShardInfo } from '../sweep/shard.js';
import { resolveConfig } from './config.js';
import { loadRuns } from './load.js';
import { attachEvaluation } from './evaluate.js';
import { judgeRun } from './judge.js';
import { VERSION } from './version.js';

/** The report envelope around judged runs (one definition for the in-process and the parallel path). */
export function makeReport(runs: RunReport[], errors: Report['errors'], extra: Pick<Report, 'shard'> = {}): Report {
  return { schemaVersion: SCHEMA_VERSION, tool: { name: 'dann-doctor', version: VERSION }, generatedAt: new Date().toISOString(), runs, errors, ...extra };
}

/** The `shard` block of a `--shard` report (nothing otherwise): the share, its runs' positions, the judging options. */
export function shardReportInfo(shard: ShardInfo | undefined, options: DiagnoseOptions, config: EngineConfig): Pick<Report, 'shard'> {
  if (!shard) return {};
  const judge = { config, formatHint: options.formatHint, maxBytes: options.maxBytes, evaluate: options.evaluate, backend: options.backend, maxPoints: options.maxPoints, baseline: options.baseline };
  return { shard: { ...shard, judge: JSON.parse(JSON.stringify(judge)) as typeof judge } };
}

export async function diagnose(paths: string[], options: DiagnoseOptions = {}): Promise<Report> {
  const config = resolveConfig(options.config);
  const { runs, errors, shard } = await loadRuns(paths, options);
  let explicitBaseline: Run | undefined;
  if (options.baseline) {
    const b = await loadRuns([options.baseline], { ...options, baseline: undefined, shard: undefined, cache: undefined });
    explicitBaseline = b.runs[0];
    errors.push(...b.errors);
  }
  const reports: RunReport[] = [];
  const picks = pickBaselines(runs);
  for (const [i, run] of runs.entries()) {
    await attachEvaluation(run, options, options.onProgress);
    const pick = picks[i];
    reports.push(judgeRun(run, config, explicitBaseline ?? (pick === undefined ? undefined : runs[pick])));
  }
  explainMissingBaselines(reports, !!explicitBaseline);
  return makeReport(reports, errors, shardReportInfo(shard, options, config));
}
