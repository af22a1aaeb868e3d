// The programmatic API: diagnose(paths) -> Report. discover -> read -> (evaluate) -> rules -> causes -> report.
import { readFileSync } from 'node:fs';
import type { Report, RunReport, EngineConfig } from './engine/types.js';
import { SCHEMA_VERSION } from './engine/types.js';
import type { Run } from './model/types.js';
import { evalDepthOf, type DiagnoseOptions } from './diagnose-options.js';
import { discoverRuns } from './discover/discover-runs.js';
import { loadRun, nothingToDiagnose, onlyEmptyEventFiles } from './load-run.js';
import { runRules } from './engine/run-rules.js';
import { diagnose as rankCauses } from './diagnose/index.js';
import { buildRunReport } from './report/build-run-report.js';
import { selectShard, type ShardInfo } from './sweep/shard.js';
import { timed, timedAsync } from './runtime/phase-clock.js';

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

const EMPTY_CONFIG: EngineConfig = { rules: {}, ruleOptions: {}, metricAliases: {} };

export function resolveConfig(c?: Partial<EngineConfig>): EngineConfig {
  return { ...EMPTY_CONFIG, ...c, rules: { ...c?.rules }, ruleOptions: { ...c?.ruleOptions }, metricAliases: { ...c?.metricAliases } };
}

/** Reads every run under `paths` into Runs (no rules). Errors for unreadable inputs are collected, not thrown. */
export async function loadRuns(paths: string[], options: DiagnoseOptions = {}): Promise<{ runs: Run[]; errors: Report['errors']; shard?: ShardInfo }> {
  const config = resolveConfig(options.config);
  const found = selectShard(await timedAsync('discover', () => discoverRuns(paths, { maxDepth: options.maxDepth })), options.shard);
  const runs: Run[] = [];
  const errors: Report['errors'] = [...found.errors];
  for (const [i, d] of found.runs.entries()) {
    options.onProgress?.(found.runs.length > 1 ? `reading run ${i + 1}/${found.runs.length}: ${d.id}` : `reading ${d.id}`, found.runs.length > 1 ? i / found.runs.length : undefined);
    const run = await timedAsync('read', () => loadRun(d, { metricAliases: config.metricAliases, formatHint: options.formatHint, maxBytes: options.maxBytes }));
    const unreadable = nothingToDiagnose(run);
    if (unreadable) {
      errors.push({ path: d.path, message: unreadable, ...(onlyEmptyEventFiles(run) ? { kind: 'empty' as const } : {}) });
      continue;
    }
    runs.push(run);
  }
  return { runs, errors, shard: found.shard };
}

/**
 * Evaluation of the run's feature dump: quick by default (typed arrays, no TF.js, in-process: well under a second,
 * less than a worker thread's start-up), deep when asked (on a worker thread: TF.js and training block for seconds,
 * and the caller's thread must stay free for Ctrl-C), none with 'off'. A failure becomes a warn note and
 * run.evalFailure (reporters show it in the first lines). One definition for the CLI, the sweep shards and the API.
 */
export async function attachEvaluation(run: Run, options: Pick<DiagnoseOptions, 'evaluate' | 'backend' | 'maxPoints' | 'onProgress'>): Promise<void> {
  const depth = evalDepthOf(options.evaluate);
  if (depth === 'off' || (!run.features && depth === 'quick')) return;
  try {
    let res;
    if (depth === 'quick') {
      const { evaluateRun } = await import('./evaluate/index.js');
      res = await evaluateRun(run, { depth, maxPoints: options.maxPoints, onProgress: (m) => options.onProgress?.(`${run.id}: quick evaluation — ${m}`) });
    } else {
      const { evaluateInWorker } = await import('./runtime/evaluate-in-worker.js');
      res = await evaluateInWorker(run, { depth, backend: options.backend, maxPoints: options.maxPoints, onProgress: (m, f) => options.onProgress?.(`${run.id}: evaluating — ${m}`, f) });
    }
    if (res) run.eval = res;
    else run.evalFailure = 'no feature dump (features.npz) in the run directory to evaluate';
  } catch (err) {
    run.evalFailure = `${depth === 'quick' ? 'quick evaluation: ' : ''}${err instanceof Error ? err.message : String(err)}`;
    run.notes.push({ level: 'warn', file: run.path, message: `evaluation failed: ${run.evalFailure}` });
  }
}

/** Rules + causes for one loaded run. */
export function judgeRun(run: Run, config: EngineConfig, baseline?: Run): RunReport {
  const { findings, notApplicable } = timed('rules', () => runRules(run, config, baseline));
  const { causes, checks, notChecked } = timed('causes', () => rankCauses(run, findings, { notApplicable, baseline }));
  return timed('report', () => buildRunReport(run, { findings, causes, notApplicable, checks, notChecked }));
}

/**
 * Diagnoses every run under `paths`, one after the other in this thread, each judged and freed as soon as it is read
 * (src/sweep/diagnose-many.ts; diagnoseMany spreads the same work over threads).
 */
export async function diagnose(paths: string[], options: DiagnoseOptions = {}): Promise<Report> {
  const { diagnoseMany } = await import('./sweep/diagnose-many.js');
  return diagnoseMany(paths, { ...options, concurrency: 1 });
}

/** The `shard` block of a `--shard` report (nothing otherwise): the share, its runs' positions, the judging options. */
export function shardReportInfo(shard: ShardInfo | undefined, options: DiagnoseOptions, config: EngineConfig): Pick<Report, 'shard'> {
  if (!shard) return {};
  const judge = { config, formatHint: options.formatHint, maxBytes: options.maxBytes, evaluate: options.evaluate, backend: options.backend, maxPoints: options.maxPoints, baseline: options.baseline };
  return { shard: { ...shard, judge: JSON.parse(JSON.stringify(judge)) as typeof judge } };
}
