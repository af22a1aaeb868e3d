// watch end to end: a child process writes a real log in real time; the watcher alarms on the diverged run (and runs
// --on-finding with the finding in its environment) and stays quiet on the healthy one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtemp, rm, readFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { watchRun, watchCommand, type Alarm } from '../../src/cli/watch.js';
import { SHARED_RUNS, trainLogOf, hasShared } from '../helpers/shared.js';
import { ChildLog } from './child-log.js';

/** Generous upper bound for a few re-analyses on a loaded 2-core machine; the test ends as soon as the event comes. */
const TIMEOUT_MS = 60_000;

function timeout(ms: number): { promise: Promise<void>; cancel: () => void; fired: () => boolean } {
  let t: NodeJS.Timeout;
  let fired = false;
  const promise = new Promise<void>((r) => (t = setTimeout(() => ((fired = true), r()), ms)));
  return { promise, cancel: () => clearTimeout(t), fired: () => fired };
}

/** A run folder holding the run's checkpoints but a log that a child process is still writing. */
async function liveRun(name: string): Promise<{ dir: string; src: string; log: string }> {
  const dir = await mkdtemp(join(tmpdir(), `dd-watch-${name}-`));
  await cp(join(SHARED_RUNS, name, 'checkpoints'), join(dir, 'checkpoints'), { recursive: true });
  const src = trainLogOf(join(SHARED_RUNS, name));
  return { dir, src, log: join(dir, basename(src)) };
}

test('alarms on loss-divergence while the diverged run is being written', { timeout: TIMEOUT_MS + 10_000 }, async () => {
  const { dir, src, log } = await liveRun('diverged');
  const child = new ChildLog(src, log);
  const limit = timeout(TIMEOUT_MS);
  try {
    await child.send('lines 14'); // header only: nothing to judge yet
    child.child.stdin!.write('stream 20\n'); // then one line every 20 ms, like a job printing
    const alarms: Alarm[] = await watchRun(dir, { intervalMs: 100, exitOnFinding: true, stop: limit.promise });
    assert.ok(!limit.fired(), 'an alarm came before the timeout');
    assert.ok(alarms.length >= 1);
    assert.ok(alarms.some((a) => a.finding.ruleId === 'loss-divergence'), `alarms: ${alarms.map((a) => a.finding.ruleId).join(', ')}`);
    assert.ok(alarms.every((a) => a.finding.severity !== 'info'));
    assert.equal(alarms[0].file, log);
  } finally {
    limit.cancel();
    child.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('watch command: a bell line per finding and --on-finding CMD with the finding in env vars', { timeout: TIMEOUT_MS + 10_000 }, async () => {
  const { dir, src, log } = await liveRun('diverged');
  const child = new ChildLog(src, log);
  const limit = timeout(TIMEOUT_MS);
  let sawDivergence!: () => void;
  const divergence = new Promise<void>((r) => (sawDivergence = r));
  let out = '';
  let err = '';
  const io = {
    // the user presses Ctrl-C once the divergence alarm is on screen (or the test times out)
    stdout: new Writable({ write(c, _e, cb) { out += String(c); if (/loss-divergence/.test(out)) sawDivergence(); cb(); } }),
    stderr: new Writable({ write(c, _e, cb) { err += String(c); cb(); } }),
    env: { PATH: process.env.PATH }, isTTY: true, cwd: dir, interrupted: Promise.race([divergence, limit.promise]),
  };
  // never write into the run directory; commands for simultaneous alarms run concurrently, so each appends its
  // block with a single write
  const envFile = join(dir, '..', `${basename(dir)}-env.txt`);
  try {
    child.child.stdin!.write('stream 10\n');
    const code = await watchCommand([dir, '--interval', '100', '--on-finding', `s="$(env | grep ^DANN_DOCTOR_ | sort)"; printf -- '---\\n%s\\n' "$s" >> '${envFile}'`], io);
    assert.ok(!limit.fired(), `stopped by the timeout; stderr: ${err}`);
    assert.equal(code, 1);
    // lr=10 is linted from the header, the explosion from line 17: both alarm (in whichever re-analysis saw them)
    const alarmLines = out.split('\n').filter((l) => l.startsWith('\u0007['));
    for (const l of alarmLines) assert.match(l, /^\u0007\[\d\d:\d\d:\d\d\] \S*(warn|error)\S* [a-z-]+ dd-watch-diverged-\w+: /);
    assert.ok(alarmLines.some((l) => /warn.* lr-out-of-range /.test(l)));
    assert.ok(alarmLines.some((l) => /error.* loss-divergence .*\(train-2026-11-27-18_40_00\.txt:\d+\)$/.test(l)));
    assert.equal(new Set(alarmLines.map((l) => l.split(' ')[2])).size, alarmLines.length, 'each finding alarms once');
    const blocks = (await readFile(envFile, 'utf8')).split('---\n').filter(Boolean);
    assert.equal(blocks.length, alarmLines.length, 'one command per alarm');
    const div = blocks.find((b) => /^DANN_DOCTOR_RULE=loss-divergence$/m.test(b))!;
    assert.ok(div, 'the command ran for loss-divergence');
    assert.match(div, /^DANN_DOCTOR_SEVERITY=error$/m);
    assert.match(div, new RegExp(`^DANN_DOCTOR_LOG=${log.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.match(div, /^DANN_DOCTOR_FINGERPRINT=[0-9a-f]+$/m);
    assert.match(div, /^DANN_DOCTOR_LINE=\d+$/m);
  } finally {
    limit.cancel();
    child.stop();
    await rm(envFile, { force: true });
    await rm(dir, { recursive: true, force: true });
  }
});

test('stays quiet on the healthy run written to the end', { timeout: TIMEOUT_MS + 10_000 }, async () => {
  const { dir, src, log } = await liveRun('healthy');
  const child = new ChildLog(src, log);
  const limit = timeout(TIMEOUT_MS);
  let done!: () => void;
  const allRead = new Promise<void>((r) => (done = r));
  let total = Infinity;
  let lastRead = 0;
  try {
    child.child.stdin!.write('stream 5\n');
    const watching = watchRun(dir, {
      intervalMs: 50,
      stop: Promise.race([allRead, limit.promise]),
      onAnalysis: ({ linesRead }) => {
        lastRead = linesRead;
        if (linesRead === total) done();
      },
    });
    total = Number((await child.next(TIMEOUT_MS)).split(' ')[1]); // "done 153" once the whole log is written
    if (lastRead === total) done();
    const alarms = await watching;
    assert.ok(!limit.fired(), 'the whole log was analysed before the timeout');
    assert.deepEqual(alarms.map((a) => a.finding.ruleId), [], 'no warning on a healthy run');
  } finally {
    limit.cancel();
    child.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
