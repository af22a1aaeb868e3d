// Layout recognition from state_dict keys and shapes: the bundled real runs' 'lenet_small' checkpoint (LeNet's
// indices with 3x3 kernels at 16x16), and the clear errors for layouts that are not a known family.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readPth } from '../../src/ingest/pth/index.js';
import { recogniseClassifier, UnrecognisedLayout } from '../../src/rerun/network/index.js';
import type { NdArray } from '../../src/model/ndarray.js';
import { FIXTURES, SHARED_RUNS } from '../helpers/shared.js';

const { stateDict } = await readPth(join(SHARED_RUNS, 'healthy/checkpoints/latest.pth'));

test("the runs' lenet_small: LeNet indices, padding solved to 1 at 16x16 (512 = 32*4*4), bottleneck 128, 10 classes", () => {
  const ir = recogniseClassifier(stateDict, { inputSize: { height: 16, width: 16 }, noPool: true });
  assert.equal(ir.architecture, 'lenet');
  assert.deepEqual(ir.input, { channels: 1, height: 16, width: 16 });
  assert.deepEqual(ir.dims, { backbone: 128, features: 128, logits: 10 });
  const convs = ir.ops.filter((o) => o.op === 'conv');
  assert.deepEqual(convs.map((c) => c.op === 'conv' && [c.shape, c.stride, c.pad]), [
    [[16, 1, 3, 3], [1, 1], [1, 1]],
    [[32, 16, 3, 3], [1, 1], [1, 1]],
  ]);
  assert.match(ir.notes.join('\n'), /'same' padding .*16x16/);
});

test('without an input size the smallest square input that fits is chosen, and said', () => {
  const ir = recogniseClassifier(stateDict, { noPool: true });
  // tllib's own LeNet geometry (no padding) first: 3x3 convs reach 32*4*4 at 22x22 (22-2=20, /2=10, -2=8, /2=4)
  assert.deepEqual(ir.input, { channels: 1, height: 22, width: 22 });
  assert.match(ir.notes.join('\n'), /no input size given; 22x22/);
});

test('a size no geometry fits is an error naming the sizes each geometry gives', () => {
  assert.throws(() => recogniseClassifier(stateDict, { inputSize: { height: 28, width: 28 } }), (e: unknown) =>
    e instanceof UnrecognisedLayout && /does not fit a 28x28 input/.test(e.message) && /Linear expects 512 inputs/.test(e.message));
});

const t = (shape: number[]): NdArray => ({ dtype: 'f4', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });

test('unknown layouts name their first unmatched keys; nothing is guessed', () => {
  const vit = new Map([['backbone.patch_embed.proj.weight', t([8, 3, 4, 4])], ['backbone.blocks.0.attn.qkv.weight', t([24, 8])], ['head.weight', t([10, 8])]]);
  assert.throws(() => recogniseClassifier(vit), /matches no known family.*backbone\.patch_embed\.proj\.weight \[8, 3, 4, 4\]/);
  assert.throws(() => recogniseClassifier(new Map([['G.fc.weight', t([2, 2])]])), /no 'backbone\.\*' tensors.*G\.fc\.weight/);
  // a known backbone with an extra module: the extra keys are named
  const extra = new Map(stateDict);
  extra.set('domain_discriminator.0.weight', t([4, 128]));
  assert.throws(() => recogniseClassifier(extra, { inputSize: { height: 16, width: 16 } }), /1 key\(s\) match no known layer: domain_discriminator\.0\.weight \[4, 128\]/);
});

test("a checkpoint that nests the classifier (e.g. {'model': state_dict}) is read under its prefix", () => {
  const nested = new Map([...stateDict].map(([k, v]) => [`model.${k}`, v] as const));
  const ir = recogniseClassifier(nested, { inputSize: { height: 16, width: 16 } });
  assert.equal(ir.architecture, 'lenet');
  assert.match(ir.notes.join('\n'), /under 'model\.'/);
});

test('a ResNet whose stem is not 7x7 (CIFAR-style: stride and max-pool unknowable) is refused, not guessed', async () => {
  const { stateDict: rn } = await readPth(join(FIXTURES, 'rerun-net/resnet_basic.pth'));
  const cifar = new Map(rn);
  cifar.set('backbone.conv1.weight', t([8, 3, 3, 3]));
  assert.throws(() => recogniseClassifier(cifar), /backbone\.conv1 is 3x3, not torchvision's 7x7 stem/);
  // a block missing its second conv is named
  const broken = new Map(rn);
  broken.delete('backbone.layer2.0.conv2.weight');
  assert.throws(() => recogniseClassifier(broken), /missing conv 'backbone\.layer2\.0\.conv2\.weight'/);
});
