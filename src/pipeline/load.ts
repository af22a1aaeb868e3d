// The loading step: discover runs under the paths and read each into a Run. Unreadable inputs are collected as
// report errors, never thrown.
import type { Report } from '../report/schema.js';
import type { Run } from '../model/types.js';
import type { DiagnoseOptions } from './options.js';
import { discoverRuns } from '../discover/discover-runs.js';
import { loadRun, nothingToDiagnose, onlyEmptyEventFiles } from './load-run.js';
import { resolveConfig } from './config.js';
import { selectShard, type ShardInfo } from '../sweep/shard.js';

/** Reads every run under `paths` into Runs (no rules). Runs read are kept in `options.cache` when given. */
export async function loadRuns(paths: string[], options: DiagnoseOptions = {}): Promise<{ runs: Run[]; errors: Report['errors']; shard?: ShardInfo }> {
  const config = resolveConfig(options.config);
  const found = selectShard(await discoverRuns(paths, { maxDepth: options.maxDepth, followLinks: options.followLinks }), options.shard);
  const runs: Run[] = [];
  const errors: Report['errors'] = [...found.errors];
  for (const [i, d] of found.runs.entries()) {
    options.onProgress?.(found.runs.length > 1 ? `reading run ${i + 1}/${found.runs.length}: ${d.id}` : `reading ${d.id}`, found.runs.length > 1 ? i / found.runs.length : undefined);
    const run = await loadRun(d, { metricAliases: config.metricAliases, roles: config.roles, formatHint: options.formatHint, maxBytes: options.maxBytes });
    const unreadable = nothingToDiagnose(run);
    if (unreadable) {
      errors.push({ path: d.path, message: unreadable, ...(onlyEmptyEventFiles(run) ? { kind: 'empty' as const } : {}) });
      continue;
    }
    options.cache?.remember(run);
    runs.push(run);
  }
  return { runs, errors, shard: found.shard };
}
