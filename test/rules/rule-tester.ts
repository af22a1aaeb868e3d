// ESLint RuleTester-style table runner: valid cases report nothing, invalid cases report exactly the listed findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run } from '../../src/model/types.js';
import type { Evidence, Finding } from '../../src/report/schema.js';
import type { AnyRule } from '../../src/engine/create-rule.js';
import { runRules } from '../../src/engine/run-rules.js';

type RunSource = Run | (() => Run | Promise<Run>);

export interface ValidCase {
  name: string;
  run: RunSource;
  baseline?: RunSource;
  options?: Record<string, number>;
  /** expect "not applicable" (true, or a pattern its reason must match) instead of a clean pass */
  notApplicable?: boolean | RegExp;
}

export interface ExpectedFinding {
  messageId: string;
  /** subset of the finding's data that must match exactly */
  data?: Record<string, string | number>;
  /** subset of the first evidence entry (location: file/line/series/from/to) */
  evidence?: Partial<Evidence>;
  causes?: string[];
}

export interface InvalidCase extends Omit<ValidCase, 'notApplicable'> {
  errors: ExpectedFinding[];
}

async function resolve(r: RunSource | undefined): Promise<Run | undefined> {
  return typeof r === 'function' ? await r() : r;
}

async function apply(rule: AnyRule, c: ValidCase | InvalidCase) {
  const run = (await resolve(c.run))!;
  const baseline = await resolve(c.baseline);
  const config = { rules: {}, ruleOptions: c.options ? { [rule.meta.id]: c.options } : {}, metricAliases: {} };
  return runRules(run, config, baseline, [rule]);
}

function checkFinding(f: Finding, e: ExpectedFinding, ruleId: string): void {
  assert.equal(f.ruleId, ruleId);
  assert.equal(f.messageId, e.messageId);
  assert.doesNotMatch(f.message, /\{\{/, `unfilled placeholder in: ${f.message}`);
  for (const [k, v] of Object.entries(e.data ?? {})) assert.equal(f.data[k], v, `data.${k} of ${f.message}`);
  assert.ok(f.evidence.length > 0, 'a finding must carry evidence');
  for (const ev of f.evidence) assert.ok(ev.file, 'every evidence entry names a file');
  for (const [k, v] of Object.entries(e.evidence ?? {})) assert.deepEqual((f.evidence[0] as unknown as Record<string, unknown>)[k], v, `evidence[0].${k}`);
  if (e.causes) assert.deepEqual([...f.causes].sort(), [...e.causes].sort());
}

/** Registers one node:test per case. */
export function ruleTester(rule: AnyRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  const id = rule.meta.id;
  for (const c of cases.valid) {
    test(`${id} valid: ${c.name}`, async () => {
      const res = await apply(rule, c);
      assert.deepEqual(res.findings.map((f) => `${f.messageId}: ${f.message}`), []);
      const na = res.notApplicable.find((n) => n.ruleId === id);
      if (c.notApplicable) {
        assert.ok(na, 'expected the rule to be not applicable');
        if (c.notApplicable instanceof RegExp) assert.match(na.reason, c.notApplicable);
      } else {
        assert.equal(na, undefined, `unexpectedly not applicable: ${na?.reason}`);
      }
    });
  }
  for (const c of cases.invalid) {
    test(`${id} invalid: ${c.name}`, async () => {
      const res = await apply(rule, c);
      assert.equal(res.findings.length, c.errors.length, `findings: ${res.findings.map((f) => f.message).join(' | ') || 'none'}; n/a: ${res.notApplicable.map((n) => n.reason).join(' | ')}`);
      res.findings.forEach((f, i) => checkFinding(f, c.errors[i], id));
    });
  }
}
