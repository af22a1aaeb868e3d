// --shard / merge over the real corpus in ../shared (runs, real logs, real artifacts): three shard processes merged
// give the report one process gives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { SHARED, hasSharedCorpus } from '../helpers/shared.js';
import { BIN, ensureBuilt } from '../helpers/built-cli.js';

const ROOTS = ['runs', 'real-logs', 'real-artifacts'].map((d) => join(SHARED, d));
let out: string;

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (b) => (stderr += b));
    p.on('close', (code) => res({ code, stderr }));
  });
}

/** The report without what legitimately differs between two runs of the same input: the time stamps. */
async function normalised(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'), (k, v: unknown) => (k === 'generatedAt' || k === 'seconds' ? undefined : v));
}

before(async () => {
  if (!hasSharedCorpus) return;
  ensureBuilt();
  out = await mkdtemp(join(tmpdir(), 'dd-shard-corpus-'));
});
after(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

test('the ../shared corpus in 3 shard processes, merged, equals the unsharded report', { skip: !hasSharedCorpus && 'no ../shared' }, async () => {
  const common = ['--fail-on', 'never', '--no-color'];
  const runs = await Promise.all([
    cli([...ROOTS, '--format', `json=${join(out, 'all.json')}`, ...common]),
    ...[1, 2, 3].map((i) => cli([...ROOTS, '--shard', `${i}/3`, '--format', `json=${join(out, `s${i}.json`)}`, ...common])),
  ]);
  for (const r of runs) assert.ok(r.code === 0 || r.code === 2, r.stderr);
  const merged = await cli(['merge', ...[1, 2, 3].map((i) => join(out, `s${i}.json`)), '--format', `json=${join(out, 'merged.json')}`, ...common]);
  assert.equal(merged.code, runs[0].code, merged.stderr);
  const all = (await normalised(join(out, 'all.json'))) as { runs: unknown[] };
  assert.ok(all.runs.length >= 15, `the corpus has its runs: ${all.runs.length}`);
  assert.deepEqual(await normalised(join(out, 'merged.json')), all);
});
