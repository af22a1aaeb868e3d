// The versioned JSON report (schema documented in README "JSON report"). Standard JSON: NaN/Infinity are written as
// null and listed, with their pointers, under the top-level `nonFinite` (output/finite-json.ts).

import type { Report } from '../report/schema.js';
import { escapeJsonC1 } from '../output/terminal-safe.js';
import { finiteReplacer, nonFiniteFieldsOf, stringifyFinite } from '../output/finite-json.js';

export function renderJson(report: Report): string {
  return escapeJsonC1(stringifyFinite(report)) + '\n';
}

/** A run sits two levels deep (report -> runs -> run) in the 2-space indented text. */
const RUN_INDENT = '    ';

/**
 * renderJson's exact text in pieces: the envelope, then one run at a time, so a 1,000-run sweep (~100 MB of JSON) is
 * written without ever building the whole text (one string for it and one for the escaped copy: ~1 GB peak RSS was
 * measured). Each run is stringified on its own and indented to its depth; JSON strings never hold a raw newline, so
 * indenting every line is exactly what JSON.stringify does at that depth. The non-finite list is collected over the
 * whole report first, with the same pointers.
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  if (report.runs.length === 0) {
    yield renderJson(report);
    return;
  }
  const nonFiniteFields = nonFiniteFieldsOf(report);
  // the runs' place in the envelope's text: a string no report field holds (made per call)
  const mark = `dann-doctor-runs-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const envelope = { ...report, runs: [mark] as unknown as Report['runs'], ...(nonFiniteFields.length ? { nonFiniteFields } : {}) };
  const text = escapeJsonC1(JSON.stringify(envelope, finiteReplacer, 2)) + '\n';
  const line = `${RUN_INDENT}${JSON.stringify(mark)}`;
  const at = text.indexOf(line);
  yield text.slice(0, at);
  for (let i = 0; i < report.runs.length; i++) {
    const run = escapeJsonC1(JSON.stringify(report.runs[i], finiteReplacer, 2));
    yield `${i > 0 ? ',\n' : ''}${RUN_INDENT}${run.replace(/\n/g, `\n${RUN_INDENT}`)}`;
  }
  yield text.slice(at + line.length);
}
