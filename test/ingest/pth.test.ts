// Tests for the .pth reader and checkpoint facts: the real tllib-style checkpoints in ../shared/runs and fixtures/pth
// (written by fixtures/pth/make.py in torch.save's zip and legacy layouts, with the GLOBALs torch emits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { readPth, readPthBuffer } from '../../src/ingest/pth/index.js';
import { checkpointInfo } from '../../src/ingest/checkpoint-facts.js';
import { readNpz } from '../../src/ingest/npy/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import type { NdArray } from '../../src/model/ndarray.js';
import { FIXTURES, SHARED_RUNS, hasShared } from '../helpers/shared.js';

const PTH = resolve(FIXTURES, 'pth');
const ckpt = (run: string, name: string): string => resolve(SHARED_RUNS, run, 'checkpoints', `${name}.pth`);

const DANN_KEYS = ['backbone.0.weight', 'backbone.0.bias', 'backbone.3.weight', 'backbone.3.bias', 'backbone.8.weight', 'backbone.8.bias',
  'bottleneck.0.weight', 'bottleneck.0.bias', 'bottleneck.1.weight', 'bottleneck.1.bias', 'bottleneck.1.running_mean',
  'bottleneck.1.running_var', 'bottleneck.1.num_batches_tracked', 'head.weight', 'head.bias'];

test('real DANN checkpoints: tllib key names in order, shapes and dtypes', async () => {
  for (const run of ['healthy', 'diverged', 'label_shift', 'strong_disc', 'healthy_lightning']) {
    const r = await readPth(ckpt(run, 'latest'));
    assert.equal(r.format, 'zip');
    assert.deepEqual([...r.stateDict.keys()], DANN_KEYS, run);
    assert.deepEqual(r.stateDict.get('backbone.0.weight')!.shape, [16, 1, 3, 3]);
    assert.deepEqual(r.stateDict.get('backbone.8.weight')!.shape, [128, 512]);
    assert.deepEqual(r.stateDict.get('head.weight')!.shape, [10, 128]);
    assert.equal(r.stateDict.get('head.weight')!.dtype, 'f4');
    assert.equal(r.stateDict.get('bottleneck.1.num_batches_tracked')!.dtype, 'i8');
    assert.deepEqual(r.stateDict.get('bottleneck.1.num_batches_tracked')!.shape, []);
    assert.deepEqual(r.placeholders, []);
    assert.deepEqual(r.notes, []);
  }
  // erm-style source_only: no bottleneck (formats.md 1.2: Classifier without bottleneck)
  const so = await readPth(ckpt('source_only', 'latest'));
  assert.deepEqual([...so.stateDict.keys()], DANN_KEYS.filter((k) => !k.startsWith('bottleneck')));
});

test('real checkpoints: head applied to features.npz reproduces the dumped logits (independent check of every value)', async () => {
  for (const run of ['healthy', 'label_shift', 'strong_disc', 'source_only']) {
    const sd = (await readPth(ckpt(run, 'latest'))).stateDict;
    const npz = await readNpz(resolve(SHARED_RUNS, run, 'features.npz'), { names: ['target_features', 'target_logits'] });
    const W = sd.get('head.weight')!.data;
    const b = sd.get('head.bias')!.data;
    const F = npz.get('target_features')!.data;
    const L = npz.get('target_logits')!.data;
    let maxErr = 0;
    for (let i = 0; i < 225; i++) {
      for (let c = 0; c < 10; c++) {
        let z = b[c];
        for (let j = 0; j < 128; j++) z += W[c * 128 + j] * F[i * 128 + j];
        maxErr = Math.max(maxErr, Math.abs(z - L[i * 10 + c]));
      }
    }
    assert.ok(maxErr < 1e-3, `${run}: max |head(features) - logits| = ${maxErr}`);
  }
});

