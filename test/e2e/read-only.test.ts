// Read-only guarantee: every command leaves a run directory byte-for-byte (and mtime) identical; outputs go only where asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, readdir, readFile, stat, cp, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_RUNS, FIXTURES } from '../helpers/shared.js';
import { BIN, ensureBuilt } from '../helpers/built-cli.js';


async function hashTree(dir: string): Promise<string> {
  const h = createHash('sha256');
  async function walk(d: string): Promise<void> {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      const s = await stat(p);
      h.update(`${p}\0${s.mode}\0${s.mtimeMs}\0${s.size}\0`);
      if (e.isDirectory()) await walk(p);
      else h.update(await readFile(p));
    }
  }
  await walk(dir);
  return h.digest('hex');
}

test('diagnose, eval, plots, html, compare, watch and baseline never touch the run directories', { timeout: 600_000 }, async () => {
  ensureBuilt();
  const tmp = await mkdtemp(join(tmpdir(), 'dd-ro-'));
  try {
    const runs = join(tmp, 'runs');
    const out = join(tmp, 'out');
    await mkdir(out);
    await cp(join(FIXTURES, 'runs', 'label_shift'), join(runs, 'label_shift'), { recursive: true });
    await cp(join(SHARED_RUNS, 'diverged'), join(runs, 'diverged'), { recursive: true });
    await cp(join(SHARED_RUNS, 'source_only'), join(runs, 'source_only'), { recursive: true });
    const before = await hashTree(runs);
    const commands: string[][] = [
      [runs],
      [runs, '--format', 'json', '--verbose'],
      [join(runs, 'label_shift'), '--eval', '--format', 'json', '--output', join(out, 'eval.json')],
      [join(runs, 'label_shift'), '--plots', join(out, 'plots'), '--format', `html=${join(out, 'r.html')}`],
      [runs, '--write-baseline', join(out, 'dann-doctor.baseline.json')],
      [runs, '--baseline-file', join(out, 'dann-doctor.baseline.json'), '--format', 'sarif'],
      ['compare', join(runs, 'label_shift'), join(runs, 'source_only')],
      ['watch', join(runs, 'diverged'), '--exit-on-finding'],
    ];
    for (const args of commands) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: out, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 300_000 });
      assert.ok(r.status !== null && r.status <= 1, `${args.join(' ')} -> ${r.status}\n${r.stderr}`);
      assert.equal(await hashTree(runs), before, `run directory changed after: dann-doctor ${args.join(' ')}`);
    }
    const written = (await readdir(out)).sort();
    assert.deepEqual(written, ['dann-doctor.baseline.json', 'eval.json', 'plots', 'r.html']);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
