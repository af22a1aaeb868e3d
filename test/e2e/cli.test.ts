// The built binary as a user runs it: formats, exit codes, stdout/stderr discipline, bad input, read-only runs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile, rm, readdir, readFile, stat, cp } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SHARED_RUNS, SHARED_REAL_LOGS, FIXTURES } from '../helpers/shared.js';
import { BIN, ensureBuilt } from '../helpers/built-cli.js';


function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => ensureBuilt());

async function hashTree(dir: string): Promise<string> {
  const h = createHash('sha256');
  async function walk(d: string): Promise<void> {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      h.update(p);
      if (e.isDirectory()) await walk(p);
      else {
        h.update(await readFile(p));
        h.update(String((await stat(p)).mtimeMs));
      }
    }
  }
  await walk(dir);
  return h.digest('hex');
}

test('quick start: the bundled run gives a verdict, exit 1 for its error finding', () => {
  const r = cli(['fixtures/runs/label_shift']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^✖ label_shift {2}likely cause: class-imbalance-or-label-shift/);
  assert.match(r.stdout, /per-class-imbalance/);
  assert.equal(r.stderr, '');
});

test('--format json prints only the report on stdout; --fail-on never exits 0', () => {
  const r = cli([join(SHARED_RUNS, 'healthy'), join(SHARED_RUNS, 'diverged'), '--format', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.schemaVersion, 1);
  assert.deepEqual(report.runs.map((x: { id: string }) => x.id), ['healthy', 'diverged']);
  const diverged = report.runs[1];
  assert.equal(diverged.causes[0].id, 'learning-rate-too-high');
  assert.ok(diverged.findings.some((f: { ruleId: string }) => f.ruleId === 'loss-divergence'));
  assert.equal(report.runs[0].findings.filter((f: { severity: string }) => f.severity !== 'info').length, 0);
});

test('--fail-on warn turns a warning into exit 1; the healthy run exits 0 either way', () => {
  assert.equal(cli([join(SHARED_RUNS, 'strong_disc')]).code, 0);
  assert.equal(cli([join(SHARED_RUNS, 'strong_disc'), '--fail-on', 'warn']).code, 1);
  assert.equal(cli([join(SHARED_RUNS, 'healthy'), '--fail-on', 'warn']).code, 0);
});

test('several reporters at once, each to its own file', async () => {
  const out = await mkdtemp(join(tmpdir(), 'dd-cli-'));
  try {
    const r = cli([join(SHARED_REAL_LOGS, 'dh-a2w-2ep'), '--format', `markdown=${join(out, 's.md')}`, '--format', `sarif=${join(out, 'r.sarif')}`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).runs[0].algorithm, 'dann');
    assert.match(await readFile(join(out, 's.md'), 'utf8'), /## dann-doctor/);
    assert.equal(JSON.parse(await readFile(join(out, 'r.sarif'), 'utf8')).version, '2.1.0');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('usage and input errors: one line naming the problem, exit 2, no stack trace', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-cli-'));
  try {
    for (const [args, pattern] of [
      [['--format', 'pdf', 'x'], /unknown --format "pdf"/],
      [['--bogus'], /Unknown option '--bogus'/],
      [[], /no run given/],
      [[join(dir, 'missing')], /missing: no such file or directory/],
      [[dir], /no training logs found/],
      [['--rule', 'nope', 'x'], /--rule expects id=off\|info\|warn\|error/],
    ] as [string[], RegExp][]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('garbage, empty and binary files: exit 2 with one line naming the file, never a crash', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-cli-'));
  try {
    const log = join(dir, 'train-2024-01-01-00_00_00.txt');
    await writeFile(log, Buffer.from([0, 1, 2, 255, 254, 10, 0x80, 0x81]));
    const r = cli([dir, '--format', 'json']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${log}: not a training log dann-doctor recognises`));
    assert.equal(JSON.parse(r.stdout).runs.length, 0);
    await writeFile(log, '');
    const e = cli([dir]);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /train-2024-01-01-00_00_00\.txt: empty file/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('dann-doctor never writes into a run directory (and refuses an output path inside one)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dd-cli-'));
  try {
    await cp(join(FIXTURES, 'runs', 'label_shift'), join(dir, 'run'), { recursive: true });
    const before = await hashTree(join(dir, 'run'));
    cli([join(dir, 'run'), '--format', 'json']);
    cli([join(dir, 'run'), '--format', 'markdown', '--fail-on', 'never']);
    const refused = cli([join(dir, 'run'), '--format', `json=${join(dir, 'run', 'report.json')}`]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /never writes into a run/);
    assert.equal(await hashTree(join(dir, 'run')), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--help and --version', () => {
  const h = cli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /Usage/);
  assert.match(h.stdout, /Examples/);
  assert.match(cli(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
});
