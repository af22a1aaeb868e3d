// The judging step: rules, then cause ranking, then the run's report. Pure (no IO).
import type { RunReport, EngineConfig } from '../report/schema.js';
import type { Run } from '../model/types.js';
import { runRules } from '../engine/run-rules.js';
import { RULES } from '../../rules/index.js';
import { diagnose as rankCauses } from '../causes/index.js';
import { buildRunReport } from '../report/build-run-report.js';
import { timed } from '../runtime/phase-clock.js';

/** Rules + causes for one loaded run; `baseline` is the source-only run to measure the adaptation gain against. */
export function judgeRun(run: Run, config: EngineConfig, baseline?: Run): RunReport {
  const { findings, notApplicable } = timed('rules', () => runRules(run, config, baseline, RULES));
  const { causes, checks, notChecked } = timed('causes', () => rankCauses(run, findings, { notApplicable, baseline }));
  return timed('report', () => buildRunReport(run, { findings, causes, notApplicable, checks, notChecked }));
}
