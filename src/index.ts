// The programmatic API: diagnose(paths) -> Report. discover -> read -> (evaluate) -> rules -> causes -> report.
import { readFileSync } from 'node:fs';
import type { Report, RunReport, EngineConfig } from './engine/types.js';
import { SCHEMA_VERSION } from './engine/types.js';
import type { Run } from './model/types.js';
import type { DiagnoseOptions } from './diagnose-options.js';
import { discoverRuns } from './discover/discover-runs.js';
import { loadRun, nothingToDiagnose } from './load-run.js';
import { runRules } from './engine/run-rules.js';
import { diagnose as rankCauses } from './diagnose/index.js';
import { buildRunReport } from './report/build-run-report.js';
import { pickBaselines } from './model/baseline-run.js';
import { selectShard, type ShardInfo } from './sweep/shard.js';

export type { DiagnoseOptions } from './diagnose-options.js';
export type { Report, RunReport } from './engine/types.js';

/** package.json sits one folder up from src/ and two from dist/src/. */
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dann-doctor' && pkg.version) return pkg.version;
    } catch {
      /* try the next location */
    }
  }
  return '0.0.0';
}
export const VERSION = readVersion();

const EMPTY_CONFIG: EngineConfig = { rules: {}, ruleOptions: {}, metricAliases: {}, roles: {} };

export function resolveConfig(c?: Partial<EngineConfig>): EngineConfig {
  return { ...EMPTY_CONFIG, ...c, rules: { ...c?.rules }, ruleOptions: { ...c?.ruleOptions }, metricAliases: { ...c?.metricAliases }, roles: { ...c?.roles } };
}

/** Reads every run under `paths` into Runs (no rules). Errors for unreadable inputs are collected, not thrown. */
export async function loadRuns(paths: string[], options: DiagnoseOptions = {}): Promise<{ runs: Run[]; errors: Report['errors']; shard?: ShardInfo }> {
  const config = resolveConfig(options.config);
  const found = selectShard(await discoverRuns(paths, { maxDepth: options.maxDepth }), options.shard);
  const runs: Run[] = [];
  const errors: Report['errors'] = [...found.errors];
  for (const [i, d] of found.runs.entries()) {
    options.onProgress?.(found.runs.length > 1 ? `reading run ${i + 1}/${found.runs.length}: ${d.id}` : `reading ${d.id}`, found.runs.length > 1 ? i / found.runs.length : undefined);
    const run = await loadRun(d, { metricAliases: config.metricAliases, roles: config.roles, formatHint: options.formatHint, maxBytes: options.maxBytes });
    const unreadable = nothingToDiagnose(run);
    if (unreadable) {
      errors.push({ path: d.path, message: unreadable });
      continue;
    }
    runs.push(run);
  }
  return { runs, errors, shard: found.shard };
}

/**
 * Evaluation (TF.js) is loaded only when asked for, so plain runs start fast. A failure becomes a warn note on the
 * run (reporters show it in the first lines: the user asked for this evaluation). One definition for the CLI, the
 * sweep shards and the API.
 */
export async function attachEvaluation(run: Run, options: DiagnoseOptions): Promise<void> {
  if (!options.evaluate) return;
  // on a worker thread: TF.js blocks for seconds at a time, and the caller's thread must stay free for Ctrl-C
  const { evaluateInWorker } = await import('./runtime/evaluate-in-worker.js');
  try {
    const res = await evaluateInWorker(run, { backend: options.backend, maxPoints: options.maxPoints, onProgress: (m, f) => options.onProgress?.(`${run.id}: evaluating — ${m}`, f) });
    if (res) run.eval = res;
    else run.evalFailure = 'no feature dump (features.npz) in the run directory to evaluate';
  } catch (err) {
    run.evalFailure = err instanceof Error ? err.message : String(err);
    run.notes.push({ level: 'warn', file: run.path, message: `evaluation failed: ${run.evalFailure}` });
  }
}

/** Rules + causes for one loaded run. */
export function judgeRun(run: Run, config: EngineConfig, baseline?: Run): RunReport {
  const { findings, notApplicable } = runRules(run, config, baseline);
  const { causes, checks, notChecked } = rankCauses(run, findings, { notApplicable, baseline });
  return buildRunReport(run, { findings, causes, notApplicable, checks, notChecked });
}

export async function diagnose(paths: string[], options: DiagnoseOptions = {}): Promise<Report> {
  const config = resolveConfig(options.config);
  const { runs, errors, shard } = await loadRuns(paths, options);
  let explicitBaseline: Run | undefined;
  if (options.baseline) {
    const b = await loadRuns([options.baseline], { ...options, baseline: undefined, shard: undefined });
    explicitBaseline = b.runs[0];
    errors.push(...b.errors);
  }
  const reports: RunReport[] = [];
  const picks = pickBaselines(runs);
  for (const [i, run] of runs.entries()) {
    await attachEvaluation(run, options);
    const pick = picks[i];
    reports.push(judgeRun(run, config, explicitBaseline ?? (pick === undefined ? undefined : runs[pick])));
  }
  return { schemaVersion: SCHEMA_VERSION, tool: { name: 'dann-doctor', version: VERSION }, generatedAt: new Date().toISOString(), runs: reports, errors, ...shardReportInfo(shard, options, config) };
}

/** The `shard` block of a `--shard` report (nothing otherwise): the share, its runs' positions, the judging options. */
export function shardReportInfo(shard: ShardInfo | undefined, options: DiagnoseOptions, config: EngineConfig): Pick<Report, 'shard'> {
  if (!shard) return {};
  const judge = { config, formatHint: options.formatHint, maxBytes: options.maxBytes, evaluate: options.evaluate, backend: options.backend, maxPoints: options.maxPoints, baseline: options.baseline };
  return { shard: { ...shard, judge: JSON.parse(JSON.stringify(judge)) as typeof judge } };
}
