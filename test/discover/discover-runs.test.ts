// Discovery: run directories, single files, folders of runs, earlier attempts, symlink loops, unreadable folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, cp, writeFile, symlink, chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { discoverRuns } from '../../src/discover/discover-runs.js';
import { SHARED_RUNS, SHARED_REAL_LOGS, FIXTURES } from '../helpers/shared.js';

test('a tllib run directory is one run with its log, checkpoints and feature dump', async () => {
  const { runs, errors } = await discoverRuns([join(SHARED_RUNS, 'label_shift')]);
  assert.deepEqual(errors, []);
  assert.equal(runs.length, 1);
  const r = runs[0];
  assert.equal(r.id, 'label_shift');
  assert.deepEqual(r.logFiles.map((f) => basename(f)), ['train-2026-11-27-18_38_15.txt']);
  assert.deepEqual(r.checkpoints.map((f) => basename(f)).sort(), ['best.pth', 'latest.pth']);
  assert.deepEqual(r.featureDumps.map((f) => basename(f)), ['features.npz']);
});

test('a folder of runs yields each run with an id relative to the given folder', async () => {
  const { runs, errors } = await discoverRuns([SHARED_RUNS]);
  assert.deepEqual(errors, []);
  assert.deepEqual(runs.map((r) => r.id).sort(), ['runs/diverged', 'runs/healthy', 'runs/healthy_lightning', 'runs/label_shift', 'runs/source_only', 'runs/strong_disc']);
  const lightning = runs.find((r) => r.id === 'runs/healthy_lightning')!;
  assert.deepEqual(lightning.logFiles.map((f) => basename(f)), ['metrics.csv']);
});

test('train and analysis logs of one tllib dir belong to one run', async () => {
  const { runs } = await discoverRuns([join(SHARED_REAL_LOGS, 'dao-dan-l1')]);
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0].logFiles.map((f) => basename(f)), ['train-2023-10-01-14_05_16.txt', 'analysis-2023-10-01-18_28_58.txt']);
});

test('several train-*.txt: the newest is the run, older ones are earlier attempts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-disc-'));
  try {
    const src = join(SHARED_REAL_LOGS, 'dh-a2w-2ep', 'train-2023-03-26-19_51_41.txt');
    await cp(src, join(dir, 'train-2023-03-26-19_51_41.txt'));
    await cp(src, join(dir, 'train-2023-03-27-08_00_00.txt'));
    const { runs } = await discoverRuns([dir]);
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0].logFiles.map((f) => basename(f)), ['train-2023-03-27-08_00_00.txt']);
    assert.deepEqual(runs[0].earlierAttempts.map((f) => basename(f)), ['train-2023-03-26-19_51_41.txt']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('symlink loops, names with spaces/unicode and unreadable folders never stop discovery', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-disc-'));
  try {
    const runDir = join(dir, 'exp α 1');
    await mkdir(runDir);
    await cp(join(SHARED_REAL_LOGS, 'dh-a2w-2ep', 'train-2023-03-26-19_51_41.txt'), join(runDir, 'train-2023-03-26-19_51_41.txt'));
    await symlink(dir, join(runDir, 'loop'));
    const locked = join(dir, 'locked');
    await mkdir(locked);
    await writeFile(join(locked, 'log.txt'), 'x');
    await chmod(locked, 0o000);
    const { runs, errors } = await discoverRuns([dir]);
    assert.ok(runs.some((r) => r.id.endsWith('exp α 1')), 'the run with a unicode name is found');
    // root can read anything; as a normal user the locked folder is an error entry, not a crash
    if (process.getuid?.() !== 0) assert.ok(errors.some((e) => e.path.includes('locked') && /permission denied/.test(e.message)));
    await chmod(locked, 0o755);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('missing path and empty folder give one clear error each', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-disc-'));
  try {
    const { runs, errors } = await discoverRuns([join(dir, 'nope'), dir]);
    assert.equal(runs.length, 0);
    assert.match(errors[0].message, /nope: no such file or directory/);
    assert.match(errors[1].message, /no training logs found/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('depth guard stops at --max-depth and says so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-disc-'));
  try {
    let d = dir;
    for (let i = 0; i < 5; i++) d = join(d, `d${i}`);
    await mkdir(d, { recursive: true });
    await cp(join(SHARED_REAL_LOGS, 'dh-a2w-2ep', 'train-2023-03-26-19_51_41.txt'), join(d, 'train-2023-03-26-19_51_41.txt'));
    const shallow = await discoverRuns([dir], { maxDepth: 2 });
    assert.equal(shallow.runs.length, 0);
    assert.ok(shallow.errors.some((e) => /deeper than 2 folders/.test(e.message)));
    const deep = await discoverRuns([dir], { maxDepth: 12 });
    assert.equal(deep.runs.length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a Keras TensorBoard logdir (train/ and validation/ event folders) is one run read from the parent", async () => {
  const { runs } = await discoverRuns([join(FIXTURES, 'tfevents', 'keras')]);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].tfeventsDir, join(FIXTURES, 'tfevents', 'keras'));
});
