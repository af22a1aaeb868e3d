// Runs every registered rule on one Run: severity and options from config, messages from templates, stable fingerprints.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Run } from '../model/types.js';
import type { EngineConfig, Finding, FindingDraft, Severity, Evidence } from './types.js';
import { SEVERITY_ORDER } from './types.js';
import type { AnyRule } from './create-rule.js';

export interface RuleResults {
  findings: Finding[];
  notApplicable: { ruleId: string; reason: string }[];
}

/** `{{name}}` placeholders filled from `data`; an unknown placeholder is left visible so a test can catch it. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => (name in data ? String(data[name]) : whole));
}

/** Short sha1 of what identifies a finding across reruns: rule, run, message and where it points. */
export function fingerprintOf(ruleId: string, runId: string, messageId: string, first?: Evidence): string {
  // the file's base name, not its path: a fingerprint must survive the runs moving to another folder or machine
  const where = first ? (first.series ?? basename(first.file)) : '';
  return createHash('sha1').update([ruleId, runId, messageId, where].join('\u0000')).digest('hex').slice(0, 16);
}


/**
 * Applies the rules to `run` (a `baseline` source-only run enables the baseline comparison).
 * Rules set to 'off' are skipped silently; a rule that throws is a bug and is rethrown with the rule and run named.
 * Findings come out most severe first, then in registry order.
 */
export function runRules(run: Run, config: EngineConfig, baseline: Run | undefined, rules: readonly AnyRule[]): RuleResults {
  const findings: Finding[] = [];
  const notApplicable: RuleResults['notApplicable'] = [];
  for (const rule of rules) {
    const { meta } = rule;
    const setting = config.rules?.[meta.id] ?? meta.defaultSeverity;
    if (setting === 'off') continue;
    const severity: Severity = setting;
    const options = { ...meta.options, ...(config.ruleOptions?.[meta.id] ?? {}) };
    const drafts: FindingDraft[] = [];
    let result;
    try {
      result = rule.check({ run, options, baseline, report: (d: FindingDraft) => drafts.push(d) });
    } catch (err) {
      throw new Error(`rule ${meta.id} failed on run ${run.id}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (result && 'notApplicable' in result) {
      notApplicable.push({ ruleId: meta.id, reason: result.notApplicable });
      continue;
    }
    for (const d of drafts) {
      const template = (meta.messages as Record<string, string>)[d.messageId];
      if (template === undefined) throw new Error(`rule ${meta.id} reported unknown messageId "${d.messageId}"`);
      const data = d.data ?? {};
      findings.push({
        ruleId: meta.id,
        messageId: d.messageId,
        severity,
        message: formatMessage(template, data),
        data,
        evidence: d.evidence,
        causes: (d.causes ?? meta.causes).map((c) => c.id),
        causeWeights: (d.causes ?? meta.causes).map((c) => ({ id: c.id, weight: c.weight })),
        fingerprint: fingerprintOf(meta.id, run.id, d.messageId, d.evidence[0]),
      });
    }
  }
  const order = new Map(rules.map((r, i) => [r.meta.id, i]));
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || order.get(a.ruleId)! - order.get(b.ruleId)!);
  return { findings, notApplicable };
}
