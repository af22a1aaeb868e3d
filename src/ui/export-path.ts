// Where an exported report goes: the current directory, never a run directory, never over an existing file.
import { lstatSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { tmpdir } from 'node:os';
import type { ExportFormat } from './state/ui-state.js';
import { protectedDirs, realPathOf } from '../output/safe-write.js';

/** Anything at that name, a dangling link included (existsSync follows links and says no). */
function taken(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The folder exports go to: the current directory (where the user started dann-doctor, as for --output), unless that
 * is inside a run directory (compared by real path, so `cd LINK-TO-RUN` counts): then the system temp directory.
 * The UI shows it in the export prompt, before anything is written.
 */
export function exportDir(cwd: string, runPaths: string[]): string {
  const realCwd = realPathOf(cwd);
  const inRunDir = protectedDirs(runPaths).some((p) => isInside(realCwd, p));
  return inRunDir ? tmpdir() : realCwd;
}

/**
 * Where an export goes: `<exportDir>/dann-doctor-<run>.<ext>`, never inside a run directory, and never over an
 * existing file or link (-1, -2, ... appended).
 */
export function exportPath(cwd: string, runId: string, runPaths: string[], format: ExportFormat): string {
  const ext = format === 'markdown' ? 'md' : 'html';
  const dir = exportDir(cwd, runPaths);
  const base = `dann-doctor-${runId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'run'}`;
  let path = join(dir, `${base}.${ext}`);
  for (let i = 1; taken(path); i++) path = join(dir, `${base}-${i}.${ext}`);
  return path;
}

