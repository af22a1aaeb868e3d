// The onnxruntime fast path: the in-memory ONNX model computes what the TF.js forward pass computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { mlpToOnnx, forwardMlpOnnx, loadOnnxRuntime, releaseOnnxSession } from '../../src/evaluate/onnx-mlp.js';
import { forwardMlp, type DenseLayer } from '../../src/evaluate/mlp.js';
import { loadBackend, measure } from '../../src/evaluate/index.js';
import { headFromStateDict } from '../../src/evaluate/head.js';
import { toMatrix } from '../../src/evaluate/matrix.js';
import { readNpz } from '../../src/ingest/npy/index.js';
import { readPth } from '../../src/ingest/pth/index.js';
import { hasShared } from '../helpers/shared.js';
import { sharedRun, TEST_BACKEND } from './helpers.js';

const { ort } = await loadOnnxRuntime();

test('the ONNX bytes start with ir_version 8 and name the producer (protobuf field 1 varint, field 2 string)', () => {
  const l: DenseLayer = { name: 'l', inDim: 2, outDim: 1, w: Float32Array.of(1, 2), b: Float32Array.of(3), relu: false };
  const bytes = mlpToOnnx([l]);
  assert.deepEqual([...bytes.subarray(0, 2)], [0x08, 8]);
  assert.deepEqual([...bytes.subarray(2, 4)], [0x12, 'dann-doctor'.length]);
  assert.throws(() => mlpToOnnx([]), /no layers/);
});

test('onnxruntime and TF.js agree on a small two-layer MLP with ReLU (hand-checked rows)', { skip: !ort && 'onnxruntime-node not installed' }, async () => {
  // y = relu(x W1^T + b1) W2^T + b2 with W1 = [[1,-1],[0,2]], b1 = [0,-1], W2 = [[1,1]], b2 = [0.5]
  const layers: DenseLayer[] = [
    { name: 'a', inDim: 2, outDim: 2, w: Float32Array.of(1, -1, 0, 2), b: Float32Array.of(0, -1), relu: true },
    { name: 'b', inDim: 2, outDim: 1, w: Float32Array.of(1, 1), b: Float32Array.of(0.5), relu: false },
  ];
  const x = { rows: 2, cols: 2, data: Float32Array.of(3, 1, 0, 2) };
  // row 0: h = relu([2, 1]) -> 3.5 ; row 1: h = relu([-2, 3]) = [0, 3] -> 3.5
  const y = (await forwardMlpOnnx(layers, x))!;
  assert.deepEqual([...y.data], [3.5, 3.5]);
  const { tf } = await loadBackend({ backend: TEST_BACKEND });
  assert.deepEqual([...forwardMlp(tf, layers, x).data], [3.5, 3.5]);
});

test('on a real checkpoint the onnxruntime path reproduces the dumped logits, through measure()', { skip: (!ort && 'onnxruntime-node not installed') || (!hasShared && 'no ../shared') }, async () => {
  const arrays = await readNpz(resolve(sharedRun('label_shift'), 'features.npz'));
  const { stateDict } = await readPth(resolve(sharedRun('label_shift'), 'checkpoints/latest.pth'));
  const h = headFromStateDict(stateDict)!;
  const y = (await forwardMlpOnnx([...h.bottleneck, h.head], toMatrix('b', arrays.get('target_backbone_features')!)))!;
  const want = toMatrix('l', arrays.get('target_logits')!);
  let maxDiff = 0;
  for (let i = 0; i < want.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(y.data[i]! - want.data[i]!));
  assert.ok(maxDiff < 1e-4, String(maxDiff));
  const be = await loadBackend({ backend: TEST_BACKEND });
  const res = await measure(be, { arrays, stateDict }, { inference: 'onnxruntime', discBudgetSteps: 0, perClassADistance: false });
  assert.equal(res.rebuiltHead!.agreementWithDump, 100);
  assert.ok(res.notes.some((n) => /onnxruntime-node/.test(n.message)));
});

test('the cached session follows the layer stack: A, B, A give A, B, A results', { skip: !ort && 'onnxruntime-node not installed' }, async () => {
  const mk = (k: number): DenseLayer[] => [{ name: 'k', inDim: 1, outDim: 1, w: Float32Array.of(k), b: Float32Array.of(0), relu: false }];
  const a = mk(2);
  const b = mk(3);
  const x = { rows: 1, cols: 1, data: Float32Array.of(5) };
  assert.deepEqual([...(await forwardMlpOnnx(a, x))!.data], [10]);
  assert.deepEqual([...(await forwardMlpOnnx(b, x))!.data], [15]);
  assert.deepEqual([...(await forwardMlpOnnx(a, x))!.data], [10]);
  await releaseOnnxSession();
});
