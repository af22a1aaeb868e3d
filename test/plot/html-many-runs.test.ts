// Issue 16.10: `--format html` for a sweep of thousands of runs is bounded (a summary row per run, a section only
// for the worst HTML_DETAILED_RUNS, a line saying what was left out) and produced in pieces, never one giant string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import type { Report, RunReport } from '../../src/report/schema.js';
import { htmlChunks, htmlSelection, renderHtml, HTML_DETAILED_RUNS } from '../../src/reporters/html.js';
import { writeOutputFile } from '../../src/output/safe-write.js';
import { SHARED_RUNS } from '../helpers/shared.js';

const RUNS = 2000;
/** every 100th run keeps label_shift's error finding; the others are made healthy */
const WORST_EVERY = 100;

async function sweepReport(): Promise<Report> {
  const base = await diagnose([join(SHARED_RUNS, 'label_shift')]);
  const template = base.runs[0];
  assert.ok(template.findings.some((f) => f.severity === 'error'), 'label_shift has an error finding (truth.json)');
  const healthy: RunReport = { ...template, findings: [], causes: [], verdict: 'ok' };
  // shallow copies: reporters never change a report, and 2,000 deep copies would only slow the test down
  const runs = Array.from({ length: RUNS }, (_, i) => ({ ...(i % WORST_EVERY === 0 ? template : healthy), id: `sweep/run-${String(i).padStart(4, '0')}` }));
  return { ...base, runs };
}

let cached: Promise<Report> | undefined;
const sweep = (): Promise<Report> => (cached ??= sweepReport());

test('2,000 runs: a row for each, sections for the worst 50 only, a note saying what was left out', async () => {
  const report = await sweep();
  const sel = htmlSelection(report);
  assert.equal(sel.detailed.length, HTML_DETAILED_RUNS);
  // the 20 runs with an error finding come first (worst first), then healthy ones fill the 50
  const worst = report.runs.filter((r) => r.findings.length).map((r) => r.id).sort();
  assert.deepEqual(sel.detailed.slice(0, worst.length).map((d) => d.run.id).sort(), worst);
  const chunks = [...htmlChunks(report)];
  const html = chunks.join('');
  assert.equal((html.match(/<section class="run"/g) ?? []).length, HTML_DETAILED_RUNS);
  assert.equal((html.match(/<tr><td>/g) ?? []).length, RUNS, 'every run has its table row');
  assert.equal((html.match(/<tr><td><a href="#run-/g) ?? []).length, HTML_DETAILED_RUNS, 'only detailed runs link to a section');
  assert.match(html, /2000 runs, worst first: the 50 most in need of a look are detailed below; 1950 runs are in the table only/);
  // bounded: the page no longer grows with a section per run, and no piece is the whole document
  assert.ok(html.length < 8 * 2 ** 20, `page is ${html.length} bytes`);
  assert.ok(Math.max(...chunks.map((c) => c.length)) < 1 * 2 ** 20, 'written in pieces under 1 MB each');
  assert.match(html, /<\/main><\/body><\/html>\n$/);
});

test('the table is cut too beyond its limit, and says so; few runs keep report order with every section', async () => {
  const report = await sweep();
  const html = [...htmlChunks(report, {}, { detailed: 3, rows: 10 })].join('');
  assert.equal((html.match(/<tr><td>/g) ?? []).length, 10);
  assert.match(html, /The table lists the first 10; 1990 more are left out of this page/);
  const few: Report = { ...report, runs: report.runs.slice(1, 4) };
  const small = renderHtml(few);
  assert.doesNotMatch(small, /left-out/);
  assert.deepEqual([...small.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1]), few.runs.map((r) => r.id));
});

test('writeOutputFile writes pieces as they come', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-html-'));
  try {
    function* pieces(): Generator<string> {
      yield '<!DOCTYPE html><title>dann-doctor</title>';
      for (let i = 0; i < 1000; i++) yield `<p>${i}</p>`;
    }
    const file = writeOutputFile(join(dir, 'r.html'), pieces(), { protect: [] });
    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith('<!DOCTYPE html>') && text.endsWith('<p>999</p>'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
