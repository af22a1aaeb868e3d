// Turns a Run plus its findings and causes into the RunReport that the JSON contract and every reporter use.
import type { Run } from '../model/types.js';
import type { CheckedEntry, Finding, RankedCause, RunReport } from './schema.js';
import { KEY } from '../model/metric-keys.js';
import { summarizeSeries } from './summarize-series.js';
import { epochMeansCached } from '../signals/epoch-means.js';
import { coverageOf, runVerdict } from './run-verdict.js';

export interface RunVerdictParts {
  findings: Finding[];
  causes: RankedCause[];
  notApplicable: { ruleId: string; reason: string }[];
  checks: CheckedEntry[];
  notChecked: string[];
}

function lastEpochMean(run: Run, key: string): number | undefined {
  const s = run.series[key];
  if (!s) return undefined;
  return epochMeansCached(s, run.itersPerEpoch).at(-1)?.mean ?? s.points.at(-1)?.value;
}

/** Headline numbers: final source (training batch acc, last epoch mean, or re-evaluated), target (last validation), best, test. */
export function headlineMetrics(run: Run): RunReport['metrics'] {
  const val = run.series[KEY.valAcc];
  const valPts = val?.points ?? [];
  const targetEvals = run.evaluations.filter((e) => e.domain === 'target' && e.phase === 'val' && e.acc1 !== undefined);
  const finalTargetAcc = valPts.at(-1)?.value ?? targetEvals.at(-1)?.acc1 ?? run.eval?.target?.accuracy;
  let bestTargetAcc = run.bestAcc1;
  let bestEpoch: number | undefined;
  if (valPts.length) {
    let bi = 0;
    for (let i = 1; i < valPts.length; i++) if (valPts[i].value > valPts[bi].value) bi = i;
    bestTargetAcc ??= valPts[bi].value;
    bestEpoch = valPts[bi].epoch ?? valPts[bi].step;
  }
  return {
    finalSourceAcc: run.eval?.source?.accuracy ?? lastEpochMean(run, KEY.sourceValAcc) ?? lastEpochMean(run, KEY.clsAcc),
    finalTargetAcc,
    bestTargetAcc,
    bestEpoch,
    testAcc: run.testAcc1,
    finalDomainAcc: lastEpochMean(run, KEY.domainAcc),
  };
}

export function buildRunReport(run: Run, parts: RunVerdictParts): RunReport {
  const coverage = coverageOf(run, parts.notApplicable);
  return {
    id: run.id,
    path: run.path,
    formats: run.formats,
    files: run.files,
    earlierAttempts: run.earlierAttempts,
    ...(run.attempts?.length ? { attempts: run.attempts } : {}),
    ...(run.configFiles?.length ? { configFiles: run.configFiles } : {}),
    ...(run.inRunBaseline ? { inRunBaseline: run.inRunBaseline } : {}),
    status: run.status,
    crash: run.crash,
    algorithm: run.algorithm,
    ...(run.algorithmFrom ? { algorithmFrom: run.algorithmFrom } : {}),
    hyperparameters: run.hyperparameters,
    ...(run.hyperparameterFiles?.length ? { hyperparameterFiles: run.hyperparameterFiles } : {}),
    verdict: runVerdict(parts.findings, coverage),
    coverage,
    epochsCompleted: run.epochsCompleted,
    ...(run.epochBase ? { epochBase: run.epochBase } : {}),
    itersPerEpoch: run.itersPerEpoch,
    metrics: headlineMetrics(run),
    series: Object.values(run.series).map((s) => summarizeSeries(s, run.itersPerEpoch)),
    evaluations: run.evaluations,
    perClass: run.perClass,
    checkpoints: run.checkpoints,
    features: run.features,
    eval: run.eval,
    ...(run.evalFailure ? { evalFailure: run.evalFailure } : {}),
    ...(run.partiallyRead?.length ? { partiallyRead: run.partiallyRead } : {}),
    findings: parts.findings,
    causes: parts.causes,
    notApplicable: parts.notApplicable,
    checked: parts.checks.map((c) => c.text),
    checks: parts.checks,
    notChecked: parts.notChecked,
    notes: run.notes,
  };
}
