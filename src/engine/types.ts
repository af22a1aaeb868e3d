// Types of the rule contract: what a rule declares (meta), sees (context) and reports (drafts). The report types
// live in src/report/schema.ts (re-exported here for modules written before the split).
import type { Run } from '../model/types.js';
import type { Severity, CauseId, Evidence } from '../report/schema.js';

export * from '../report/schema.js';

export interface RuleMeta<Options extends Record<string, number> = Record<string, number>, MessageIds extends string = string> {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** canonical series keys / inputs the rule needs (for "not applicable" and docs) */
  needs: string[];
  messages: Record<MessageIds, string>;
  /** causes this rule's findings support, with weights in [0,1] used by diagnose */
  causes: { id: CauseId; weight: number }[];
  /** generic fixes; diagnose writes run-specific ones */
  fixes: string[];
  /** named thresholds with defaults; overridable from config */
  options: Options;
  /** a line per option saying why the default is what it is */
  optionDocs: Record<keyof Options & string, string>;
}

export interface FindingDraft<MessageIds extends string = string> {
  messageId: MessageIds;
  data?: Record<string, string | number>;
  evidence: Evidence[];
  /** override the meta causes/weights for this finding (e.g. evidence-dependent) */
  causes?: { id: CauseId; weight: number }[];
}

export interface RuleContext<Options extends Record<string, number> = Record<string, number>, MessageIds extends string = string> {
  run: Readonly<Run>;
  options: Options;
  /** other runs the user gave (baseline for no-adaptation-gain) */
  baseline?: Readonly<Run>;
  report(finding: FindingDraft<MessageIds>): void;
}

export type CheckResult = void | { notApplicable: string };

export interface Rule<Options extends Record<string, number> = Record<string, number>, MessageIds extends string = string> {
  meta: RuleMeta<Options, MessageIds>;
  check(ctx: RuleContext<Options, MessageIds>): CheckResult;
}

