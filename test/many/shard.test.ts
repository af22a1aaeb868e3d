// --shard i/n and `dann-doctor merge`: the partition is stable, and shards run as separate processes merge into the
// report one process makes (runs, order, errors, baselines over the whole set).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fnv1a32, parseShard, shardOfRun } from '../../src/sweep/shard.js';
import { FIXTURES } from '../helpers/shared.js';
import { BIN, ensureBuilt } from '../helpers/built-cli.js';

test('parseShard takes i/n with 1 <= i <= n and nothing else', () => {
  assert.deepEqual(parseShard('2/8'), { index: 2, count: 8 });
  assert.deepEqual(parseShard('1/1'), { index: 1, count: 1 });
  for (const bad of ['0/3', '4/3', '2', '1/0', 'a/b', '-1/3', '1.5/3']) assert.equal(parseShard(bad), undefined, bad);
});

test('fnv1a32 matches the published FNV-1a test vectors', () => {
  // from the FNV reference test suite (draft-eastlake-fnv): "" -> 811c9dc5, "a" -> e40c292c, "foobar" -> bf9cf968
  assert.equal(fnv1a32(''), 0x811c9dc5);
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
});

test('a run keeps its shard when other runs are added, and every shard gets a share', () => {
  const ids = Array.from({ length: 300 }, (_, i) => `sweep/lr${i % 7}/seed${i}`);
  const before = new Map(ids.map((id) => [id, shardOfRun(id, 4)]));
  const more = [...ids, ...Array.from({ length: 100 }, (_, i) => `sweep/new/run${i}`)];
  for (const id of more) if (before.has(id)) assert.equal(shardOfRun(id, 4), before.get(id));
  const counts = [1, 2, 3, 4].map((k) => ids.filter((id) => before.get(id) === k).length);
  for (const c of counts) assert.ok(c > 40, `each of 4 shards has a fair share of 300 runs: ${counts.join(', ')}`);
});

const RUNS = 200;
let root: string;
let out: string;

/**
 * 200 small tllib runs from the fixture log (fixtures/runs/label_shift, its train log only), in two tasks (target
 * domain), with seeds and trade-offs varied and some source-only runs (trade_off=0) scattered through, an empty log
 * (an input error), and names whose sort order differs from plain path order (`g/x` vs `g-x`).
 */
async function makeRuns(dir: string): Promise<void> {
  const src = join(FIXTURES, 'runs', 'label_shift');
  const logName = readdirSync(src).find((f) => /^train-.*\.txt$/.test(f))!;
  const text = await readFile(join(src, logName), 'utf8');
  for (let i = 0; i < RUNS; i++) {
    const task = i % 2 === 0 ? 'rotated' : 'noisy';
    const tradeOff = i % 23 === 5 ? '0.0' : ['1.0', '0.3', '3.0'][i % 3];
    const group = i % 10 === 0 ? `g${i % 3}/x` : i % 10 === 1 ? `g${i % 3}-x` : `lr${i % 5}`;
    const runDir = join(dir, group, `run-${String(i).padStart(3, '0')}`);
    await mkdir(runDir, { recursive: true });
    const edited = text.replace(/\bseed=\d+/, `seed=${i}`).replace(/\btrade_off=[\d.]+/, `trade_off=${tradeOff}`).replace(/target=\['rotated'\]/, `target=['${task}']`);
    await writeFile(join(runDir, logName), edited);
  }
  await mkdir(join(dir, 'lr2', 'empty-run'), { recursive: true });
  await writeFile(join(dir, 'lr2', 'empty-run', logName), '');
}

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (b) => (stderr += b));
    p.on('close', (code) => res({ code, stderr }));
  });
}

/** The report without its timestamp (the only field two runs of the same input may differ in). */
async function readReport(file: string): Promise<Record<string, unknown>> {
  const r = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  delete r.generatedAt;
  return r;
}

before(async () => {
  ensureBuilt();
  root = await mkdtemp(join(tmpdir(), 'dd-shard-'));
  out = await mkdtemp(join(tmpdir(), 'dd-shard-out-'));
  await makeRuns(join(root, 'sweep'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

test('3 shards in separate processes, merged, equal the unsharded report', async () => {
  const sweep = join(root, 'sweep');
  const common = ['--fail-on', 'never', '--no-color'];
  const results = await Promise.all([
    cli([sweep, '--format', `json=${join(out, 'all.json')}`, ...common]),
    ...[1, 2, 3].map((i) => cli([sweep, '--shard', `${i}/3`, '--format', `json=${join(out, `shard-${i}.json`)}`, ...common])),
  ]);
  // the empty log is an input error in exactly one shard (exit 2 there) and in the unsharded run
  assert.deepEqual(results.map((r) => r.code).sort(), [0, 0, 2, 2], results.map((r) => r.stderr).join('\n'));
  const shards = await Promise.all([1, 2, 3].map((i) => readReport(join(out, `shard-${i}.json`))));
  const sizes = shards.map((s) => (s.runs as unknown[]).length);
  assert.equal(sizes.reduce((a, b) => a + b, 0), RUNS, `every run in exactly one shard: ${sizes.join(' + ')}`);
  for (const s of sizes) assert.ok(s > 40, `shard sizes ${sizes.join(', ')}`);

  const merged = await cli(['merge', ...[1, 2, 3].map((i) => join(out, `shard-${i}.json`)), '--format', `json=${join(out, 'merged.json')}`, ...common]);
  assert.equal(merged.code, 2, 'the merged report keeps the input error, so exit 2 like the unsharded run');
  // source-only runs sit in all three shards, but only the first of each task (in discovery order) is the baseline
  assert.match(merged.stderr, /merge: \d+ runs judged again against a source-only baseline from another shard/);
  const all = await readReport(join(out, 'all.json'));
  const m = await readReport(join(out, 'merged.json'));
  assert.equal(m.shard, undefined, 'a merged report is not a shard');
  assert.deepEqual(m, all);
  // the cross-shard baseline really is used: an adapted run compared with a source-only run of its task
  const runs = all.runs as { id: string; findings: { ruleId: string; messageId: string; data: { baselineId?: string } }[] }[];
  const noGain = runs.flatMap((r) => r.findings).filter((f) => f.ruleId === 'no-adaptation-gain' && f.messageId === 'noGain');
  assert.ok(noGain.length > 0);
  assert.equal((all.errors as { path: string }[]).length, 1);
});

test('merge refuses an incomplete or mixed set with a one-line error', async () => {
  const sweep = join(root, 'sweep');
  const files = [1, 2].map((i) => join(out, `s2-${i}.json`));
  await Promise.all([1, 2].map((i) => cli([sweep, '--shard', `${i}/2`, '--format', `json=${files[i - 1]}`, '--fail-on', 'never'])));
  const missing = await cli(['merge', files[0], '--format', 'json']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^dann-doctor: merge: shard 2\/2 missing\n$/);
  const twice = await cli(['merge', files[0], files[0], '--format', 'json']);
  assert.match(twice.stderr, /given twice/);
  const plain = join(out, 'plain.json');
  await cli([join(sweep, 'lr0'), '--format', `json=${plain}`, '--fail-on', 'never']);
  const notShard = await cli(['merge', plain, '--format', 'json']);
  assert.match(notShard.stderr, /not a shard report/);
  const bad = await cli([sweep, '--shard', '3/2']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--shard expects i\/n/);
});