test('real checkpoints: num_batches_tracked gives iterations, and best.pth the best epoch (truth.json val_acc_per_epoch argmax + 1)', async () => {
  // truth.json: best epoch (0-based) diverged 0, healthy 14, label_shift 1, strong_disc 7; 300 iters/epoch (log Namespace)
  const expected: [string, string, number, number][] = [
    ['healthy', 'latest', 4500, 15], ['healthy', 'best', 4500, 15], ['diverged', 'best', 300, 1], ['diverged', 'latest', 4500, 15],
    ['label_shift', 'best', 600, 2], ['strong_disc', 'best', 2400, 8], ['strong_disc', 'latest', 3000, 10],
  ];
  for (const [run, name, iters, epochs] of expected) {
    const path = ckpt(run, name);
    const info = checkpointInfo(path, await readPth(path), { itersPerEpoch: 300 });
    assert.equal(info.name, name);
    assert.equal(info.facts.iterationsTrained, iters, `${run}/${name}`);
    assert.equal(info.facts.epochsTrained, epochs, `${run}/${name}`);
    assert.equal(info.facts.numClasses, 10);
    assert.equal(info.facts.featureDim, 128);
    assert.equal(info.facts.bottleneckBatchNorm, true);
    assert.equal(info.facts.discriminatorHidden, undefined, 'tllib does not save the discriminator');
    assert.equal(info.tensors.length, 15);
  }
  const so = checkpointInfo(ckpt('source_only', 'best'), await readPth(ckpt('source_only', 'best')));
  assert.equal(so.facts.bottleneckBatchNorm, undefined);
  assert.equal(so.facts.iterationsTrained, undefined);
  assert.equal(so.facts.numClasses, 10);
});

test('checkpoints sharing one pickle (best and latest of a run, runs of one architecture) keep their own scalars and notes', async () => {
  // diverged: best.pth and latest.pth hold the same data.pkl (python3 zipfile: CRC 0xc3c643a5 in both, as in healthy)
  // and different storages: num_batches_tracked 300 and 4500 (truth.json: best epoch 0, 15 epochs of 300 iterations)
  for (const [name, iters] of [['best', 300], ['latest', 4500], ['best', 300]] as const) {
    const r = await readPth(ckpt('diverged', name), { layoutOnly: true });
    assert.deepEqual(Array.from(r.stateDict.get('bottleneck.1.num_batches_tracked')!.data).map(Number), [iters], name);
    assert.equal(r.layout!.size, 15);
  }
  // a pickle that raised a note (a global off the allow-list) says it again on every read, naming that read's file
  for (let i = 0; i < 2; i++) {
    const r = await readPth(resolve(FIXTURES, 'hostile', 'os-system.pth'));
    assert.deepEqual(r.placeholders, ['posix.system']);
    assert.equal(r.notes.filter((n) => /not on the allow-list/.test(n.message) && n.file?.endsWith('os-system.pth')).length, 1);
  }
});

test('real checkpoint values spot-checked (bytes read by hand: python3 zipfile + numpy.frombuffer of latest/data/<key>)', async () => {
  // python3 -c "import zipfile,numpy as np; z=zipfile.ZipFile('healthy/checkpoints/latest.pth'); print(np.frombuffer(z.read('latest/data/0'),'<f4')[:3].tolist())"
  // -> [-0.33582815527915955, 0.14686532318592072, -0.06384262442588806]
  const sd = (await readPth(ckpt('healthy', 'latest'))).stateDict;
  const w = sd.get('backbone.0.weight')!.data;
  assert.deepEqual(Array.from(w.slice(0, 3)), [-0.33582815527915955, 0.14686532318592072, -0.06384262442588806]);
  // BatchNorm running_var is positive everywhere
  assert.ok(Array.from(sd.get('bottleneck.1.running_var')!.data).every((v) => v > 0));
});

test('every storage dtype decodes, little and big endian (byteorder record)', async () => {
  for (const f of ['dtypes.pth', 'dtypes-big-endian.pth']) {
    const r = await readPth(resolve(PTH, f));
    const got = Object.fromEntries([...r.stateDict].map(([k, v]) => [k, [v.dtype, Array.from(v.data)]]));
    const half = [-1, -0.5, 0, 0.5, 1, 1.5];
    const ints = [-2, -1, 0, 1, 2, 3];
    const cplx = [-2, 0, -1, 1, 0, 2, 1, 3, 2, 4, 3, 5];
    assert.deepEqual(got, {
      FloatStorage: ['f4', half], DoubleStorage: ['f8', half], HalfStorage: ['f2', half], BFloat16Storage: ['bf16', half],
      LongStorage: ['i8', ints], IntStorage: ['i4', ints], ShortStorage: ['i2', ints], CharStorage: ['i1', ints],
      ByteStorage: ['u1', [0, 1, 2, 3, 4, 5]], BoolStorage: ['b1', [0, 1, 0, 1, 0, 1]],
      ComplexFloatStorage: ['c8', cplx], ComplexDoubleStorage: ['c16', cplx],
    }, f);
  }
});

