// The run cache: outputs after the report (--plots, --format html, the UI's export) reuse the runs the diagnosis
// read and compute each t-SNE once. Proven by deleting the run's files after the diagnosis: with the cache the
// plots are still drawn from the full curves and the embedding; without it the re-read fails and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/pipeline/diagnose.js';
import { reportPlots } from '../../src/pipeline/report-plots.js';
import { RunCache } from '../../src/pipeline/run-cache.js';
import { SHARED_RUNS } from '../helpers/shared.js';

test('RunCache.embedding computes once per key', async () => {
  const cache = new RunCache();
  let calls = 0;
  const compute = async () => {
    calls++;
    return undefined;
  };
  await cache.embedding('a', compute);
  await cache.embedding('a', compute);
  await cache.embedding('b', compute);
  assert.equal(calls, 2);
});

test('plots after the report come from the cache: no run re-read, no second t-SNE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-cache-'));
  try {
    const run = join(dir, 'label_shift');
    cpSync(join(SHARED_RUNS, 'label_shift'), run, { recursive: true });
    const cache = new RunCache();
    const report = await diagnose([run], { cache });
    assert.equal(report.runs.length, 1);
    assert.ok(cache.get(report.runs[0].path), 'the diagnosis kept the run');
    const first = await reportPlots(report, { cache, maxPoints: 60 });
    const names = first[report.runs[0].id].map((p) => p.name);
    assert.ok(names.some((n) => n.endsWith('-tsne-class')), names.join(', '));

    // the run's files are gone: only the cache can still draw it
    for (const f of readdirSync(run)) rmSync(join(run, f), { recursive: true, force: true });
    const notes: string[] = [];
    const second = await reportPlots(report, { cache, maxPoints: 60, onNote: (_id, m) => notes.push(m) });
    assert.deepEqual(notes, []);
    assert.deepEqual(second[report.runs[0].id].map((p) => p.svg), first[report.runs[0].id].map((p) => p.svg), 'same plots, same embedding');

    const uncached: string[] = [];
    const third = await reportPlots(report, { maxPoints: 60, onNote: (_id, m) => uncached.push(m) });
    assert.ok(uncached.some((m) => /no t-SNE/.test(m)), uncached.join(' | '));
    assert.ok(!third[report.runs[0].id].some((p) => p.name.endsWith('-tsne-class')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
