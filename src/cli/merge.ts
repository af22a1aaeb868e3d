// `dann-doctor merge REPORT.json...`: reads shard reports and merges them (src/sweep/merge-reports.ts), judging again
// from disk only the runs whose source-only baseline was in another shard.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Report, RunReport, ShardJudgeOptions } from '../report/schema.js';
import type { Run, RunSourceFormat } from '../model/types.js';
import type { CliIO } from '../output/cli-io.js';
import { restoreNonFinite } from '../output/finite-json.js';
import { InputError, inputErrorFromFs } from '../ingest/input-error.js';
import { mergeShardReports, MergeError, type Rejudge } from '../sweep/merge-reports.js';

async function readReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  try {
    // NaN/Infinity were written as null and listed under nonFinite: put them back, so the merge judges the same numbers
    return restoreNonFinite(JSON.parse(text) as Report);
  } catch (err) {
    throw new InputError(file, `not a JSON report (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** The run a report describes, read again from its folder (or file) with the shard's options. */
async function reload(rep: RunReport, judge: ShardJudgeOptions): Promise<Run> {
  const { discoverRuns } = await import('../discover/discover-runs.js');
  const { loadRun } = await import('../pipeline/load-run.js');
  const found = await discoverRuns([rep.path], { maxDepth: 0 });
  const d = found.runs.find((x) => x.path === rep.path);
  if (!d) throw new InputError(rep.path, `run ${rep.id} is not readable any more; merge needs it to judge it against a baseline from another shard`);
  d.id = rep.id;
  const run = await loadRun(d, { metricAliases: judge.config.metricAliases, formatHint: judge.formatHint as RunSourceFormat | undefined, maxBytes: judge.maxBytes });
  if (rep.eval) run.eval = rep.eval; // evaluated in its shard: the same numbers, not computed twice
  return run;
}

async function rejudge({ run, baseline, judge }: Rejudge): Promise<RunReport> {
  const { judgeRun } = await import('../pipeline/judge.js');
  const [r, b] = await Promise.all([reload(run, judge), reload(baseline, judge)]);
  return judgeRun(r, judge.config, b);
}

/** The merged report of the shard reports `files` (paths relative to io.cwd); a bad set is a one-line error. */
export async function mergeReportFiles(files: string[], io: CliIO): Promise<Report> {
  if (files.length === 0) throw new MergeError('merge: no shard reports given. Try: dann-doctor merge shard-*.json --format markdown');
  const reports = await Promise.all(files.map((f) => readReport(resolve(io.cwd, f))));
  const { report, rejudged } = await mergeShardReports(reports, files, { rejudge });
  if (rejudged.length) io.stderr.write(`merge: ${rejudged.length} run${rejudged.length > 1 ? 's' : ''} judged again against a source-only baseline from another shard\n`);
  return report;
}
