// Issue 16.5: only regular files are opened (FIFOs never block), folder links are not followed by default, and files
// linked from outside the folder given are not read unless --follow-links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rm, symlink, unlink, mkdir, writeFile, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeRun, tempDir, runCli, LOG_NAME } from './helpers.js';
import { openForReading, InputError } from '../../src/ingest/input-error.js';
import { discoverRuns } from '../../src/discover/discover-runs.js';
import { findEvalInputs } from '../../src/evaluate/index.js';
import { loadRuns } from '../../src/index.js';

const within = <T>(ms: number, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`still running after ${ms} ms (hang)`)), ms).unref())]);

test('a FIFO as checkpoints/latest.pth and features.npz: never opened, evaluation inputs skip them', async () => {
  const t = await tempDir();
  try {
    const { dir, checkpoint } = await makeRun(t);
    await unlink(checkpoint);
    execFileSync('mkfifo', [checkpoint, join(dir, 'features.npz')]);
    await assert.rejects(within(5000, openForReading(checkpoint)), (e: unknown) => e instanceof InputError && /not a regular file \(a FIFO\)/.test(e.message));
    const { runs } = await within(20_000, loadRuns([dir]));
    assert.equal(runs.length, 1);
    const inputs = findEvalInputs(runs[0]);
    assert.equal(inputs.features, undefined);
    assert.equal(inputs.checkpoint, undefined);
    const r = await within(60_000, runCli([dir, '--format', 'json'], t));
    assert.equal(r.code, 1, r.stderr);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('a *.log link to /proc/kmsg and a data -> /usr folder link are not read; --follow-links reads linked folders', async () => {
  const t = await tempDir();
  try {
    const { dir } = await makeRun(join(t, 'runs'), 'r1');
    if (existsSync('/proc/kmsg')) await symlink('/proc/kmsg', join(dir, 'kernel.log'));
    await symlink('/usr', join(t, 'runs', 'data'));
    const found = await within(20_000, discoverRuns([join(t, 'runs')]));
    assert.deepEqual(found.runs.map((r) => r.id), ['runs/r1']);
    assert.deepEqual(found.runs[0].logFiles.map((f) => f.split('/').at(-1)), [LOG_NAME]);
    assert.deepEqual(found.errors, []);
    const r = await within(60_000, runCli([join(t, 'runs'), '--format', 'json'], t));
    assert.equal(r.code, 1, r.stderr);

    // a run kept elsewhere and linked into the sweep folder is read when asked
    const elsewhere = await makeRun(join(t, 'elsewhere'), 'r2');
    await symlink(elsewhere.dir, join(t, 'runs', 'r2'));
    assert.deepEqual((await discoverRuns([join(t, 'runs')])).runs.map((x) => x.id), ['runs/r1']);
    await rm(join(t, 'runs', 'data')); // /usr would be walked with --follow-links
    assert.deepEqual((await discoverRuns([join(t, 'runs')], { followLinks: true })).runs.map((x) => x.id).sort(), ['runs/r1', 'runs/r2']);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('a log linked from outside the folder given is skipped; one linked from inside is read', async () => {
  const t = await tempDir();
  try {
    await mkdir(join(t, 'outside'));
    await copyFile(join(await (async () => (await makeRun(t, 'src')).dir)(), LOG_NAME), join(t, 'outside', LOG_NAME));
    await mkdir(join(t, 'run'));
    await symlink(join(t, 'outside', LOG_NAME), join(t, 'run', LOG_NAME));
    const found = await discoverRuns([join(t, 'run')]);
    assert.equal(found.runs.length, 0);
    await mkdir(join(t, 'run', 'logs'));
    await unlink(join(t, 'run', LOG_NAME));
    await copyFile(join(t, 'outside', LOG_NAME), join(t, 'run', 'logs', 'real.txt'));
    await symlink(join(t, 'run', 'logs', 'real.txt'), join(t, 'run', LOG_NAME));
    await writeFile(join(t, 'run', 'logs', 'keep'), '');
    assert.ok((await discoverRuns([join(t, 'run')])).runs.some((r) => r.logFiles.some((f) => f.endsWith(LOG_NAME))));
    assert.equal((await discoverRuns([join(t, 'run')], { followLinks: true })).runs.length >= 1, true);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('a run given as a link to / or to /proc is not walked into the kernel\'s files', async () => {
  const t = await tempDir();
  try {
    await symlink('/proc', join(t, 'p'));
    const found = await within(10_000, discoverRuns([join(t, 'p')]));
    assert.equal(found.runs.length, 0);
    assert.match(found.errors[0]?.message ?? '', /kernel pseudo-filesystem/);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
