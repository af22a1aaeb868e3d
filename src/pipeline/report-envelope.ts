// The report envelope around judged runs: one definition for every path that produces a Report.
import type { Report, RunReport, EngineConfig } from '../report/schema.js';
import { SCHEMA_VERSION } from '../report/schema.js';
import type { DiagnoseOptions } from './options.js';
import type { ShardInfo } from '../sweep/shard.js';
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
