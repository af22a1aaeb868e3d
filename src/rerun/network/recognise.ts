// state_dict keys + shapes -> NetworkIR for tllib's Classifier: f = pool(backbone(x)); f = bottleneck(f);
// logits = head(f). The pool is AdaptiveAvgPool2d(1)+Flatten unless the run used --no-pool (the digit backbones
// end flat and never pool). No code from the checkpoint runs: only tensor names and shapes decide.
import type { NdArray } from '../../model/ndarray.js';
import type { RebuildOptions } from '../types.js';
import type { LayerOp, NetworkIR } from './ir.js';
import { buildDigitBackbone, matchDigitFamily } from './digits.js';
import { buildResNet, looksLikeResNet } from './resnet.js';
import { inferShapes, LayoutMismatch } from './shapes.js';
import { StateDictView, UnrecognisedLayout, UNMATCHED_KEYS_SHOWN } from './state-dict.js';

/** Size used only to check a pooled (size-free) network's layers fit together: torchvision's ImageNet crop. */
const CHECK_SIZE = 224;

/** The key prefix under which the Classifier sits ('' for a bare state_dict, 'model.' or 'module.' when wrapped). */
function classifierPrefix(sd: ReadonlyMap<string, NdArray>): string {
  const keys = [...sd.keys()];
  const hit = keys.find((k) => /(^|\.)backbone\./.test(k));
  if (hit === undefined) {
    const shown = keys.slice(0, UNMATCHED_KEYS_SHOWN).join(', ');
    throw new UnrecognisedLayout(`no 'backbone.*' tensors, so not a tllib Classifier state_dict (first keys: ${shown || 'none'})`);
  }
  return hit.slice(0, hit.search(/(^|\.)backbone\./) + (hit.startsWith('backbone.') ? 0 : 1));
}

function bottleneckOps(sd: StateDictView, input: string): { ops: LayerOp[]; output: string } {
  const keys = sd.keys().filter((k) => k.startsWith('bottleneck.'));
  if (keys.length === 0) return { ops: [], output: input };
  // tllib: Sequential(Linear(in, dim), BatchNorm1d(dim), ReLU()[, Dropout]) -- the only parameterised bottleneck its Classifiers build
  if (sd.isLinear('bottleneck.0') && sd.isBn('bottleneck.1')) {
    const lin = sd.linear('bottleneck.0', input, 'bneck_lin');
    return { ops: [lin, sd.bn('bottleneck.1', 'bneck_lin', 'bneck_bn', lin.shape[0]), { op: 'relu', input: 'bneck_bn', output: 'bneck_relu' }], output: 'bneck_relu' };
  }
  throw new UnrecognisedLayout(`bottleneck is not tllib's Linear-BatchNorm1d-ReLU (keys ${keys.slice(0, UNMATCHED_KEYS_SHOWN).join(', ')})`);
}

function headOps(sd: StateDictView, input: string): { ops: LayerOp[]; output: string } {
  if (sd.isLinear('head')) return { ops: [sd.linear('head', input, 'head_out')], output: 'head_out' };
  // MDD's head: Sequential(Linear(dim, width), ReLU, Dropout, Linear(width, classes))
  if (sd.isLinear('head.0') && sd.isLinear('head.3')) {
    return {
      ops: [sd.linear('head.0', input, 'head_0'), { op: 'relu', input: 'head_0', output: 'head_1' }, sd.linear('head.3', 'head_1', 'head_out')],
      output: 'head_out',
    };
  }
  const keys = sd.keys().filter((k) => k.startsWith('head.'));
  throw new UnrecognisedLayout(keys.length ? `head is neither a Linear nor MDD's Linear-ReLU-Dropout-Linear (keys ${keys.slice(0, UNMATCHED_KEYS_SHOWN).join(', ')})` : "no 'head.weight': the classifier head is missing");
}

/**
 * Recognises the layout and returns the IR. Throws UnrecognisedLayout (one line, naming keys) for anything that is
 * not a known family, or when the layers do not fit together at the input size.
 */
export function recogniseClassifier(stateDict: ReadonlyMap<string, NdArray>, opts: RebuildOptions = {}): NetworkIR {
  const prefix = classifierPrefix(stateDict);
  const sd = new StateDictView(stateDict, prefix);
  const notes: string[] = [];
  if (prefix) notes.push(`the classifier's tensors sit under '${prefix}' in the checkpoint; other entries are not part of it`);
  const ops: LayerOp[] = [];
  let architecture: string;
  let input: NetworkIR['input'];
  let backboneOut: string;
  let pooled = false;
  if (looksLikeResNet(sd)) {
    const r = buildResNet(sd);
    ({ architecture } = r);
    ops.push(...r.ops);
    notes.push(...r.notes);
    input = { channels: r.channels };
    backboneOut = r.output;
    if (opts.noPool) throw new UnrecognisedLayout(`${architecture} with --no-pool: the bottleneck would get a feature map, not a vector; tllib runs with ResNets pool`);
    ops.push({ op: 'gap', input: r.output, output: 'pool' });
    backboneOut = 'pool';
    pooled = true;
  } else {
    const family = matchDigitFamily(sd);
    if (!family) {
      const bk = sd.keys().filter((k) => k.startsWith('backbone.'));
      throw new UnrecognisedLayout(`backbone layout matches no known family (torchvision ResNet, tllib LeNet/DTN); first keys: ${bk.slice(0, UNMATCHED_KEYS_SHOWN).map((k) => `${prefix}${k} [${sd.shape(k)!.join(', ')}]`).join(', ')}`);
    }
    const d = buildDigitBackbone(sd, family, opts.inputSize);
    architecture = d.architecture;
    ops.push(...d.ops);
    notes.push(...d.notes);
    input = { channels: d.channels, height: d.height, width: d.width };
    backboneOut = d.output;
  }
  const bneck = bottleneckOps(sd, backboneOut);
  ops.push(...bneck.ops);
  const head = headOps(sd, bneck.output);
  ops.push(...head.ops);
  // MDD's adversarial head is trained against the main head but never predicts.
  if (sd.keys().some((k) => k.startsWith('adv_head.'))) {
    for (const k of sd.keys()) if (k.startsWith('adv_head.')) sd.ignore(k);
    notes.push("adv_head (MDD's adversarial head) is not used for predictions: ignored");
  }
  sd.assertAllUsed(`${architecture} classifier`);
  ops.push(
    { op: 'identity', input: backboneOut, output: 'backbone' },
    { op: 'identity', input: bneck.output, output: 'features' },
    { op: 'identity', input: head.output, output: 'logits' },
  );
  const h = input.height ?? opts.inputSize?.height ?? CHECK_SIZE;
  const w = input.width ?? opts.inputSize?.width ?? CHECK_SIZE;
  let shapes: Map<string, number[]>;
  try {
    shapes = inferShapes(ops, [input.channels, h, w]);
  } catch (err) {
    if (err instanceof LayoutMismatch) throw new UnrecognisedLayout(`${architecture} classifier does not fit together at ${h}x${w}: ${err.message}`);
    throw err;
  }
  const width = (v: string) => {
    const s = shapes.get(v)!;
    if (s.length !== 1) throw new UnrecognisedLayout(`${architecture}: '${v}' is a feature map [${s.join(', ')}], expected a vector`);
    return s[0]!;
  };
  const dims = { backbone: width('backbone'), features: width('features'), logits: width('logits') };
  if (!pooled && opts.noPool === false) notes.push(`${architecture} ends flat (Flatten + Linear): no pooling layer`);
  return { architecture, input, ops, numClasses: dims.logits, dims, notes };
}
