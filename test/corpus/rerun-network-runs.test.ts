// The rebuilt network against the classifier each real run exported itself (../shared/runs/*/checkpoints/model.onnx,
// written by torch.onnx.export from the final model): the same random 1x16x16 inputs must give the same logits on
// both engines. These runs use arch 'lenet_small' (LeNet's indices, 3x3 kernels, 16x16 inputs), so this also checks
// that the padding was solved right (512 = 32*4*4 only with padding 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readPth } from '../../src/ingest/pth/index.js';
import { loadOnnxRuntime } from '../../src/evaluate/onnx-mlp.js';
import { rebuildNetwork } from '../../src/rerun/network/index.js';
import { mulberry32 } from '../../src/evaluate/rng.js';
import { hasSharedCorpus, SHARED } from '../helpers/shared.js';
import { maxRelativeError } from '../rerun/parity.js';

const RUNS = join(SHARED, 'runs');
const runs = hasSharedCorpus ? readdirSync(RUNS).filter((r) => existsSync(join(RUNS, r, 'checkpoints/model.onnx'))) : [];
const { ort } = await loadOnnxRuntime();
const N = 48;
const TOL = 1e-3;

for (const run of runs) {
  test(`${run}: rebuilt latest.pth gives model.onnx's logits on both engines`, { skip: !ort && 'onnxruntime-node not installed' }, async () => {
    const { stateDict } = await readPth(join(RUNS, run, 'checkpoints/latest.pth'));
    const rand = mulberry32(7);
    const data = Float32Array.from({ length: N * 16 * 16 }, () => rand() * 2 - 1);
    const ref = await ort!.InferenceSession.create(new Uint8Array(await import('node:fs/promises').then((f) => f.readFile(join(RUNS, run, 'checkpoints/model.onnx')))));
    const want = (await ref.run({ input: new ort!.Tensor('float32', data, [N, 1, 16, 16]) })).logits!.data as Float32Array;
    await ref.release();
    for (const engine of ['onnxruntime', 'tfjs'] as const) {
      const net = await rebuildNetwork(stateDict, { engine, inputSize: { height: 16, width: 16 }, noPool: true });
      assert.equal(net.architecture, 'lenet');
      assert.deepEqual(net.input, { channels: 1, height: 16, width: 16 });
      assert.match(net.notes!.join('\n'), /'same' padding/);
      const out = await net.forward({ n: N, channels: 1, height: 16, width: 16, data });
      await net.dispose();
      const err = maxRelativeError(out.logits.data, want);
      assert.ok(err < TOL, `${engine}: max relative error ${err}`);
    }
  });
}
