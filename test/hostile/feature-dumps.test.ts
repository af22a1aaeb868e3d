// Issue 16.4: feature dumps with absurd shapes, class counts or labels get one clear message up front; npz members are
// capped together; many classes keep a sparse confusion matrix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRun, tempDir, runCli } from './helpers.js';
import { checkFeatureDump, MAX_CLASSES } from '../../src/ingest/npy/dump-checks.js';
import { readNpzDetailed } from '../../src/ingest/npy/read-npz.js';
import { decodeNpy } from '../../src/ingest/npy/read-npy.js';
import { classificationEval } from '../../src/evaluate/classification.js';
import { toLabels } from '../../src/evaluate/matrix.js';
import { npyOf, npzOf, int64s, float32s } from '../../bench/fuzz/hostile-inputs.js';

const arr = (descr: string, shape: number[], data?: Buffer) => decodeNpy(npyOf(descr, shape, data), 'x.npy');

test('np.zeros((10**9, 0)) as features, and zero-width features, are refused with the array named', () => {
  assert.throws(() => checkFeatureDump(new Map([['source_features', arr('<f4', [1e9, 0])]]), 'f.npz'), /'source_features' has 1000000000 rows, over the 50000000-row limit/);
  assert.throws(() => checkFeatureDump(new Map([['target_features', arr('<f4', [1000, 0])]]), 'f.npz'), /'target_features' of shape \(1000, 0\) has zero-width features/);
});

test('labels of 2**31-1 and int64 2**40+3 are refused, never wrapped to a class', () => {
  const big = arr('<i8', [3], int64s([0, 1, 2n ** 31n - 1n]));
  assert.throws(() => checkFeatureDump(new Map([['source_labels', big]]), 'f.npz'), /label 2147483647 at row 2 is outside 0\.\.99999/);
  const wrap = arr('<i8', [2], int64s([1, 2n ** 40n + 3n]));
  assert.throws(() => checkFeatureDump(new Map([['target_labels', wrap]]), 'f.npz'), /label 1099511627779 at row 1/);
  assert.throws(() => toLabels('target_labels', wrap), /label 1099511627779 at row 1 is outside/);
  assert.throws(() => checkFeatureDump(new Map([['s_logits', arr('<f4', [1, MAX_CLASSES + 1], float32s(MAX_CLASSES + 1))]]), 'f.npz'), /100001 classes, over the 100000-class limit/);
});

test('21,841 classes: the confusion matrix is kept as its non-zero cells', () => {
  const k = 21_841;
  const labels = Int32Array.from({ length: 5000 }, (_, i) => (i * 7) % k);
  const preds = Int32Array.from(labels, (y, i) => (i % 5 === 0 ? (y + 1) % k : y));
  const e = classificationEval(labels, preds, k, 'logits');
  assert.deepEqual(e.confusion, []);
  assert.equal(e.confusionCells!.length, 5000, 'one cell per distinct (true, predicted) pair');
  assert.deepEqual(e.confusionCells![0], [0, 1, 1], 'row 0: label 0 predicted as 1');
  assert.equal(e.accuracy, 80);
  assert.equal(e.perClassAcc[7], 100);
  assert.ok(JSON.stringify(e).length < 1e6);
});

test('npz members are capped together, not each', async () => {
  const t = await tempDir();
  try {
    const member = npyOf('<f4', [512, 1024], float32s(512 * 1024)); // 2 MiB each
    const file = join(t, 'features.npz');
    await writeFile(file, npzOf({ a: member, b: member, c: member, d: member }));
    const r = await readNpzDetailed(file, { maxBytes: 5 << 20 });
    assert.deepEqual([...r.arrays.keys()], ['a', 'b']);
    assert.equal(r.notes.filter((n) => /all members together/.test(n.message)).length, 2);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('a run whose dump has a label of 2**31-1 finishes promptly and names the array', async () => {
  const t = await tempDir();
  try {
    const { dir } = await makeRun(t);
    const n = 20;
    await writeFile(join(dir, 'features.npz'), npzOf({
      source_features: npyOf('<f4', [n, 4], float32s(n * 4, (i) => i % 3)),
      source_labels: npyOf('<i8', [n], int64s(Array.from({ length: n }, (_, i) => (i === n - 1 ? 2 ** 31 - 1 : i % 2)))),
      source_logits: npyOf('<f4', [n, 2], float32s(n * 2, (i) => i % 2)),
    }));
    const started = Date.now();
    const r = await runCli([dir, '--format', 'json'], t);
    assert.ok(Date.now() - started < 60_000);
    assert.match(r.stdout + r.stderr, /label 2147483647 at row 19 is outside/);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
