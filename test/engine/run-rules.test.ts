// runRules: severity from config over meta, 'off' skips, messages from templates, stable fingerprints, errors named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules, formatMessage, fingerprintOf } from '../../src/engine/run-rules.js';
import { RULES } from '../../rules/index.js';
import { createRule } from '../../src/engine/create-rule.js';
import { makeRun, sharedRun } from '../rules/runs.js';

const empty = { rules: {}, ruleOptions: {}, metricAliases: {} };

test('formatMessage fills {{data}} and leaves unknown placeholders visible', () => {
  assert.equal(formatMessage('lr={{ lr }} at {{step}}', { lr: 10, step: 50 }), 'lr=10 at 50');
  assert.equal(formatMessage('x {{missing}}', {}), 'x {{missing}}');
});

test('diverged run: findings, severities, causes and a stable fingerprint', async () => {
  const run = await sharedRun('diverged')();
  const a = runRules(run, empty, undefined, RULES);
  const b = runRules(run, empty, undefined, RULES);
  const ids = a.findings.map((f) => `${f.severity}:${f.ruleId}`);
  // the log alone: target 9.78% (truth.json) for 10 classes is at chance -> target-prediction-collapse (atChance)
  assert.deepEqual(ids, ['error:loss-divergence', 'error:source-underfit', 'error:target-prediction-collapse', 'warn:lr-out-of-range', 'info:oracle-model-selection']);
  assert.deepEqual(a.findings.map((f) => f.fingerprint), b.findings.map((f) => f.fingerprint));
  assert.match(a.findings[0].fingerprint, /^[0-9a-f]{16}$/);
  assert.ok(a.findings[0].causes.includes('learning-rate-too-high'));
  assert.ok(a.findings[0].causeWeights?.some((c) => c.id === 'learning-rate-too-high' && c.weight > 0.5));
  assert.ok(a.notApplicable.some((n) => n.ruleId === 'domain-acc-at-chance'));
});

test('config: severity override, off, and option override', async () => {
  const run = await sharedRun('diverged')();
  const res = runRules(run, { rules: { 'loss-divergence': 'info', 'lr-out-of-range': 'off' }, ruleOptions: { 'source-underfit': { minAcc: 5 } }, metricAliases: {} }, undefined, RULES);
  assert.equal(res.findings.find((f) => f.ruleId === 'loss-divergence')?.severity, 'info');
  assert.equal(res.findings.find((f) => f.ruleId === 'lr-out-of-range'), undefined);
  assert.equal(res.findings.find((f) => f.ruleId === 'source-underfit'), undefined);
});

test('fingerprint depends on rule, run, message and the first evidence series', () => {
  const ev = { file: 'a.txt', series: 'train/loss', observed: 1 };
  const f = fingerprintOf('loss-divergence', 'runs/x', 'exploded', ev);
  assert.equal(f, fingerprintOf('loss-divergence', 'runs/x', 'exploded', { ...ev, observed: 2, line: 9 }));
  assert.notEqual(f, fingerprintOf('loss-divergence', 'runs/y', 'exploded', ev));
  assert.notEqual(f, fingerprintOf('loss-divergence', 'runs/x', 'nonFinite', ev));
});

test('a rule that throws is rethrown with the rule id and run id', () => {
  const broken = createRule({
    meta: { id: 'broken', description: 'a rule that throws, for this test', defaultSeverity: 'warn', needs: [], messages: { m: 'x' }, causes: [], fixes: ['none'], options: {}, optionDocs: {} },
    check() {
      throw new Error('boom');
    },
  });
  assert.throws(() => runRules(makeRun(), empty, undefined, [broken]), /rule broken failed on run made-up: boom/);
});

test('createRule catches message-id and option typos at compile time', () => {
  const r = createRule({
    meta: { id: 't', description: 'a rule for the type test only', defaultSeverity: 'info', needs: [], messages: { high: 'high {{v}}' }, causes: [], fixes: ['x'], options: { level: 1 }, optionDocs: { level: 'reason for the level option' } },
    check(ctx) {
      // @ts-expect-error unknown message id
      ctx.report({ messageId: 'hgih', evidence: [] });
      // @ts-expect-error unknown option
      void ctx.options.levle;
      ctx.report({ messageId: 'high', data: { v: ctx.options.level }, evidence: [{ file: 'f', observed: 1 }] });
    },
  });
  assert.throws(() => runRules(makeRun(), empty, undefined, [r]), /unknown messageId "hgih"/);
});