test('views: offsets, strides, transposes, broadcast (stride 0) and 0-dim tensors sharing one storage', async () => {
  const r = await readPth(resolve(PTH, 'views.pth'));
  const g = (k: string): number[] => Array.from(r.stateDict.get(k)!.data);
  assert.deepEqual(g('whole'), Array.from({ length: 24 }, (_, i) => i));
  assert.deepEqual(r.stateDict.get('transposed')!.shape, [6, 4]);
  assert.deepEqual(g('transposed').slice(0, 8), [0, 6, 12, 18, 1, 7, 13, 19]);
  assert.deepEqual(g('rows'), Array.from({ length: 12 }, (_, i) => i + 6));
  assert.deepEqual(g('column'), [2, 8, 14, 20]);
  assert.deepEqual(g('scalar'), [5]);
  assert.deepEqual(g('expanded'), [1, 2, 1, 2, 1, 2]);
  assert.equal(new Set([...r.tensorInfo.values()].map((t) => t.storageKey)).size, 1);
});

for (const proto of [2, 4, 5]) {
  test(`full training checkpoint dict, pickle protocol ${proto}: nested state dicts, numpy scalars and arrays, Namespace, device, sets, bytes`, async () => {
    const r = await readPth(resolve(PTH, `checkpoint-p${proto}.pth`));
    assert.equal(r.stateDict.size, 30);
    // numpy arrays inside the dict (numpy _reconstruct + BUILD), Fortran order materialised to C order
    assert.deepEqual(Array.from(r.stateDict.get('centroids')!.data), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(r.stateDict.get('fortran_ids')!.shape, [2, 3]);
    assert.deepEqual(Array.from(r.stateDict.get('fortran_ids')!.data), [0, 1, 2, 3, 4, 5]);
    assert.equal(r.tensorInfo.get('centroids')!.numpy, true);
    assert.deepEqual(Array.from(r.stateDict.get('model.head.bias')!.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(Array.from(r.stateDict.get('param')!.data), [1.5, 2.5]);
    assert.equal(r.tensorInfo.get('param')!.isParameter, true);
    assert.deepEqual(Array.from(r.stateDict.get('subclass')!.data), [7]);
    assert.deepEqual(r.extra, {
      epoch: 7, best_acc1: 85.5, lr: 0.25, device: 'cuda:0', tags: ['dann'], frozen: [3], blob: { __bytes__: 3 },
      args: { __class__: 'argparse.Namespace', lr: 0.01, trade_off: 1, arch: 'lenet_small' },
      big: String(2n ** 70n), neg: -(2 ** 40),
    });
    assert.deepEqual(r.placeholders, []);
    assert.deepEqual(r.notes, []);
    const info = checkpointInfo('x/checkpoint.pth', r, { itersPerEpoch: 300 });
    assert.deepEqual(info.facts, { numClasses: 10, featureDim: 8, bottleneckBatchNorm: true, iterationsTrained: 4500, epochsTrained: 15, discriminatorHidden: 32, discriminatorBatchNorm: true });
  });
}

test('legacy (non-zip) torch.save stream, and a truncated one keeps the tensors before the cut', async () => {
  const r = await readPth(resolve(PTH, 'legacy.pth'));
  assert.equal(r.format, 'legacy');
  assert.equal(r.stateDict.size, 10);
  assert.deepEqual(Array.from(r.stateDict.get('head.bias')!.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(r.stateDict.get('bottleneck.1.num_batches_tracked')!.data), [4500]);
  const t = await readPth(resolve(PTH, 'legacy-truncated.pth'));
  assert.equal(t.stateDict.size, 8);
  assert.ok(!t.stateDict.has('head.weight'));
  assert.ok(t.notes.some((n) => /storage '1008' declares 80 elements, more than the file holds/.test(n.message)));
  assert.ok(t.notes.some((n) => /tensor 'head.weight' skipped/.test(n.message)));
});

test('archive prefix comes from the first entry (latest/, dtypes/, archive/)', async () => {
  for (const [f, n] of [['tllib-like.pth', 10], ['dtypes.pth', 12], ['views.pth', 6]] as const) {
    assert.equal((await readPth(resolve(PTH, f))).stateDict.size, n, f);
  }
});

test('maxBytes bounds the tensors materialised; the rest is skipped with a note', async () => {
  const r = await readPth(resolve(PTH, 'tllib-like.pth'), { maxBytes: 600 });
  // backbone.0.weight 64 B + bottleneck.0.weight 512 B fit; the next ones would pass 600 B
  assert.ok(r.stateDict.has('bottleneck.0.weight'));
  assert.ok(!r.stateDict.has('head.weight'));
  assert.ok(r.notes.some((n) => /head.weight' skipped: would pass the 600-byte limit/.test(n.message)));
});

test('not a checkpoint: npy, text, empty, missing -> one-line InputError', async () => {
  await assert.rejects(readPth(resolve(FIXTURES, 'npy', 'scalar.npy')), /NumPy .npy file, not a PyTorch checkpoint/);
  await assert.rejects(readPthBuffer(Buffer.from('hello'), 'x.pth'), (e: unknown) => e instanceof InputError && e.offset === 0);
  await assert.rejects(readPthBuffer(Buffer.alloc(0), 'x.pth'), InputError);
  await assert.rejects(readPth('/nonexistent/latest.pth'), /no such file/);
  // a zip that is not a torch.save archive
  await assert.rejects(readPth(resolve(FIXTURES, 'npy', 'dtypes.npz')), /no data.pkl/);
  // a pickle cut in the middle names the offset
  const buf = readFileSync(resolve(PTH, 'legacy.pth'));
  await assert.rejects(readPthBuffer(buf.subarray(0, 300), 'cut.pth'), (e: unknown) => e instanceof InputError && /truncated|without STOP/.test(e.message) && e.offset !== undefined);
});

/** A state dict of empty arrays with the given shapes (checkpointInfo only looks at names, shapes and scalars). */
function fakeSd(spec: Record<string, number[]>, scalars: Record<string, number> = {}): Map<string, NdArray> {
  const m = new Map<string, NdArray>();
  for (const [k, shape] of Object.entries(spec)) m.set(k, { dtype: 'f4', shape, data: new Float32Array(0) });
  for (const [k, v] of Object.entries(scalars)) m.set(k, { dtype: 'i8', shape: [], data: new Float64Array([v]) });
  return m;
}

test('checkpointInfo facts by naming convention (formats.md 1.2): discriminators, MDD, ERM, JAN/DAN', () => {
  const disc = (p: string, bn: boolean, last: string): Record<string, number[]> => ({
    [`${p}0.weight`]: [1024, 256], [`${p}0.bias`]: [1024], ...(bn ? { [`${p}1.running_mean`]: [1024], [`${p}1.weight`]: [1024] } : {}),
    [`${p}3.weight`]: [1024, 1024], [`${p}3.bias`]: [1024], [`${p}${last}.weight`]: [1, 1024], [`${p}${last}.bias`]: [1],
  });
  const cases: [string, Map<string, NdArray>, Record<string, unknown>][] = [
    ['bare tllib DomainDiscriminator with BN', fakeSd(disc('', true, '6.0')), { discriminatorHidden: 1024, discriminatorBatchNorm: true }],
    ['dalib flat discriminator without BN', fakeSd(disc('', false, '6')), { discriminatorHidden: 1024, discriminatorBatchNorm: false }],
    ['classifier + discriminator under prefixes', fakeSd({ 'model.head.weight': [31, 256], 'model.bottleneck.0.weight': [256, 2048], ...disc('domain_discri.', true, '6.0') }, { 'model.bottleneck.1.num_batches_tracked': 1000 }),
      { numClasses: 31, featureDim: 256, bottleneckBatchNorm: false, iterationsTrained: 1000, epochsTrained: 1, discriminatorHidden: 1024, discriminatorBatchNorm: true }],
    ['MDD: head.3 is the output, adv_head ignored, BN at bottleneck.2', fakeSd({ 'head.0.weight': [1024, 1024], 'head.3.weight': [65, 1024], 'adv_head.3.weight': [65, 1024], 'bottleneck.1.weight': [1024, 2048], 'bottleneck.2.running_mean': [1024] }, { 'bottleneck.2.num_batches_tracked': 2000 }),
      { numClasses: 65, featureDim: 1024, bottleneckBatchNorm: true, iterationsTrained: 2000, epochsTrained: 2 }],
    ['ERM: no bottleneck', fakeSd({ 'backbone.conv1.weight': [64, 3, 7, 7], 'head.weight': [12, 2048] }), { numClasses: 12, featureDim: 2048 }],
    ['DAN: bottleneck without BN', fakeSd({ 'bottleneck.0.weight': [256, 2048], 'head.weight': [31, 256] }), { numClasses: 31, featureDim: 256, bottleneckBatchNorm: false }],
  ];
  for (const [what, sd, facts] of cases) {
    const info = checkpointInfo('/x/latest.pth', { stateDict: sd, format: 'zip', notes: [] }, { itersPerEpoch: 1000 });
    assert.deepEqual(info.facts, facts, what);
  }
  const odd = checkpointInfo('/x/latest.pth', { stateDict: fakeSd({}, { 'bottleneck.1.num_batches_tracked': 1500 }), format: 'zip', notes: [] }, { itersPerEpoch: 1000 });
  assert.equal(odd.facts.epochsTrained, 1);
  assert.ok(odd.notes.some((n) => /1500 is not a multiple of iters_per_epoch = 1000/.test(n.message)));
});
