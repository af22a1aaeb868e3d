// Snapshot of the JSON report on every run, log and artifact in ../shared (runs/*, real-logs/*, real-artifacts/*).
// It pins every finding, cause and verdict, so a refactor that changes none of them proves it by passing.
//
// Regenerate (after an INTENDED behaviour change; list the runs that changed and why in the commit message):
//   UPDATE_SNAPSHOTS=1 node scripts/test.mjs --corpus test/corpus/report-snapshots
// or: node scripts/update-snapshots.mjs
//
// Normalised away: generatedAt, tool version, the absolute location of ../shared (reported as <shared>),
// durations/timings (keys ending in Ms/Seconds, "elapsed", "duration").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { SHARED, REPO_ROOT, sharedCorpusFolders } from '../helpers/shared.js';
import { main } from '../../src/cli.js';

const SNAP_DIR = resolve(REPO_ROOT, 'test/corpus/__snapshots__');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

/** Every entry of runs/, real-logs/ and real-artifacts/ (READMEs and truth.json excluded). */
function inputs(): { name: string; path: string }[] {
  return sharedCorpusFolders().map((f) => ({ name: `${f.group}__${f.entry}`, path: f.path }));
}

const TIMING_KEY = /(^seconds$|Ms|Seconds|Sec|elapsed|duration|Duration|timing|Timing)$/;

function normalise(value: unknown, sharedAbs: string): unknown {
  if (typeof value === 'string') return value.split(sharedAbs).join('<shared>');
  if (Array.isArray(value)) return value.map((v) => normalise(v, sharedAbs));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'generatedAt' || TIMING_KEY.test(k)) continue;
      if (k === 'version' && typeof v === 'string') continue;
      out[k] = normalise(v, sharedAbs);
    }
    return out;
  }
  return value;
}

async function jsonReport(path: string): Promise<{ code: number; report: unknown; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  stderr.on('data', (c: Buffer) => errChunks.push(c));
  const code = await main([path, '--format', 'json', '--fail-on', 'never'], { stdout, stderr, env: { CI: '1' }, isTTY: false, cwd: REPO_ROOT });
  const text = Buffer.concat(chunks).toString('utf8');
  return { code, report: JSON.parse(text), stderr: Buffer.concat(errChunks).toString('utf8').split(SHARED).join('<shared>') };
}

const cases = inputs();
test('the shared corpus is present', { skip: cases.length === 0 && 'no ../shared beside the checkout' }, () => {
  assert.ok(cases.length >= 10, `found only ${cases.length} inputs in ${SHARED}`);
});

for (const c of cases) {
  test(`JSON report unchanged: ${c.name}`, async () => {
    const { code, report, stderr } = await jsonReport(c.path);
    const snap = { exitCode: code, stderr, report: normalise(report, SHARED) };
    const file = join(SNAP_DIR, `${c.name}.json`);
    const text = JSON.stringify(snap, null, 2) + '\n';
    if (UPDATE || !existsSync(file)) {
      if (!UPDATE) assert.fail(`no snapshot ${file}; run UPDATE_SNAPSHOTS=1 node scripts/test.mjs --corpus test/corpus/report-snapshots`);
      mkdirSync(SNAP_DIR, { recursive: true });
      writeFileSync(file, text);
      return;
    }
    assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(file, 'utf8')), `report of ${c.name} changed (regenerate only if intended)`);
  });
}
