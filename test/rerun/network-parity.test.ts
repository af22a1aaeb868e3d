// Rebuilt networks against PyTorch: fixtures/rerun-net/ holds tiny classifiers with tllib's exact key layouts
// (LeNet, a 3x3 LeNet at 16x16, DTN, a BasicBlock and a Bottleneck ResNet with MDD's heads), fixed inputs and
// PyTorch's eval-mode backbone/features/logits for them (made by fixtures/rerun-net/make.py). Each engine must
// reproduce all three outputs within 1e-3 relative (formats.md 8.2's first step).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPth } from '../../src/ingest/pth/index.js';
import { readNpz } from '../../src/ingest/npy/index.js';
import { loadOnnxRuntime } from '../../src/evaluate/onnx-mlp.js';
import { rebuildNetwork } from '../../src/rerun/network/index.js';
import { FIXTURES } from '../helpers/shared.js';
import { maxRelativeError } from './parity.js';

const DIR = join(FIXTURES, 'rerun-net');
/** formats.md 8.2: identical input tensors give the same logits within 1e-3 relative */
const TOL = 1e-3;
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Record<string, { input: [number, number, number]; no_pool: boolean; rows: number }>;
const { ort } = await loadOnnxRuntime();

/** What each fixture must be recognised as (names from the layer counts; narrow widths are not given ImageNet names). */
const EXPECTED: Record<string, { architecture: string; notes?: RegExp }> = {
  lenet: { architecture: 'lenet', notes: /conv stride 1, no padding \(kernels 5, 5\)/ },
  lenet_3x3: { architecture: 'lenet', notes: /'same' padding \(kernel\/2\) \(kernels 3, 3\)/ },
  dtn: { architecture: 'dtn', notes: /conv stride 2, padding kernel\/2 \(kernels 5, 5, 5\)/ },
  resnet_basic: { architecture: 'resnet12-basic[2,1,1,1]-w8', notes: /backbone\.fc .* ignored/ },
  resnet_bottleneck: { architecture: 'resnet17-bottleneck[1,2,1,1]-w4', notes: /adv_head .* ignored/ },
};

test('every fixture in the manifest has an expectation here (a new fixture must be checked)', () => {
  assert.deepEqual(Object.keys(manifest).sort(), Object.keys(EXPECTED).sort());
});

for (const [name, m] of Object.entries(manifest)) {
  for (const engine of ['onnxruntime', 'tfjs'] as const) {
    test(`${name} on ${engine}: backbone, features and logits match PyTorch within ${TOL}`, { skip: engine === 'onnxruntime' && !ort && 'onnxruntime-node not installed' }, async () => {
      const { stateDict } = await readPth(join(DIR, `${name}.pth`));
      const arrays = await readNpz(join(DIR, `${name}.npz`));
      const [c, h, w] = m.input;
      const net = await rebuildNetwork(stateDict, { engine, inputSize: { height: h, width: w }, noPool: m.no_pool });
      try {
        assert.equal(net.architecture, EXPECTED[name]!.architecture);
        if (EXPECTED[name]!.notes) assert.match(net.notes!.join('\n'), EXPECTED[name]!.notes!);
        assert.equal(net.input.channels, c);
        const x = arrays.get('x')!;
        const out = await net.forward({ n: m.rows, channels: c, height: h, width: w, data: x.data as Float32Array });
        for (const k of ['backbone', 'features', 'logits'] as const) {
          const want = arrays.get(k)!;
          assert.deepEqual([out[k].rows, out[k].cols], want.shape, `${k} shape`);
          const err = maxRelativeError(out[k].data, want.data as Float32Array);
          assert.ok(err < TOL, `${k}: max relative error ${err.toExponential(2)}`);
        }
        assert.equal(net.numClasses, arrays.get('logits')!.shape[1]);
      } finally {
        await net.dispose();
      }
    });
  }
}
