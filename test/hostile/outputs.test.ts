// Issue 16.1: outputs never land in a run directory, even through a symlink, and never replace a file we did not write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, symlink, writeFile, rm, readdir, mkdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { makeRun, tempDir, runCli } from './helpers.js';
import { exportPath } from '../../src/ui/export-path.js';
import { realPathOf } from '../../src/output/safe-write.js';

test('--format X=FILE, --output, --plots and --write-baseline through a link to the run\'s checkpoints folder are refused', async () => {
  const t = await tempDir();
  try {
    const { dir, checkpoint, ckBytes } = await makeRun(t);
    await symlink(join(dir, 'checkpoints'), join(t, 'ck')); // ln -s /t/r1/checkpoints /t/ck
    const attempts = [
      ['--format', `markdown=${join(t, 'ck', 'latest.pth')}`],
      ['--format', 'json', '--output', join(t, 'ck', 'latest.pth')],
      ['--format', 'json', '--output', join(t, 'ck', 'new', 'report.json')],
      ['--format', 'json', '--plots', join(t, 'ck', 'plots')],
      ['--format', 'json', '--write-baseline', join(t, 'ck', 'baseline.json')],
      ['--format', `markdown=${join(t, 'ck', 'latest.pth')}`, '--force'],
    ];
    for (const extra of attempts) {
      const r = await runCli([dir, ...extra], t);
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /refusing to write .* inside the run or data directory/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'one line, no stack');
    }
    assert.deepEqual(await readFile(checkpoint), ckBytes, 'the checkpoint is untouched');
    assert.deepEqual((await readdir(join(dir, 'checkpoints'))).sort(), ['latest.pth']);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('a run given through a symlink is protected under its real path', async () => {
  const t = await tempDir();
  try {
    const { dir } = await makeRun(t);
    await symlink(dir, join(t, 'link'));
    const r = await runCli([join(t, 'link'), '--format', `markdown=${join(dir, 'report.md')}`], t);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /refusing to write/);
    assert.deepEqual((await readdir(dir)).sort(), ['checkpoints', 'train-2026-11-27-18_38_15.txt']);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('an existing file that is not ours is replaced only with --force; our own report is replaced freely', async () => {
  const t = await tempDir();
  try {
    const { dir } = await makeRun(t);
    const out = join(t, 'out');
    await mkdir(out);
    const foreign = join(out, 'notes.md');
    await writeFile(foreign, 'my thesis notes\n');
    let r = await runCli([dir, '--format', `markdown=${foreign}`], t);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to replace .*notes\.md: it exists and was not written by dann-doctor \(use --force/);
    assert.equal(await readFile(foreign, 'utf8'), 'my thesis notes\n');
    r = await runCli([dir, '--format', `markdown=${foreign}`, '--force'], t);
    assert.equal(r.code, 1, r.stderr);
    assert.match(await readFile(foreign, 'utf8'), /dann-doctor/);
    // ours now: a rerun (each format) replaces it without --force
    for (const f of ['text', 'json', 'markdown', 'sarif']) {
      const file = join(out, `r.${f}`);
      assert.equal((await runCli([dir, '--format', `${f}=${file}`], t)).code, 1);
      const again = await runCli([dir, '--format', `${f}=${file}`], t);
      assert.equal(again.code, 1, `${f}: ${again.stderr}`);
    }
    // a link planted at the output name is never written through, even dangling
    await symlink(join(dir, 'checkpoints', 'planted.pth'), join(out, 'planted.json'));
    r = await runCli([dir, '--format', `json=${join(out, 'planted.json')}`, '--force'], t);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /symbolic link/);
    await assert.rejects(lstat(join(dir, 'checkpoints', 'planted.pth')));
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('UI export after `cd LINK-TO-RUN` goes to the temp dir, never through a planted link', async () => {
  const t = await tempDir();
  try {
    const { dir } = await makeRun(t);
    await symlink(dir, join(t, 'link'));
    const p = exportPath(join(t, 'link'), 'r1', [dir], 'markdown');
    assert.equal(p.startsWith(realPathOf(tmpdir()) + '/') && !p.startsWith(realPathOf(t)), true, p);
    // in a plain folder: the cwd, skipping a dangling link at the first name
    const cwd = join(t, 'elsewhere');
    await mkdir(cwd);
    await symlink(join(dir, 'x.md'), join(cwd, 'dann-doctor-r1.md'));
    assert.equal(exportPath(cwd, 'r1', [dir], 'markdown'), join(realPathOf(cwd), 'dann-doctor-r1-1.md'));
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
