// The registry lists exactly the rule files in rules/, and every rule has its doc, its test and documented options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import { CAUSE_IDS } from '../../src/report/schema.js';
import { REPO_ROOT } from '../helpers/shared.js';

const RULES_DIR = resolve(REPO_ROOT, 'rules');
const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, '')).sort();

test('registry lists exactly the files in rules/ (file name = rule id)', () => {
  assert.deepEqual(RULES.map((r) => r.meta.id).sort(), ruleFiles);
  assert.equal(new Set(RULES.map((r) => r.meta.id)).size, RULES.length);
});

test('the issue table rules are all present', () => {
  const required = [
    'domain-acc-saturated', 'domain-acc-at-chance', 'curve-jump', 'oscillation', 'per-class-imbalance', 'target-prediction-collapse',
    'loss-divergence', 'source-underfit', 'target-acc-degrading', 'no-adaptation-gain', 'run-crashed', 'run-incomplete',
    'discriminator-batchnorm', 'tiny-batch-batchnorm', 'trade-off-extreme', 'grl-warmup-horizon', 'oracle-model-selection', 'lr-out-of-range',
  ];
  for (const id of required) assert.ok(ruleFiles.includes(id), id);
});

for (const rule of RULES) {
  const id = rule.meta.id;
  test(`${id}: has rules/${id}.md with the sections, and test/rules/${id}.test.ts`, () => {
    const md = resolve(RULES_DIR, `${id}.md`);
    assert.ok(existsSync(md), `missing ${md}`);
    const text = readFileSync(md, 'utf8');
    assert.match(text, new RegExp(`^# ${id}\\n`));
    for (const section of ['Symptom', 'Why it matters', 'Causes', 'Fixes', 'Example']) assert.match(text, new RegExp(`\\*\\*${section}`), `${id}.md lacks ${section}`);
    assert.ok(existsSync(resolve(REPO_ROOT, 'test/rules', `${id}.test.ts`)), `missing test for ${id}`);
  });
  test(`${id}: meta is complete (documented options, known causes, messages, fixes)`, () => {
    const m = rule.meta;
    assert.ok(m.description.length > 20);
    assert.ok(['error', 'warn', 'info'].includes(m.defaultSeverity));
    assert.deepEqual(Object.keys(m.optionDocs).sort(), Object.keys(m.options).sort());
    for (const doc of Object.values(m.optionDocs) as string[]) assert.ok(doc.length > 30, 'an option doc must give the reason');
    for (const v of Object.values(m.options) as number[]) assert.ok(Number.isFinite(v));
    for (const c of m.causes) {
      assert.ok((CAUSE_IDS as readonly string[]).includes(c.id), c.id);
      assert.ok(c.weight > 0 && c.weight <= 1);
    }
    assert.ok(Object.keys(m.messages).length > 0);
    assert.ok(m.fixes.length > 0);
    const text = readFileSync(resolve(RULES_DIR, `${id}.ts`), 'utf8');
    assert.match(text.split('\n')[0], /^\/\/ /, 'first line says what the file is for');
  });
}
