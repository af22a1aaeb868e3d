// The replay's pieces: schedules against tllib's formulas, --try parsing, variants from causes, and the game itself
// on small synthetic problems whose outcome is known in advance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learningRateAt, reversalAt, runIterationAt } from '../../src/replay/schedules.js';
import { parseTry, TryParseError, variantsFor, changesForCause, TLLIB_DEFAULTS, describeChanges } from '../../src/replay/config.js';
import { replaySplitOf, replayVariants, ReplayInputError, domainStateOf } from '../../src/replay/replay-run.js';
import { replayTable, alignTable } from '../../src/replay/table.js';
import { loadBackend } from '../../src/evaluate/backend.js';
import type { NdArray } from '../../src/model/ndarray.js';
import { mulberry32 } from '../../src/evaluate/rng.js';

test('schedules follow tllib: LambdaLR and the warm-start GRL, compressed onto the replay', () => {
  // lr * (1 + 0.001 i) ** -0.75 at i = 1000: 0.01 * 2 ** -0.75 = 0.0059460
  assert.ok(Math.abs(learningRateAt(1000, TLLIB_DEFAULTS) - 0.0059460) < 1e-6);
  assert.ok(Math.abs(learningRateAt(1000, TLLIB_DEFAULTS, 10) - 0.059460) < 1e-5);
  // 2/(1+exp(-i/1000)) - 1 = tanh(i/2000): tanh(1) = 0.76159 at i = 2000
  assert.ok(Math.abs(reversalAt(2000, TLLIB_DEFAULTS) - Math.tanh(1)) < 1e-9);
  // step 150 of 300 stands for the middle of a 4500-iteration run
  assert.equal(runIterationAt(150, 300, { runIterations: 4500 }), 2250);
  // a run shorter than the replay is not stretched
  assert.equal(runIterationAt(150, 300, { runIterations: 100 }), 150);
});

test('--try parses knobs in tllib spelling and refuses what cannot be replayed', () => {
  assert.deepEqual(parseTry('trade_off=0.3,disc_batch_norm=False'), { tradeOff: 0.3, discBatchNorm: false });
  assert.deepEqual(parseTry('algorithm=cdan+e'), { algorithm: 'cdan+e' });
  assert.deepEqual(parseTry('disc-hidden=512'), { discHidden: 512 });
  assert.throws(() => parseTry('nosuch=1'), TryParseError);
  assert.throws(() => parseTry('lr=abc'), /expected a number/);
  assert.throws(() => parseTry('batch_size=2.5'), /whole number/);
  assert.throws(() => parseTry('trade_off'), /key=value/);
  assert.throws(() => parseTry('disc_batch_norm=maybe'), /True or False/);
  assert.equal(describeChanges({ discBatchNorm: false, tradeOff: 1 }), 'disc_batch_norm=False, trade_off=1');
});

test('variants: the run first, each cause fix once, tries, and source-only as the reference', () => {
  const strong = { ...TLLIB_DEFAULTS, discBatchNorm: true, discHidden: 2048, discLrMult: 10 };
  const fixes = changesForCause('discriminator-too-strong', strong);
  assert.deepEqual(fixes.slice(0, 3), [{ discBatchNorm: false }, { discHidden: 1024 }, { discLrMult: 1 }]);
  assert.deepEqual(fixes[3], { discBatchNorm: false, discHidden: 1024, discLrMult: 1 });
  const vs = variantsFor(strong, ['discriminator-too-strong', 'learning-rate-mismatch'], [{ tradeOff: 0.5 }], 10);
  assert.equal(vs[0]!.label, 'as configured');
  assert.equal(vs[1]!.origin, 'try');
  // learning-rate-mismatch's fix (disc_lr_mult=1) is already a discriminator fix: not replayed twice
  assert.equal(vs.filter((v) => v.label === 'disc_lr_mult=1').length, 1);
  assert.equal(vs.at(-1)!.config.algorithm, 'source-only');
  assert.deepEqual(changesForCause('crash', strong), []);
  assert.deepEqual(changesForCause('learning-rate-too-high', { ...TLLIB_DEFAULTS, lr: 10 }), [{ lr: 1 }]);
  assert.equal(variantsFor(strong, ['discriminator-too-strong'], [], 2).length, 2);
});

test('domain state bands', () => {
  assert.equal(domainStateOf(97), 'saturated');
  assert.equal(domainStateOf(52), 'at-chance');
  assert.equal(domainStateOf(70), 'contested');
});

const arr = (data: Float32Array | Int32Array, shape: number[]): NdArray => ({ dtype: data instanceof Int32Array ? 'i4' : 'f4', shape, data, fortranOrder: false }) as unknown as NdArray;

/** Two Gaussian classes per domain in 6-d; the target is the source shifted by `shift` along one axis. */
function blobs(rows: number, shift: number, seed: number): Map<string, NdArray> {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
  const make = (off: number) => {
    const x = new Float32Array(rows * 6);
    const y = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      y[i] = i % 2;
      for (let j = 0; j < 6; j++) x[i * 6 + j] = gauss() * 0.5 + (j === 0 ? (y[i] ? 2 : -2) : 0) + (j === 1 ? off : 0);
    }
    return { x, y };
  };
  const s = make(0);
  const t = make(shift);
  return new Map([
    ['source_backbone_features', arr(s.x, [rows, 6])], ['source_labels', arr(s.y, [rows])],
    ['target_backbone_features', arr(t.x, [rows, 6])], ['target_labels', arr(t.y, [rows])],
  ]);
}

