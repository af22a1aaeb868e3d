// Real-width ResNet-18 and ResNet-50 (random init, randomised BatchNorm statistics, tllib's Classifier with a 256-d
// bottleneck) built at test time by fixtures/rerun-net/make.py --full with Debian's python3-torch: the rebuilt network
// must give PyTorch's backbone/features/logits within 1e-3 relative on both engines. Skipped, saying why, when
// /usr/bin/python3 has no torch/torchvision (CI). Lives in test/corpus/ because it costs ~30 s of CPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPth } from '../../src/ingest/pth/index.js';
import { readNpz } from '../../src/ingest/npy/index.js';
import { loadOnnxRuntime } from '../../src/evaluate/onnx-mlp.js';
import { rebuildNetwork } from '../../src/rerun/network/index.js';
import { FIXTURES } from '../helpers/shared.js';
import { maxRelativeError } from '../rerun/parity.js';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const TOL = 1e-3;
const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
const noTorch = probe.status === 0 ? false : `${PYTHON} has no torch/torchvision (install python3-torch python3-torchvision to run this check)`;
const { ort } = await loadOnnxRuntime();

test('resnet18 and resnet50 at 224x224 match PyTorch on both engines', { skip: noTorch }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-rerun-net-'));
  try {
    const made = spawnSync(PYTHON, [join(FIXTURES, 'rerun-net/make.py'), dir, '--full'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { input: [number, number, number]; rows: number }>;
    assert.deepEqual(Object.keys(manifest), ['resnet18', 'resnet50']);
    for (const [name, m] of Object.entries(manifest)) {
      const { stateDict } = await readPth(join(dir, `${name}.pth`));
      const arrays = await readNpz(join(dir, `${name}.npz`));
      const [c, h, w] = m.input;
      for (const engine of ort ? (['onnxruntime', 'tfjs'] as const) : (['tfjs'] as const)) {
        const net = await rebuildNetwork(stateDict, { engine, inputSize: { height: h, width: w } });
        try {
          assert.equal(net.architecture, name);
          assert.match(net.notes!.join('\n'), /backbone\.fc .* ignored/);
          const out = await net.forward({ n: m.rows, channels: c, height: h, width: w, data: arrays.get('x')!.data as Float32Array });
          for (const k of ['backbone', 'features', 'logits'] as const) {
            const err = maxRelativeError(out[k].data, arrays.get(k)!.data as Float32Array);
            assert.ok(err < TOL, `${name} ${engine} ${k}: max relative error ${err.toExponential(2)}`);
          }
        } finally {
          await net.dispose();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
