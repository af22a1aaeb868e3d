// One verdict, one glyph (issue 17 item 7): a run with only warnings is ⚠ in the text report, the Markdown report
// and the UI alike, and --fail-on error passes it; ✖ appears exactly when an error finding makes --fail-on error fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Report, RunReport, Severity } from '../../src/report/schema.js';
import { verdictOf, verdictGlyph } from '../../src/report/views.js';
import { renderText } from '../../src/reporters/text.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { verdict } from '../../src/ui/state/report-view.js';
import { exitCodeFor } from '../../src/cli.js';

function finding(ruleId: string, severity: Severity): Finding {
  return { ruleId, messageId: 'm', severity, message: `${ruleId} fired`, data: {}, evidence: [], causes: ['learning-rate-too-high'], fingerprint: ruleId };
}

function run(findings: Finding[]): RunReport {
  return {
    id: 'r', path: '/tmp/r', formats: ['tllib'], files: [], earlierAttempts: [], status: 'finished', algorithm: 'dann',
    hyperparameters: {}, metrics: {}, series: [], evaluations: [], perClass: [], checkpoints: [], findings,
    causes: findings.length ? [{ id: 'learning-rate-too-high', confidence: 0.6, evidence: [], fixes: [] }] : [],
    notApplicable: [], checked: [], notChecked: [], notes: [],
  } as unknown as RunReport;
}

const report = (r: RunReport): Report => ({ schemaVersion: 1, tool: { name: 'dann-doctor', version: '0' }, generatedAt: '', runs: [r], errors: [] });

test('warnings only: ⚠ everywhere, exit 0 with --fail-on error, 1 with --fail-on warn', () => {
  const r = run([finding('oscillation', 'warn'), finding('oracle-model-selection', 'info')]);
  const v = verdictOf(r);
  assert.equal(v.severity, 'warn');
  assert.equal(verdictGlyph(v), '⚠');
  assert.match(renderText(report(r), { color: false }), /^⚠ r {2}likely cause: learning-rate-too-high \(confidence 0\.60\)/);
  assert.match(renderMarkdown(report(r)), /### ⚠️ `r` — likely cause/);
  assert.deepEqual(verdict(r), { severity: 'warn', text: v.text });
  assert.equal(exitCodeFor(report(r), 'error'), 0);
  assert.equal(exitCodeFor(report(r), 'warn'), 1);
});

test('an error finding: ✖ everywhere and --fail-on error fails', () => {
  const r = run([finding('loss-divergence', 'error'), finding('oscillation', 'warn')]);
  assert.equal(verdictGlyph(verdictOf(r)), '✖');
  assert.match(renderText(report(r), { color: false }), /^✖ r /);
  assert.equal(verdict(r).severity, 'error');
  assert.equal(exitCodeFor(report(r), 'error'), 1);
});

test('a suppressed error does not make the verdict ✖ (nor fail the build)', () => {
  const r = run([{ ...finding('loss-divergence', 'error'), suppressed: true }]);
  assert.equal(verdictOf(r).severity, 'ok');
  assert.equal(verdictGlyph(verdictOf(r)), '✔');
  assert.equal(exitCodeFor(report(r), 'info'), 0);
});
