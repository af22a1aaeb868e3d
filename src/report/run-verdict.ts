// The run's verdict: "problems", "ok" — or "not-judged" when the core signals a verdict rests on were not found or
// not checked. A doctor that says "healthy" when it could not look is worse than none (issue 13 §4).
import type { Run } from '../model/types.js';
import type { Finding } from '../engine/types.js';
import { KEY } from '../model/metric-keys.js';
import { ADVERSARIAL } from '../understand/algorithm.js';

export type RunVerdict = 'problems' | 'ok' | 'not-judged';

export interface Coverage {
  /** the core signals found, each with where it came from (e.g. 'target accuracy: "tgt_test_acc"') */
  found: string[];
  /** the core signals missing or not checked, each with why */
  missing: string[];
  /** how to point dann-doctor at a series it did not recognise; present when something is missing */
  hint?: string;
}

/** Rules that judge the target accuracy: at least one must have run for the target to count as checked. */
export const TARGET_RULES = ['target-acc-degrading', 'no-adaptation-gain', 'target-prediction-collapse', 'oracle-model-selection', 'oscillation', 'curve-jump'];
/** Rules that judge the domain signal of an adversarial method. */
export const DOMAIN_RULES = ['domain-acc-saturated', 'domain-acc-at-chance', 'loss-divergence', 'oscillation', 'curve-jump'];

function finiteCount(run: Readonly<Run>, key: string): number {
  return run.series[key]?.points.filter((p) => Number.isFinite(p.value)).length ?? 0;
}

function targetAccuracySource(run: Readonly<Run>): string | undefined {
  if (finiteCount(run, KEY.valAcc) > 0) return `"${run.series[KEY.valAcc].rawName}" (${finiteCount(run, KEY.valAcc)} values)`;
  const evals = run.evaluations.filter((e) => e.domain === 'target' && e.acc1 !== undefined && Number.isFinite(e.acc1));
  if (evals.length) return `${evals.length} target evaluation${evals.length > 1 ? 's' : ''} in the log`;
  if (run.eval?.target) return 're-evaluation of the target predictions';
  if (run.testAcc1 !== undefined && Number.isFinite(run.testAcc1)) return 'the final test accuracy';
  return undefined;
}

function domainSignalSource(run: Readonly<Run>): string | undefined {
  if (finiteCount(run, KEY.domainAcc) > 0) return `discriminator accuracy "${run.series[KEY.domainAcc].rawName}"`;
  if (finiteCount(run, KEY.transferLoss) > 0) return `transfer/domain loss "${run.series[KEY.transferLoss].rawName}"`;
  if (run.eval?.domainProbe) return 'a domain probe on the features';
  return undefined;
}

/** The series names a user could map, for the hint (a few, unrecognised first). */
function mappable(run: Readonly<Run>): string[] {
  const all = Object.values(run.series);
  const unkeyed = all.filter((s) => !Object.values(KEY).includes(s.key as never));
  // accuracies not already known to be the source's or the discriminator's: the missing signal is almost always one
  // (or a series whose meaning nothing told: the likeliest thing a user logged under a name of their own)
  const candidate = (s: (typeof all)[number]) => (s.role?.quantity === 'accuracy' || s.role?.quantity === 'other' || s.unit === 'percent') && s.role?.domain !== 'source' && s.role?.domain !== 'domain-discriminator';
  return [...new Set(unkeyed.filter(candidate).map((s) => s.rawName))].slice(0, 4);
}

/** What the verdict rests on: the core signals found and checked, and what is missing. */
export function coverageOf(run: Readonly<Run>, notApplicable: readonly { ruleId: string }[]): Coverage {
  const ran = (ids: readonly string[]) => ids.some((id) => !notApplicable.some((n) => n.ruleId === id));
  const found: string[] = [];
  const missing: string[] = [];
  const target = targetAccuracySource(run);
  if (!target) missing.push('target accuracy: no series or evaluation was recognised as the target domain\'s accuracy');
  else if (!ran(TARGET_RULES)) missing.push(`target accuracy: found (${target}) but too little of it for any target check to run`);
  else found.push(`target accuracy: ${target}`);
  if (ADVERSARIAL.has(run.algorithm)) {
    const domain = domainSignalSource(run);
    if (!domain) missing.push(`domain signal: ${run.algorithm.toUpperCase()} trains a discriminator, but no discriminator accuracy or domain loss was recognised`);
    else if (!ran(DOMAIN_RULES)) missing.push(`domain signal: found (${domain}) but no discriminator check could run on it`);
    else found.push(`domain signal: ${domain}`);
  }
  const cov: Coverage = { found, missing };
  if (missing.length) {
    const names = mappable(run);
    const example = names[0] ?? 'NAME';
    cov.hint = `if one of this run's series is the target accuracy${ADVERSARIAL.has(run.algorithm) ? ' or the discriminator accuracy' : ''}, say so: --map "${example}=target-acc" (or "roles": {"${example}": "target-acc"} in dann-doctor.config.json); \`dann-doctor inspect\` lists every series with the role it was given`;
  }
  return cov;
}

/** "problems" when an unsuppressed warning or error was found, else "ok" only when the core signals were checked. */
export function runVerdict(findings: readonly Finding[], coverage: Coverage): RunVerdict {
  if (findings.some((f) => !f.suppressed && f.severity !== 'info')) return 'problems';
  return coverage.missing.length ? 'not-judged' : 'ok';
}
