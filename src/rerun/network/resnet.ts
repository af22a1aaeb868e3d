// torchvision's ResNet as tllib wraps it (tllib/vision/models/resnet.py): keys 'backbone.conv1', 'backbone.bn1',
// 'backbone.layerL.M.{conv1,bn1,conv2,bn2[,conv3,bn3],downsample.0,downsample.1}'; forward stops after layer4 (the
// pool is the Classifier's). tllib keeps torchvision's unused 'fc' in the module, so 'backbone.fc.*' may be present.
// Bottleneck blocks (conv3 present) are torchvision's v1.5 (stride on the 3x3 conv); BasicBlock otherwise.
// Widths and kernel sizes come from the weight shapes; padding is kernel/2 as in torchvision.
import type { LayerOp } from './ir.js';
import { INPUT } from './ir.js';
import { StateDictView, UnrecognisedLayout } from './state-dict.js';

/** torchvision's stem: a 7x7 conv1 with stride 2, MaxPool2d(3, 2, 1). */
const STEM_KERNEL = 7;
const STEM_STRIDE = 2;
const STEM_POOL = { kernel: 3, stride: 2, pad: 1 };
/** torchvision's four stages; stages 2-4 halve the map in their first block. */
const STAGES = 4;
/** torchvision's ImageNet widths: stem 64 channels; named depths are only claimed at these widths. */
const STANDARD_STEM_WIDTH = 64;
const NAMED_DEPTHS: Record<string, string> = {
  'basic:2,2,2,2': 'resnet18', 'basic:3,4,6,3': 'resnet34',
  'bottleneck:3,4,6,3': 'resnet50', 'bottleneck:3,4,23,3': 'resnet101', 'bottleneck:3,8,36,3': 'resnet152',
};

export function looksLikeResNet(sd: StateDictView): boolean {
  return sd.isConv('backbone.conv1') && sd.has('backbone.layer1.0.conv1.weight');
}

const half = (k: number) => Math.floor(k / 2);

function convSame(sd: StateDictView, name: string, input: string, output: string, stride: number) {
  const s = sd.shape(`${name}.weight`);
  if (!s || s.length !== 4) throw new UnrecognisedLayout(`missing conv '${sd.prefix}${name}.weight'`);
  return sd.conv(name, input, output, [stride, stride], [half(s[2]!), half(s[3]!)]);
}

export interface ResNetBackbone { architecture: string; ops: LayerOp[]; output: string; channels: number; notes: string[] }

export function buildResNet(sd: StateDictView): ResNetBackbone {
  const ops: LayerOp[] = [];
  const notes: string[] = [];
  const stemShape = sd.shape('backbone.conv1.weight')!;
  if (stemShape[2] !== STEM_KERNEL || stemShape[3] !== STEM_KERNEL) {
    // CIFAR-style ResNets use a 3x3 stem with stride 1 and no max-pool: the weights cannot tell which, so no guess
    throw new UnrecognisedLayout(`${sd.prefix}backbone.conv1 is ${stemShape[2]}x${stemShape[3]}, not torchvision's 7x7 stem: its stride and max-pool cannot be read from the weights (a CIFAR-style ResNet?)`);
  }
  const stem = convSame(sd, 'backbone.conv1', INPUT, 'stem_conv', STEM_STRIDE);
  ops.push(stem, sd.bn('backbone.bn1', 'stem_conv', 'stem_bn', stem.shape[0]));
  ops.push({ op: 'relu', input: 'stem_bn', output: 'stem_relu' }, { op: 'maxpool', input: 'stem_relu', output: 'stem_pool', ...STEM_POOL });
  let cur = 'stem_pool';
  let kind: 'basic' | 'bottleneck' | undefined;
  const counts: number[] = [];
  for (let L = 1; L <= STAGES; L++) {
    let m = 0;
    for (; sd.has(`backbone.layer${L}.${m}.conv1.weight`); m++) {
      const p = `backbone.layer${L}.${m}`;
      const v = `l${L}_${m}`;
      const stride = m === 0 && L > 1 ? 2 : 1;
      const bottleneck = sd.has(`${p}.conv3.weight`);
      const k = bottleneck ? 'bottleneck' : 'basic';
      if (kind && kind !== k) throw new UnrecognisedLayout(`${sd.prefix}${p} is a ${k} block after ${kind} blocks: not a torchvision ResNet`);
      kind = k;
      const c1 = convSame(sd, `${p}.conv1`, cur, `${v}_c1`, bottleneck ? 1 : stride);
      ops.push(c1, sd.bn(`${p}.bn1`, `${v}_c1`, `${v}_b1`, c1.shape[0]), { op: 'relu', input: `${v}_b1`, output: `${v}_r1` });
      const c2 = convSame(sd, `${p}.conv2`, `${v}_r1`, `${v}_c2`, bottleneck ? stride : 1);
      ops.push(c2, sd.bn(`${p}.bn2`, `${v}_c2`, `${v}_b2`, c2.shape[0]));
      let last = `${v}_b2`;
      if (bottleneck) {
        ops.push({ op: 'relu', input: last, output: `${v}_r2` });
        const c3 = convSame(sd, `${p}.conv3`, `${v}_r2`, `${v}_c3`, 1);
        ops.push(c3, sd.bn(`${p}.bn3`, `${v}_c3`, `${v}_b3`, c3.shape[0]));
        last = `${v}_b3`;
      }
      let skip = cur;
      if (sd.has(`${p}.downsample.0.weight`)) {
        const d = sd.conv(`${p}.downsample.0`, cur, `${v}_dc`, [stride, stride], [0, 0]);
        ops.push(d, sd.bn(`${p}.downsample.1`, `${v}_dc`, `${v}_db`, d.shape[0]));
        skip = `${v}_db`;
      } else if (stride !== 1) {
        throw new UnrecognisedLayout(`${sd.prefix}${p} halves the map but has no downsample: not a torchvision ResNet`);
      }
      ops.push({ op: 'add', inputs: [last, skip], output: `${v}_sum` }, { op: 'relu', input: `${v}_sum`, output: `${v}_out` });
      cur = `${v}_out`;
    }
    if (m === 0) throw new UnrecognisedLayout(`ResNet layout without '${sd.prefix}backbone.layer${L}.0': torchvision ResNets have ${STAGES} stages`);
    counts.push(m);
  }
  // tllib's ResNet keeps torchvision's classifier 'fc' as an unused module.
  if (sd.has('backbone.fc.weight')) {
    sd.ignore('backbone.fc.weight');
    sd.ignore('backbone.fc.bias');
    notes.push("backbone.fc (torchvision's ImageNet classifier) is in the state_dict but unused by tllib's forward: ignored");
  }
  const depth = counts.reduce((a, b) => a + b, 0) * (kind === 'bottleneck' ? 3 : 2) + 2;
  const named = NAMED_DEPTHS[`${kind}:${counts.join(',')}`];
  const standard = stem.shape[0] === STANDARD_STEM_WIDTH;
  const architecture = named && standard ? named : `resnet${depth}-${kind}[${counts.join(',')}]-w${stem.shape[0]}`;
  return { architecture, ops, output: cur, channels: stem.shape[1], notes };
}
