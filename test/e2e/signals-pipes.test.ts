// The built binary under the things a shell does to it: Ctrl-C (a real SIGINT) and SIGTERM during evaluation, a
// reader that closes the pipe early (`| head -c 100`), progress on a terminal's stderr and not on a pipe, and an
// evaluation the user asked for that cannot run. Uses only the bundled fixture run (no ../shared).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, REPO_ROOT } from '../helpers/shared.js';
import { BIN, ensureBuilt } from '../helpers/built-cli.js';

const RUN = join(FIXTURES, 'runs', 'label_shift');
/**
 * Inside the deep evaluation: reading this run takes ~0.5 s and `--eval` (deep) ~2.5 s more on the 2-core dev machine
 * (the whole command ends after ~3 s, so a signal at 3 s met a finished process). A signal that arrives even before
 * the handlers are installed still ends the process by the signal (130/143), so only a faster machine could fail this.
 */
const SIGNAL_AFTER_MS = 1200;
/** After the signal the process must be gone within this (the entry's grace period is 1.5 s; most exit at once). */
const STOP_WITHIN_MS = 2500;

before(() => ensureBuilt());

const env = { ...process.env, CI: 'true', NO_COLOR: '1' };

/** The status a shell reports: the exit code, or 128 + the signal's number when the process died by it. */
const SIGNAL_NUMBER: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

/** Starts the CLI with `args`, sends `signal` after SIGNAL_AFTER_MS, and waits for the process to end. */
async function stopAfterStart(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; afterSignalMs: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code, sig) => r(code ?? (sig ? 128 + (SIGNAL_NUMBER[sig] ?? 0) : null))));
  await new Promise((r) => setTimeout(r, SIGNAL_AFTER_MS));
  const sentAt = Date.now();
  child.kill(signal);
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await exited;
  clearTimeout(killer);
  return { code, afterSignalMs: Date.now() - sentAt, stdout, stderr };
}

const stopDuringEvaluation = (signal: NodeJS.Signals) => stopAfterStart([RUN, '--eval'], signal);

test('Ctrl-C (SIGINT) during --eval stops at once with exit 130 and prints no report', async () => {
  const r = await stopDuringEvaluation('SIGINT');
  assert.equal(r.code, 130, r.stderr);
  assert.ok(r.afterSignalMs < STOP_WITHIN_MS, `still running ${r.afterSignalMs} ms after SIGINT`);
  assert.equal(r.stdout, '', 'no (partial) report after an interrupt');
  assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
});

test('Ctrl-C during a sweep stops at once with exit 130 and no report (reads are synchronous: the sweep must yield)', async () => {
  // 1,000 log-only copies of the fixture run: ~4 s of work here, so the signal at SIGNAL_AFTER_MS lands mid-sweep
  const root = mkdtempSync(join(tmpdir(), 'dd-sigint-sweep-'));
  try {
    const log = readdirSync(RUN).find((f) => f.startsWith('train-'))!;
    for (let i = 0; i < 1000; i++) {
      const dir = join(root, `run-${i}`);
      mkdirSync(dir);
      copyFileSync(join(RUN, log), join(dir, log));
    }
    const r = await stopAfterStart([root, '--format', 'text'], 'SIGINT');
    assert.equal(r.code, 130, r.stderr);
    assert.ok(r.afterSignalMs < STOP_WITHIN_MS, `still running ${r.afterSignalMs} ms after SIGINT`);
    assert.equal(r.stdout, '', 'no (partial) report after an interrupt');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('SIGTERM during --eval stops at once with exit 143', async () => {
  const r = await stopDuringEvaluation('SIGTERM');
  assert.equal(r.code, 143, r.stderr);
  assert.ok(r.afterSignalMs < STOP_WITHIN_MS, `still running ${r.afterSignalMs} ms after SIGTERM`);
});

test('a reader that closes the pipe early (| head -c 100) is a normal end: no EPIPE stack trace', () => {
  // the HTML report is ~160 KB, well past a pipe's 64 KB buffer, so the writer really meets the closed pipe
  const r = spawnSync('bash', ['-c', `set -o pipefail; node '${BIN}' '${RUN}' --format html | head -c 100 > /dev/null; echo "status=\${PIPESTATUS[0]}" >&2`], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled 'error' event|internal error/, r.stderr);
  const status = Number(/status=(\d+)/.exec(r.stderr)?.[1]);
  // the run's findings decide the code (1: it has an error finding), never a crash's
  assert.ok(status === 0 || status === 1, `exit status ${status}`);
});

test('no progress lines when stderr is not a terminal', () => {
  const r = spawnSync(process.execPath, [BIN, RUN, '--format', 'json'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.stderr, '');
});

test('a requested evaluation that cannot run is said in the first lines, not "✔ no problems found"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-evalfail-'));
  try {
    const run = join(dir, 'run');
    mkdirSync(join(run, 'checkpoints'), { recursive: true });
    const log = readdirSync(RUN).find((f) => f.endsWith('.txt'))!;
    copyFileSync(join(RUN, log), join(run, log));
    // a zip signature then garbage: what a dump cut by a full disk or a bad copy looks like
    writeFileSync(join(run, 'features.npz'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(400, 7)]));
    // the first 4 KiB of a real checkpoint: a copy interrupted part way
    writeFileSync(join(run, 'checkpoints', 'latest.pth'), readFileSync(join(RUN, 'checkpoints', 'latest.pth')).subarray(0, 4096));
    const r = spawnSync(process.execPath, [BIN, run, '--eval'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
    const first = r.stdout.split('\n').slice(0, 4).join('\n');
    assert.match(first, /evaluation requested but not run: .*features\.npz/, r.stdout);
    assert.doesNotMatch(r.stdout.split('\n')[0], /^✔/);
    assert.doesNotMatch(r.stdout, /run with --eval/, 'never ask for --eval when it was given');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('progress on stderr when it is a terminal, even with stdout redirected', { skip: spawnSync('script', ['--version']).status !== 0 && 'util-linux script is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-progress-'));
  try {
    const out = join(dir, 'report.txt');
    // `script` gives the command a terminal; stdout goes to a file, so only stderr reaches the terminal
    const child = spawn('script', ['-qec', `node '${BIN}' '${RUN}' --eval > '${out}'`, '/dev/null'], { cwd: REPO_ROOT, env: { ...env, CI: '', TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let terminal = '';
    const seen = new Promise<void>((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error(`no progress with an ETA within 120 s; terminal showed: ${JSON.stringify(terminal.slice(-400))}`)), 120_000);
      child.stdout.on('data', (d) => {
        terminal += d;
        // phase, percent and ETA: enough seen, no need to wait for the whole evaluation
        if (/evaluating — [^\r]*\d+% · about \d+ (s|min \d\d s) left/.test(terminal)) {
          clearTimeout(limit);
          resolve();
        }
      });
    });
    try {
      await seen;
    } finally {
      child.kill('SIGTERM'); // closes the terminal: the CLI gets SIGHUP
    }
    assert.match(terminal, /\r\u001b\[2K/, 'the line rewrites itself in place');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
