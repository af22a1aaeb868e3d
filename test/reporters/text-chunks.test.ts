// Text and Markdown reports come out in pieces for the CLI to write as they come: a piece per detailed run, so a
// sweep's report is never one string (V8 caps strings at 2^29 characters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import type { Report } from '../../src/report/schema.js';
import { renderTextChunks } from '../../src/reporters/text.js';
import { renderMarkdownChunks } from '../../src/reporters/markdown.js';
import { SHARED_RUNS } from '../helpers/shared.js';

/** The fixture runs repeated `times`, each copy with its own id, as a sweep's report would hold them. */
async function bigReport(times: number): Promise<Report> {
  const report = await diagnose([SHARED_RUNS], { evaluate: 'off' });
  const runs = Array.from({ length: times }, (_, k) => report.runs.map((r) => ({ ...structuredClone(r), id: `${r.id}-copy${k}` }))).flat();
  return { ...report, runs };
}

test('text report pieces: the table, then one piece per detailed run; no piece grows with the number of runs but the table', async () => {
  const report = await bigReport(40);
  const pieces = [...renderTextChunks(report, { color: false })];
  const table = pieces[0];
  for (const r of report.runs) assert.ok(table.includes(r.id), `${r.id} has a row in the first piece`);
  assert.match(pieces[1], /^\n\nseed groups/);
  const runPieces = pieces.slice(2).filter((p) => report.runs.some((r) => p.includes(r.id)));
  assert.ok(runPieces.length >= 40, `at least one detailed run per copy (${runPieces.length})`);
  for (const p of runPieces) {
    const ids = report.runs.filter((r) => new RegExp(`\\b${r.id}\\b`).test(p));
    assert.equal(ids.length, 1, `a piece details one run: ${p.slice(0, 80)}`);
  }
  assert.ok(pieces.at(-1) === '\n');
});

test('Markdown report pieces: a section per run after the table', async () => {
  const report = await bigReport(10);
  const pieces = [...renderMarkdownChunks(report)];
  assert.equal(pieces.length, 2 + report.runs.length + report.errors.length);
  for (const [i, r] of report.runs.entries()) assert.ok(pieces[2 + i].includes(r.id));
});
