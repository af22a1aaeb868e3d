// diagnose(run, findings): ranked causes with fixes, plus what was checked and fine and what could not be checked.
import type { Run } from '../model/types.js';
import type { CheckedEntry, Finding, RankedCause } from '../report/schema.js';
import { rankCauses } from './rank-causes.js';
import { checkedLines, notCheckedLines } from './checked.js';

export interface Diagnosis {
  causes: RankedCause[];
  checked: string[];
  /** the checked sentences with the numbers they state */
  checks: CheckedEntry[];
  notChecked: string[];
}

export interface DiagnoseExtras {
  /** the rules' not-applicable reasons, listed under notChecked */
  notApplicable?: { ruleId: string; reason: string }[];
  /** the source-only run compared against, for "target improved +X over source-only" */
  baseline?: Run;
}

export function diagnose(run: Readonly<Run>, findings: readonly Finding[], extras: DiagnoseExtras = {}): Diagnosis {
  const checks = checkedLines(run, findings, extras.baseline);
  return {
    causes: rankCauses(run, findings),
    checked: checks.map((c) => c.text),
    checks,
    notChecked: notCheckedLines(run, extras.notApplicable),
  };
}

export { rankCauses } from './rank-causes.js';
export { fixesFor } from './fixes.js';
export { experimentFor } from './experiments.js';
export { checkedLines, notCheckedLines } from './checked.js';
