// Config file parsing/validation (errors name the file and line) and --rule flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, loadConfig, mergeConfigs, findConfigFile } from '../../src/cli/config-file.js';
import { ruleOverrides } from '../../src/cli/parse.js';
import { InputError } from '../../src/ingest/input-error.js';

const F = 'dann-doctor.config.json';

test('parses severities, [severity, options], ruleOptions and metricAliases', () => {
  const c = parseConfig(JSON.stringify({
    rules: { 'trade-off-extreme': 'error', 'domain-acc-saturated': ['warn', { level: 85 }], 'oracle-model-selection': 'off' },
    ruleOptions: { 'curve-jump': { minSegment: 4 } },
    metricAliases: { adv_acc: 'train/domain_acc' },
  }), F);
  assert.deepEqual(c.rules, { 'trade-off-extreme': 'error', 'domain-acc-saturated': 'warn', 'oracle-model-selection': 'off' });
  assert.deepEqual(c.ruleOptions, { 'domain-acc-saturated': { level: 85 }, 'curve-jump': { minSegment: 4 } });
  assert.deepEqual(c.metricAliases, { adv_acc: 'train/domain_acc' });
});

test('validation errors are InputErrors naming the file and the line', () => {
  const cases: [string, RegExp][] = [
    ['{\n  "rules": {\n    "no-such-rule": "warn"\n  }\n}', /dann-doctor\.config\.json:3: unknown rule "no-such-rule"/],
    ['{\n  "rules": { "curve-jump": "loud" }\n}', /:2: severity of rule "curve-jump" must be one of/],
    ['{\n  "ruleOptions": {\n    "curve-jump": { "minSegmnt": 4 }\n  }\n}', /:3: rule "curve-jump" has no option "minSegmnt"/],
    ['{ "ruleOptions": { "curve-jump": { "minSegment": "4" } } }', /option "curve-jump.minSegment" must be a finite number/],
    ['{ "rulez": {} }', /unknown top-level key "rulez"/],
    ['{\n  "rules": {,}\n}', /dann-doctor\.config\.json:2: not valid JSON/],
    ['[1]', /must be a JSON object/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseConfig(text, F), (e: unknown) => e instanceof InputError && re.test(e.message), text);
  }
});

test('loadConfig reads a file; a missing file is an InputError naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-config-'));
  writeFileSync(join(dir, F), '{ "rules": { "oscillation": "error" } }');
  assert.deepEqual((await loadConfig(join(dir, F))).rules, { oscillation: 'error' });
  assert.equal(findConfigFile(dir), join(dir, F));
  await assert.rejects(loadConfig(join(dir, 'nope.json')), /nope\.json: no such file or directory/);
});

test('--rule id=level flags', () => {
  assert.deepEqual(ruleOverrides(['curve-jump=off', 'oscillation = error']), { 'curve-jump': 'off', oscillation: 'error' });
  assert.throws(() => ruleOverrides(['curve-jump']), /expects id=off\|info\|warn\|error/);
  assert.throws(() => ruleOverrides(['nope=warn']), /unknown rule "nope"/);
  assert.throws(() => ruleOverrides(['curve-jump=loud']), /level must be one of/);
});

test('mergeConfigs: later wins, options merge per rule', () => {
  const m = mergeConfigs(
    { rules: { a: 'warn' }, ruleOptions: { a: { x: 1, y: 2 } }, metricAliases: { p: 'q' } },
    { rules: { a: 'off' }, ruleOptions: { a: { y: 3 } } },
  );
  assert.deepEqual(m, { rules: { a: 'off' }, ruleOptions: { a: { x: 1, y: 3 } }, metricAliases: { p: 'q' }, roles: {} });
});

test('roles: series name -> role; a role that is none of the accepted forms names the line', () => {
  const c = parseConfig(JSON.stringify({ roles: { acc_tgt_eval: 'target-acc', d_out: 'train/domain_acc', junk: 'ignore' } }), F);
  assert.deepEqual(c.roles, { acc_tgt_eval: 'target-acc', d_out: 'train/domain_acc', junk: 'ignore' });
  const text = '{\n  "roles": {\n    "x": "the-target"\n  }\n}';
  assert.throws(() => parseConfig(text, F), (e: unknown) => e instanceof InputError && e.line === 3 && /target-acc/.test(e.message));
  assert.deepEqual(mergeConfigs({ roles: { a: 'lr' } }, { roles: { b: 'ignore' } }).roles, { a: 'lr', b: 'ignore' });
});
