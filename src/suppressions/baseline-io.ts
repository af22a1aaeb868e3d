// Reading and writing dann-doctor.baseline.json for the CLI (`--baseline-file`, `--write-baseline`).
import { readFile } from 'node:fs/promises';
import { writeOutputFile, type OutputGuard } from '../output/safe-write.js';
import type { Report } from '../report/schema.js';
import { inputErrorFromFs } from '../ingest/input-error.js';
import { applyBaseline, baselineText, parseBaseline, type AppliedBaseline } from './baseline-file.js';

/**
 * Reads `file` and marks the report's known findings `suppressed: true`, IN PLACE (the CLI keeps using the same
 * report object). Returns how many were suppressed and which entries are stale. Unreadable/invalid file -> InputError.
 */
export async function applyBaselineFile(report: Report, file: string): Promise<AppliedBaseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  const applied = applyBaseline(report, parseBaseline(text, file));
  report.runs.forEach((run, i) => {
    run.findings = applied.report.runs[i].findings;
  });
  return { ...applied, report };
}

/** Writes the baseline of every current finding to `file` (folders created), never into a protected directory. */
export async function writeBaselineFile(report: Report, file: string, guard: OutputGuard = { protect: [] }): Promise<void> {
  writeOutputFile(file, baselineText(report), guard, 'baseline');
}
