// Quick evaluation (on by default): typed-array predictions, collapse and the ridge probe on self-made dumps in fixtures/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readNpz } from '../../src/ingest/npy/index.js';
import { quickMeasure } from '../../src/evaluate/quick.js';
import { ridgeDomainProbe } from '../../src/evaluate/ridge-probe.js';
import { forwardDense } from '../../src/evaluate/dense-forward.js';
import { diagnose } from '../../src/index.js';
import { parseCliArgs, UsageError } from '../../src/cli/args.js';
import type { Matrix } from '../../src/evaluate/matrix.js';
import { mulberry32 } from '../../src/evaluate/rng.js';

const QUICK = resolve(import.meta.dirname, '../../fixtures/evaluate/quick');

test('collapsed dump: every target prediction in class 3, entropy 0, source correct; predictions named by their array', async () => {
  const arrays = await readNpz(resolve(QUICK, 'collapsed/features.npz'));
  const { results } = await quickMeasure({ arrays });
  assert.equal(results.depth, 'quick');
  assert.equal(results.numClasses, 10);
  // make-quick-dumps.py: 300 rows, label i % 10, target logits peak at class 3 on every row
  assert.deepEqual(results.target!.predHistogram, [0, 0, 0, 300, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(results.target!.labelHistogram, new Array(10).fill(30));
  assert.equal(results.target!.predEntropyNorm, 0);
  assert.equal(results.target!.accuracy, 10);
  assert.deepEqual(results.target!.perClassAcc, [0, 0, 0, 100, 0, 0, 0, 0, 0, 0]);
  assert.equal(results.target!.predictionsArray, 'target_logits');
  assert.equal(results.source!.accuracy, 100);
  assert.deepEqual(results.targetLabelDistribution, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  // target's first 4 of 16 columns shifted by 1.5 sd: Bayes accuracy Phi(1.5) = 93%; 90 held-out rows per domain
  assert.ok(results.domainProbe!.accuracy > 80, JSON.stringify(results.domainProbe));
  assert.equal(results.domainProbe!.heldOut, 2 * 90);
  assert.equal(results.domainProbe!.rowsPerDomain, 300);
});

test('the ridge probe: identical domains are at chance (A-distance 0), far-apart ones separate fully', () => {
  const r = mulberry32(1);
  const m = (rows: number, shift: number): Matrix => ({ rows, cols: 8, data: Float32Array.from({ length: rows * 8 }, () => r() + shift) });
  // a dead network maps every input to the same vector: nothing to separate
  const dead: Matrix = { rows: 100, cols: 8, data: new Float32Array(800).fill(0.25) };
  const same = ridgeDomainProbe(dead, { ...dead, data: dead.data.slice() }, { seed: 0 })!;
  assert.equal(same.accuracy, 50);
  assert.equal(same.aDistance, 0);
  // two samples of one distribution: near chance (60 held-out rows per domain: 1 s.e. is 4.6 points)
  const noise = ridgeDomainProbe(m(200, 0), m(200, 0), { seed: 0 })!;
  assert.ok(Math.abs(noise.accuracy - 50) < 15, String(noise.accuracy));
  const far = ridgeDomainProbe(m(200, 0), m(200, 5), { seed: 0 })!;
  assert.equal(far.accuracy, 100);
  assert.equal(far.aDistance, 2);
  // subsample: 50 of 200 rows per domain, 15 held out each, and the standard error says how coarse that is
  const sub = ridgeDomainProbe(m(200, 0), m(200, 5), { seed: 0, maxRowsPerDomain: 50 })!;
  assert.equal(sub.usedPerDomain, 50);
  assert.equal(sub.availablePerDomain, 200);
  assert.equal(sub.heldOut, 30);
  // wide features take the conjugate-gradient path: same answer on a clear case
  const wide = (rows: number, shift: number): Matrix => ({ rows, cols: 600, data: Float32Array.from({ length: rows * 600 }, (_, i) => r() + (i % 600 < 3 ? shift : 0)) });
  assert.equal(ridgeDomainProbe(wide(300, 0), wide(300, 4), { seed: 0 })!.accuracy, 100);
});

test('forwardDense: y = relu(x W1^T + b1) W2^T + b2 by hand', () => {
  const y = forwardDense([
    { name: 'a', inDim: 2, outDim: 2, w: Float32Array.of(1, 2, -1, 0), b: Float32Array.of(0, 0.5), relu: true },
    { name: 'b', inDim: 2, outDim: 1, w: Float32Array.of(1, 10), b: Float32Array.of(1), relu: false },
  ], { rows: 2, cols: 2, data: Float32Array.of(1, 1, 2, -3) });
  // row 1: [3, -0.5 -> 0] -> 3 + 0 + 1 = 4; row 2: [2 - 6 = -4 -> 0, -2 + 0.5 -> 0] -> 1
  assert.deepEqual([...y.data], [4, 1]);
});

test('diagnose(): quick evaluation is on by default and calls the collapse; off, the log alone says at chance', async () => {
  const on = (await diagnose([resolve(QUICK, 'collapsed')])).runs[0]!;
  assert.equal(on.eval?.depth, 'quick');
  const f = on.findings.find((x) => x.ruleId === 'target-prediction-collapse');
  assert.ok(f, on.findings.map((x) => x.ruleId).join(', '));
  assert.match(f.message, /100% of target predictions fall in class 3/);
  assert.match(f.evidence[0]!.file, /collapsed\/features\.npz$/);
  assert.equal(f.evidence[0]!.note, 'predictions from target_logits, 300 rows');

  const off = (await diagnose([resolve(QUICK, 'collapsed')], { evaluate: 'off' })).runs[0]!;
  assert.equal(off.eval, undefined);
  const g = off.findings.find((x) => x.ruleId === 'target-prediction-collapse');
  // the log: last " * Acc@1 10.000", num_classes=10 in the Namespace: chance is 10%, the margin 5 points
  assert.ok(g, off.findings.map((x) => x.ruleId).join(', '));
  assert.match(g.message, /target accuracy is 10% \(target validation, epoch 1\), chance level for 10 classes \(10%\)/);
  assert.equal(g.evidence[0]!.observed, 10);
  assert.equal(g.evidence[0]!.line, 12);

  const spread = (await diagnose([resolve(QUICK, 'spread')])).runs[0]!;
  assert.equal(spread.eval?.target?.accuracy, (100 * spread.eval!.target!.confusion.reduce((s, row, i) => s + row[i]!, 0)) / 300);
  assert.ok(!spread.findings.some((x) => x.ruleId === 'target-prediction-collapse'));
});

test('--eval depth: quick by default, bare --eval and --backend mean deep, --no-eval off, contradictions are usage errors', () => {
  assert.equal(parseCliArgs(['run']).evaluate, 'quick');
  assert.equal(parseCliArgs(['--eval', 'run']).evaluate, 'deep');
  assert.equal(parseCliArgs(['run', '--eval']).evaluate, 'deep');
  assert.equal(parseCliArgs(['--eval', 'quick', 'run']).evaluate, 'quick');
  assert.equal(parseCliArgs(['--eval=deep', 'run']).evaluate, 'deep');
  assert.equal(parseCliArgs(['--backend', 'wasm', 'run']).evaluate, 'deep');
  assert.equal(parseCliArgs(['--no-eval', 'run']).evaluate, 'off');
  assert.deepEqual(parseCliArgs(['--eval', 'deep', 'run']).paths, ['run']);
  assert.throws(() => parseCliArgs(['--no-eval', '--eval', 'deep', 'run']), UsageError);
  assert.throws(() => parseCliArgs(['--eval=fast', 'run']), /--eval expects quick \| deep \| off/);
});

test('per-class A-distance (ridge): classes far apart in one dump, identical in the other; thin classes NaN', async () => {
  const { perClassADistanceRidge } = await import('../../src/evaluate/ridge-probe.js');
  const r = mulberry32(5);
  const rows = 60;
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 2);
  const src: Matrix = { rows, cols: 4, data: Float32Array.from({ length: rows * 4 }, () => r()) };
  // class 0 of the target is shifted far away, class 1 is the source's own rows
  const tgt: Matrix = { rows, cols: 4, data: src.data.map((v, i) => (labels[Math.floor(i / 4)] === 0 ? v + 100 : v)) };
  const d = perClassADistanceRidge(src, labels, tgt, labels, 3, 0);
  assert.ok(d[0]! > 1.5, String(d[0]));
  assert.ok(d[1]! < 0.7, String(d[1]));
  assert.ok(Number.isNaN(d[2]!), 'class 2 has no rows');
});

test('quick evaluation without dumped logits rebuilds the classifier from the checkpoint (typed arrays), else skips it', async () => {
  const { mkdtemp, cp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { npyOf, npzOf } = await import('../../bench/fuzz/hostile-inputs.js');
  const { readNpz: read } = await import('../../src/ingest/npy/index.js');
  const HEALTHY = resolve(import.meta.dirname, '../../fixtures/runs/healthy');
  const dir = await mkdtemp(join(tmpdir(), 'dd-quick-'));
  try {
    await cp(join(HEALTHY, 'checkpoints'), join(dir, 'checkpoints'), { recursive: true });
    await cp(join(HEALTHY, 'train-2026-11-27-18_42_29.txt'), join(dir, 'train-2026-11-27-18_42_29.txt'));
    const a = await read(join(HEALTHY, 'features.npz'));
    const buf = (name: string) => { const d = Float32Array.from(a.get(name)!.data as Float32Array); return Buffer.from(d.buffer); };
    const labels = (name: string) => Buffer.from(BigInt64Array.from(Array.from(a.get(name)!.data as ArrayLike<number | bigint>, (v) => BigInt(v))).buffer);
    // the healthy dump without its logits: features, backbone features and labels only
    await writeFile(join(dir, 'features.npz'), npzOf({
      source_features: npyOf('<f4', [225, 128], buf('source_features')), target_features: npyOf('<f4', [225, 128], buf('target_features')),
      source_backbone_features: npyOf('<f4', [225, 128], buf('source_backbone_features')), target_backbone_features: npyOf('<f4', [225, 128], buf('target_backbone_features')),
      source_labels: npyOf('<i8', [225], labels('source_labels')), target_labels: npyOf('<i8', [225], labels('target_labels')),
    }));
    const run = (await diagnose([dir])).runs[0]!;
    assert.equal(run.eval?.depth, 'quick');
    assert.equal(run.eval?.target?.predictionsFrom, 'rebuilt-head');
    // ../shared/runs/truth.json healthy final_target_acc 85.78 = 193 of 225
    assert.equal(run.eval?.target?.accuracy, (100 * 193) / 225);
    // with the logits dumped, quick evaluation leaves the checkpoint alone (the consistency check is deep's)
    const withLogits = (await diagnose([HEALTHY])).runs[0]!;
    assert.equal(withLogits.eval?.rebuiltHead, undefined);
    assert.equal(withLogits.eval?.target?.predictionsFrom, 'logits');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
