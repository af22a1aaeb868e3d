// Unit tests of the HTML reporter on a real report: self-contained (no scripts, no URLs out), escaped, complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { renderHtml } from '../../src/reporters/html.js';
import { SHARED_RUNS, hasShared } from '../helpers/shared.js';

const skip = hasShared ? false : 'needs ../shared/runs';

test('the label_shift report is one self-contained document with findings, causes, curves and per-class bars', { skip }, async () => {
  const report = await diagnose([join(SHARED_RUNS, 'label_shift')]);
  const html = renderHtml(report);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script|<link |src="http|href="http/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  const run = report.runs[0];
  assert.equal((html.match(/<div class="finding /g) ?? []).length, run.findings.length);
  assert.equal((html.match(/class="cause" data-cause=/g) ?? []).length, run.causes.length);
  // the per-class bars carry the final model's numbers from the dump (quick evaluation, on by default): class
  // "7 - seven" at 9.1% (truth.json per_class_target_acc 9.09); the log's test-phase table (best model) says 4.5
  assert.match(html, /7 - seven<\/text>/);
  assert.match(html, />9\.1<\/text>/);
  assert.match(html, /class="curve-plot"/);
  // without features embedded, the report says where they are instead of a t-SNE
  assert.match(html, /features at <code>[^<]*features\.npz<\/code>/);
});

test('strings from the run are escaped', { skip }, async () => {
  const report = await diagnose([join(SHARED_RUNS, 'label_shift')]);
  report.runs[0].id = '<img src=x onerror=alert(1)>';
  report.runs[0].findings[0].message = 'a < b && "c"';
  const html = renderHtml(report);
  assert.doesNotMatch(html, /<img src=x/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /a &lt; b &amp;&amp; &quot;c&quot;/);
});
