// LogFollower against a real log appended by a child process: complete lines only, partial last line, rotation, truncation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, open, truncate, appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogFollower, watchCommand } from '../../src/cli/watch.js';
import { SHARED_RUNS, trainLogOf, hasShared } from '../helpers/shared.js';
import { ChildLog } from './child-log.js';
import { Writable } from 'node:stream';

async function byteBefore(file: string, offset: number): Promise<number> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, offset - 1);
    return b[0];
  } finally {
    await fh.close();
  }
}

test('follows a log written by a child process: counts complete lines, holds a partial one, sees rotation and truncation', async () => {
  const src = trainLogOf(join(SHARED_RUNS, 'diverged')); // 153 lines (wc -l)
  const dir = await mkdtemp(join(tmpdir(), 'dd-follow-'));
  const log = join(dir, 'train-2026-11-27-18_40_00.txt');
  const child = new ChildLog(src, log);
  try {
    const f = new LogFollower(dir);
    assert.equal(await child.send('lines 15'), 'ok 15');
    let u = await f.poll();
    assert.equal(u.file, log);
    assert.equal(u.newLines, 15);
    assert.equal(f.offset, (await stat(log)).size);

    // the job is mid-way through printing a line: it must not be read yet
    await child.send('half');
    const before = f.offset;
    u = await f.poll();
    assert.equal(u.newLines, 0, 'a partial last line is not a line yet');
    assert.equal(f.offset, before);
    assert.ok((await stat(log)).size > before);
    await child.send('rest');
    u = await f.poll();
    assert.equal(u.newLines, 1);
    assert.equal(await byteBefore(log, f.offset), 10, 'the offset always sits right after a newline');

    assert.equal(await child.send('lines 1000'), 'ok 153');
    u = await f.poll();
    assert.equal(u.newLines, 153 - 16);
    assert.equal(f.totalLines, 153);
    assert.equal(u.rotated, false);
    assert.equal((await f.poll()).newLines, 0, 'nothing new, nothing read');

    // the job restarts: tllib's CompleteLogger opens a new train-<time>.txt
    await child.send('rotate train-2026-11-27-19_00_00.txt');
    await child.send('lines 5');
    u = await f.poll();
    assert.equal(u.rotated, true);
    assert.equal(u.file, join(dir, 'train-2026-11-27-19_00_00.txt'));
    assert.equal(u.newLines, 5);

    // copytruncate-style rotation: the same file shrinks
    await truncate(u.file!, 0);
    await child.send('lines 2');
    u = await f.poll();
    assert.equal(u.rotated, true);
    assert.equal(u.newLines, 2);
  } finally {
    child.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a traceback or a NaN line is urgent; a plain training line is not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-follow-'));
  try {
    // made-up lines in tllib's shapes: the real logs have no NaN and no traceback
    const log = join(dir, 'log.txt');
    await writeFile(log, 'Epoch: [0][  0/300]\tTime  0.03 ( 0.03)\tLoss   3.01 (  3.01)\n');
    const f = new LogFollower(dir);
    assert.equal((await f.poll()).urgent, false);
    await appendFile(log, 'Epoch: [0][ 50/300]\tTime  0.02 ( 0.02)\tLoss    nan (   nan)\n');
    assert.equal((await f.poll()).urgent, true);
    await appendFile(log, 'Traceback (most recent call last):\n');
    assert.equal((await f.poll()).urgent, true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

function sink(): { stream: Writable; text: () => string } {
  let s = '';
  return { stream: new Writable({ write(c, _e, cb) { s += String(c); cb(); } }), text: () => s };
}

test('watch usage and input errors exit 2 with one clear line', async () => {
  const out = sink();
  const err = sink();
  const io = { stdout: out.stream, stderr: err.stream, env: {}, isTTY: false, cwd: tmpdir() };
  assert.equal(await watchCommand([], io), 2);
  assert.match(err.text(), /watch needs exactly one run directory/);
  assert.equal(await watchCommand(['x', '--interval', 'soon'], io), 2);
  assert.match(err.text(), /--interval expects a number of milliseconds >= 10, got "soon"/);
  assert.equal(await watchCommand(['/no/such/run-dir-h8'], io), 2);
  assert.match(err.text(), /\/no\/such\/run-dir-h8: no such file or directory/);
});
