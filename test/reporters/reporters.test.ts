// Reporters on real reports: SARIF validates against the 2.1.0 schema, JSON keeps the contract, text/Markdown put the verdict first.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { diagnose } from '../../src/index.js';
import type { Report } from '../../src/report/schema.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderText } from '../../src/reporters/text.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { RULES } from '../../rules/index.js';
import { SHARED_RUNS, FIXTURES, REPO_ROOT } from '../helpers/shared.js';

let report: Report;
before(async () => {
  // log only: these tests check evidence that points at log lines (quick evaluation would put features.npz first)
  report = await diagnose([SHARED_RUNS], { evaluate: 'off' });
});

test('SARIF output validates against the SARIF 2.1.0 JSON schema and points at log lines', () => {
  const schema = JSON.parse(readFileSync(join(FIXTURES, 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  const Ajv = AjvDraft04 as unknown as new (o: object) => { compile(s: unknown): ((d: unknown) => boolean) & { errors?: unknown[] } };
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  const validate = ajv.compile(schema);
  const sarif = JSON.parse(renderSarif(report, RULES.map((r) => r.meta), { baseDir: REPO_ROOT, toolVersion: '0.1.0' }));
  const ok = validate(sarif);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  // a checkpoint warning becomes a located tool notification, still valid SARIF
  const warned: Report = structuredClone(report);
  const ck = warned.runs.find((r) => r.checkpoints.length)!.checkpoints[0];
  ck.notes.push({ level: 'warn', file: ck.path, message: "tensor 'w' skipped: view reaches past its storage" });
  const withNote = JSON.parse(renderSarif(warned, RULES.map((r) => r.meta), { baseDir: REPO_ROOT, toolVersion: '0.1.0' }));
  assert.ok(validate(withNote), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  assert.equal(withNote.runs[0].invocations[0].toolExecutionNotifications.filter((n: { level: string }) => n.level === 'warning').length, 1);
  // every rule, plus the not-judged pseudo-rule
  assert.equal(sarif.runs[0].tool.driver.rules.length, RULES.length + 1);
  const perClass = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'per-class-imbalance');
  assert.ok(perClass, 'label_shift per-class-imbalance is a SARIF result');
  assert.equal(perClass.level, 'error');
  const loc = perClass.locations[0].physicalLocation;
  assert.match(loc.artifactLocation.uri, /label_shift\/train-2026-11-27-18_38_15\.txt$/);
  assert.ok(loc.region.startLine > 300, 'the region is the per-class table near the end of the log');
});

test('with the default quick evaluation, SARIF names the dump as the collapse evidence of diverged', async () => {
  const rep = await diagnose([join(SHARED_RUNS, 'diverged')]);
  const sarif = JSON.parse(renderSarif(rep, RULES.map((r) => r.meta), { baseDir: REPO_ROOT, toolVersion: '0.1.0' }));
  const collapse = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'target-prediction-collapse');
  assert.ok(collapse, 'diverged: all 225 target predictions in class 8 (truth.json) is a SARIF result');
  assert.match(collapse.locations[0].physicalLocation.artifactLocation.uri, /diverged\/features\.npz$/);
});

test('JSON report keeps the versioned contract and stays valid JSON with NaN values', () => {
  const parsed = JSON.parse(renderJson(report));
  assert.equal(parsed.schemaVersion, 1);
  assert.equal(parsed.tool.name, 'dann-doctor');
  assert.equal(parsed.runs.length, 6);
  for (const run of parsed.runs) {
    assert.ok(Array.isArray(run.findings) && Array.isArray(run.causes));
    for (const f of run.findings) {
      assert.equal(typeof f.ruleId, 'string');
      assert.ok(['error', 'warn', 'info'].includes(f.severity));
      assert.ok(Array.isArray(f.evidence) && f.evidence.every((e: { file: string }) => typeof e.file === 'string'));
      assert.ok(Array.isArray(f.causes));
    }
    const conf = run.causes.map((c: { confidence: number }) => c.confidence);
    assert.deepEqual(conf, [...conf].sort((a: number, b: number) => b - a), 'causes sorted by confidence');
  }
  // JSON has no NaN: the field is null (typed, never the string "NaN") and nonFiniteFields says which field it was
  const withNaN: Report = structuredClone(report);
  withNaN.runs[0].series[0].min = Number.NaN;
  withNaN.runs[1].metrics.finalTargetAcc = -Infinity;
  const text = renderJson(withNaN);
  assert.doesNotMatch(text.slice(0, text.indexOf('"nonFiniteFields"')), /"(NaN|-?Infinity)"/, 'no number written as a string');
  const back = JSON.parse(text);
  assert.equal(back.runs[0].series[0].min, null);
  assert.equal(back.runs[1].metrics.finalTargetAcc, null);
  assert.deepEqual(back.nonFiniteFields, [
    { pointer: '/runs/0/series/0/min', value: 'NaN' },
    { pointer: '/runs/1/metrics/finalTargetAcc', value: '-Infinity' },
  ]);
  assert.equal(JSON.parse(renderJson(report)).nonFiniteFields, undefined, 'absent when every number is finite');
});

test('text report: one run leads with its verdict; several runs lead with the triage table, worst first', () => {
  const one: Report = { ...report, runs: report.runs.filter((r) => r.id === 'runs/label_shift') };
  const single = renderText(one, { color: false });
  assert.match(single.split('\n')[0], /^✖ runs\/label_shift {2}likely cause: class-imbalance-or-label-shift/);
  const text = renderText(report, { color: false });
  assert.doesNotMatch(text, /\u001b\[/);
  const lines = text.split('\n');
  assert.match(lines[0], /^run +algorithm +status +verdict +target acc +top finding +top cause/);
  assert.match(lines[1], /^runs\/diverged +dann +finished +problems +9\.8 +error loss-divergence +learning-rate-too-high/);
  assert.match(text, /runs\/healthy +dann +finished +ok +85\.8 +ok/);
  // details follow for the runs with problems only; healthy ones are answered by their table row
  assert.match(text, /^✖ runs\/label_shift {2}likely cause: class-imbalance-or-label-shift/m);
  assert.doesNotMatch(text, /^✔ runs\/healthy /m);
  assert.match(renderText(report, { color: false, allRuns: true }), /^✔ runs\/healthy {2}no problems found/m);
  assert.match(renderText(one, { color: true }), /\u001b\[31m/);
});

test('markdown report has the triage table and a section per run', () => {
  const md = renderMarkdown(report);
  assert.match(md, /^## dann-doctor/);
  assert.match(md, /\| runs\/label_shift \| dann \| finished \| problems \| 52\.0 \| error per-class-imbalance \| class-imbalance-or-label-shift \(81%\) \|/);
  assert.match(md, /### ✅ `runs\/healthy` — no problems found/);
});
