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
import { pickBaseline } from './model/baseline-run.js';

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
export async function loadRuns(paths: string[], options: DiagnoseOptions = {}): Promise<{ runs: Run[]; errors: Report['errors'] }> {
  const config = resolveConfig(options.config);
  const found = await discoverRuns(paths, { maxDepth: options.maxDepth });
  const runs: Run[] = [];
  const errors: Report['errors'] = [...found.errors];
  for (const d of found.runs) {
    options.onProgress?.(`reading ${d.id}`);
    const run = await loadRun(d, { metricAliases: config.metricAliases, roles: config.roles, formatHint: options.formatHint, maxBytes: options.maxBytes });
    const unreadable = nothingToDiagnose(run);
    if (unreadable) {
      errors.push({ path: d.path, message: unreadable });
      continue;
    }
    runs.push(run);
  }
  return { runs, errors };
}

/** Evaluation (TF.js) is loaded only when asked for, so plain runs start fast. */
async function attachEvaluation(run: Run, options: DiagnoseOptions): Promise<void> {
  if (!options.evaluate) return;
  const { evaluateRun } = await import('./evaluate/index.js');
  try {
    const res = await evaluateRun(run, { backend: options.backend, maxPoints: options.maxPoints, onProgress: (m) => options.onProgress?.(`${run.id}: ${m}`) });
    if (res) run.eval = res;
  } catch (err) {
    run.notes.push({ level: 'warn', file: run.path, message: `evaluation failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

/** Rules + causes for one loaded run. */
export function judgeRun(run: Run, config: EngineConfig, baseline?: Run): RunReport {
  const { findings, notApplicable } = runRules(run, config, baseline);
  const { causes, checked, notChecked } = rankCauses(run, findings, { notApplicable, baseline });
  return buildRunReport(run, { findings, causes, notApplicable, checked, notChecked });
}

export async function diagnose(paths: string[], options: DiagnoseOptions = {}): Promise<Report> {
  const config = resolveConfig(options.config);
  const { runs, errors } = await loadRuns(paths, options);
  let explicitBaseline: Run | undefined;
  if (options.baseline) {
    const b = await loadRuns([options.baseline], { ...options, baseline: undefined });
    explicitBaseline = b.runs[0];
    errors.push(...b.errors);
  }
  const reports: RunReport[] = [];
  for (const run of runs) {
    await attachEvaluation(run, options);
    reports.push(judgeRun(run, config, explicitBaseline ?? pickBaseline(run, runs)));
  }
  return { schemaVersion: SCHEMA_VERSION, tool: { name: 'dann-doctor', version: VERSION }, generatedAt: new Date().toISOString(), runs: reports, errors };
}