test('replay inputs: missing arrays and mismatched widths are clear errors naming the file', () => {
  const m = blobs(20, 0, 1);
  m.delete('source_labels');
  assert.throws(() => replaySplitOf({ arrays: m, file: 'f.npz' }), (e: unknown) => e instanceof ReplayInputError && /f\.npz: no source_labels/.test(e.message));
  assert.throws(() => replaySplitOf({ arrays: new Map(), file: 'g.npz' }), /g\.npz: no source_\/target_/);
});

test('the game on separable blobs: heads learn, a shifted target is told apart, lr 1000 breaks it', async () => {
  const { tf, name } = await loadBackend({ backend: 'cpu' });
  const small = { ...TLLIB_DEFAULTS, bottleneckDim: 8, discHidden: 16, batchSize: 16, runIterations: 200 };
  const arrays = blobs(120, 4, 7);
  const vs = variantsFor(small, [], [{ lr: 1000 }], 6);
  const r = await replayVariants(tf, { arrays, file: 'blobs.npz' }, vs, { backendName: name, iterations: 120, maxSeeds: 1, budgetSeconds: 600 });
  const [base, broken, sourceOnly] = r.variants;
  assert.equal(base!.variant.label, 'as configured');
  assert.ok(base!.sourceAcc.mean > 95, `source acc ${base!.sourceAcc.mean}`);
  assert.ok(base!.domainAcc !== null && base!.domainAcc.mean > 40);
  assert.ok(broken!.diverged || broken!.collapsed || broken!.sourceAcc.mean < 80, 'lr 1000 should break training');
  assert.equal(sourceOnly!.variant.config.algorithm, 'source-only');
  assert.equal(sourceOnly!.domainAcc, null, 'source-only trains no discriminator');
  // a shift of 4 sigma along an axis the labels do not use: a linear probe separates the bottleneck features
  assert.ok(sourceOnly!.aDistance!.mean > 1, `A-distance ${sourceOnly!.aDistance!.mean}`);
  const lines = alignTable(replayTable(r));
  assert.match(lines[0]!, /^variant\s+domain acc\s+target acc/);
  assert.equal(lines.length, 4);
});

test('the budget stops the replay between trials and says so', async () => {
  const { tf, name } = await loadBackend({ backend: 'cpu' });
  const small = { ...TLLIB_DEFAULTS, bottleneckDim: 8, discHidden: 16, batchSize: 16, runIterations: 200 };
  const vs = variantsFor(small, [], [{ tradeOff: 0.1 }], 6);
  const r = await replayVariants(tf, { arrays: blobs(60, 2, 3), file: 'b.npz' }, vs, { backendName: name, iterations: 40, maxSeeds: 3, budgetSeconds: 0 });
  assert.equal(r.budgetExhausted, true);
  assert.equal(r.variants[0]!.trials.length, 1, 'the first trial always runs');
  assert.equal(r.variants[1]!.verdict, 'not replayed (budget)');
  assert.match(r.notes.join(' '), /budget ran out after 1 of 9 trials/);
});

test('a cancelled replay stops with an AbortError', async () => {
  const { tf, name } = await loadBackend({ backend: 'cpu' });
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    () => replayVariants(tf, { arrays: blobs(40, 1, 2), file: 'b.npz' }, variantsFor({ ...TLLIB_DEFAULTS, bottleneckDim: 4, discHidden: 8 }, [], [], 2), { backendName: name, iterations: 10, signal: ac.signal }),
    (e: unknown) => (e as Error).name === 'AbortError',
  );
});

test('both engines play the same game: onnxruntime (default) and the TF.js fallback, same seed, same curves', async () => {
  const { tf, name } = await loadBackend({ backend: 'cpu' });
  // BatchNorm discriminator: no dropout draws, so the same seed gives both engines the same weights and batches and
  // the only difference left is float rounding (the dropout discriminator draws its masks differently per engine)
  const small = { ...TLLIB_DEFAULTS, bottleneckDim: 8, discHidden: 16, batchSize: 16, runIterations: 200 };
  const vs = variantsFor(small, [], [{ algorithm: 'cdan+e' }], 6);
  const run = (engine: 'tfjs' | 'onnxruntime') => replayVariants(tf, { arrays: blobs(120, 3, 5), file: 'b.npz' }, vs, { backendName: name, engine, iterations: 60, maxSeeds: 1, budgetSeconds: 600 });
  const [a, b] = [await run('tfjs'), await run('onnxruntime')];
  assert.equal(a.backend, 'cpu');
  assert.match(b.backend, /^onnxruntime-node/);
  assert.equal(a.variants.length, 3);
  a.variants.forEach((va, i) => {
    const ta = va.trials[0]!;
    const tb = b.variants[i]!.trials[0]!;
    assert.equal(tb.domainAccCurve.length, ta.domainAccCurve.length);
    ta.domainAccCurve.forEach((x, k) => assert.ok(Math.abs(x - tb.domainAccCurve[k]!) < 2, `${va.variant.label} curve point ${k}: ${x} vs ${tb.domainAccCurve[k]}`));
    assert.ok(Math.abs(ta.sourceAcc - tb.sourceAcc) < 3 && Math.abs(ta.targetAcc! - tb.targetAcc!) < 3, `${va.variant.label}: ${ta.sourceAcc}/${ta.targetAcc} vs ${tb.sourceAcc}/${tb.targetAcc}`);
  });
});
