// Where an exported report goes: the current directory, never a run directory, never over an existing file.
import { existsSync, statSync } from 'node:fs';
import { join, resolve, relative, isAbsolute, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import type { ExportFormat } from './state/ui-state.js';

/** A run given as a single log file lives in that file's directory. */
function runDirOf(p: string): string {
  try {
    return statSync(p).isFile() ? dirname(p) : p;
  } catch {
    return p;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Where an export goes: `<cwd>/dann-doctor-<run>.<ext>`, never inside a run directory (if the cwd is one, the
 * system temp directory instead), and never over an existing file (-1, -2, ... appended).
 */
export function exportPath(cwd: string, runId: string, runPaths: string[], format: ExportFormat): string {
  const ext = format === 'markdown' ? 'md' : 'html';
  const inRunDir = runPaths.some((p) => isInside(resolve(cwd), resolve(runDirOf(p))));
  const dir = inRunDir ? tmpdir() : resolve(cwd);
  const base = `dann-doctor-${runId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'run'}`;
  let path = join(dir, `${base}.${ext}`);
  for (let i = 1; existsSync(path); i++) path = join(dir, `${base}-${i}.${ext}`);
  return path;
}

