// Engine behaviour around the forward pass: batches split to bound memory, cancellation between calls, bad batches
// refused with the numbers, engine choice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readPth } from '../../src/ingest/pth/index.js';
import { loadOnnxRuntime } from '../../src/evaluate/onnx-mlp.js';
import { rebuildNetwork, recogniseClassifier } from '../../src/rerun/network/index.js';
import { rowsPerCall, MAX_ROWS_PER_CALL } from '../../src/rerun/network/batching.js';
import { FIXTURES } from '../helpers/shared.js';
import { loadBackend } from '../../src/evaluate/backend.js';

const { stateDict } = await readPth(join(FIXTURES, 'rerun-net/resnet_basic.pth'));
const { ort } = await loadOnnxRuntime();

test('rows per call: largest map x 4 bytes x 3 live maps within the budget, capped', () => {
  const ir = recogniseClassifier(stateDict, { inputSize: { height: 40, width: 40 } });
  // largest map of this ResNet at 40x40: the stem conv, 8 channels x 20 x 20 = 3200 floats (input 3x40x40 = 4800 is larger)
  assert.equal(rowsPerCall(ir, 40, 40, 4800 * 4 * 3 * 10), 10);
  assert.equal(rowsPerCall(ir, 40, 40, 1), 1);
  assert.equal(rowsPerCall(ir, 40, 40), MAX_ROWS_PER_CALL);
});

for (const engine of ['onnxruntime', 'tfjs'] as const) {
  test(`${engine}: an aborted signal stops the forward pass before the next call; wrong batches are refused`, { skip: engine === 'onnxruntime' && !ort && 'onnxruntime-node not installed' }, async () => {
    const net = await rebuildNetwork(stateDict, { engine });
    try {
      assert.equal(net.engine.startsWith(engine), true);
      // a pooled ResNet takes any input size
      assert.deepEqual(net.input, { channels: 3 });
      const data = new Float32Array(2 * 3 * 40 * 40);
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(net.forward({ n: 2, channels: 3, height: 40, width: 40, data }, ac.signal), { name: 'AbortError' });
      await assert.rejects(net.forward({ n: 2, channels: 1, height: 40, width: 40, data }), /takes 3-channel images, the batch has 1/);
      await assert.rejects(net.forward({ n: 3, channels: 3, height: 40, width: 40, data }), /has 9600 values, 3x3x40x40 needs 14400/);
      const out = await net.forward({ n: 2, channels: 3, height: 33, width: 57, data: new Float32Array(2 * 3 * 33 * 57) });
      assert.deepEqual([out.logits.rows, out.logits.cols, out.backbone.cols, out.features.cols], [2, 7, 64, 32]);
    } finally {
      await net.dispose();
    }
  });
}

test('tfjs: a forward pass leaves no tensor behind (activations freed after their last reader, outputs read and freed)', async () => {
  const net = await rebuildNetwork(stateDict, { engine: 'tfjs' });
  const { tf } = await loadBackend();
  try {
    const before = tf.memory().numTensors;
    await net.forward({ n: 3, channels: 3, height: 40, width: 40, data: new Float32Array(3 * 3 * 40 * 40).fill(0.5) });
    assert.equal(tf.memory().numTensors, before);
  } finally {
    await net.dispose();
  }
});
