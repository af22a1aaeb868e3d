// Where an export is written: the cwd, never a run directory, never over an existing file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { exportPath } from '../../src/ui/export-path.js';

test('export goes to <cwd>/dann-doctor-<run>.<ext>, with -1, -2 when taken', (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'dd-export-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const run = join(cwd, 'runs', 'label_shift');
  mkdirSync(run, { recursive: true });
  assert.equal(exportPath(cwd, 'runs/label_shift', [run], 'markdown'), join(cwd, 'dann-doctor-runs_label_shift.md'));
  writeFileSync(join(cwd, 'dann-doctor-runs_label_shift.html'), 'x');
  assert.equal(exportPath(cwd, 'runs/label_shift', [run], 'html'), join(cwd, 'dann-doctor-runs_label_shift-1.html'));
});

test('from inside a run directory (or beside a single-file run) the export goes to the temp dir instead', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'dd-export-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const run = join(root, 'label_shift');
  mkdirSync(join(run, 'checkpoints'), { recursive: true });
  const p = exportPath(run, 'label_shift', [run], 'markdown');
  assert.match(p.slice(tmpdir().length), /^\/dann-doctor-label_shift(-\d+)?\.md$/, p);
  assert.equal(exportPath(join(run, 'checkpoints'), 'label_shift', [run], 'markdown').startsWith(tmpdir()), true);
  const log = join(root, 'train.txt');
  writeFileSync(log, '');
  assert.equal(exportPath(root, 'train', [log], 'html').startsWith(join(tmpdir(), 'dann-doctor-train')), true);
});
