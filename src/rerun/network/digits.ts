// tllib's digit backbones (tllib/vision/models/digits.py), nn.Sequential so their keys are 'backbone.<index>':
//   LeNet = Conv2d(1,20,5), MaxPool2d(2), ReLU, Conv2d(20,50,5), Dropout2d, MaxPool2d(2), ReLU, Flatten,
//           Linear(800,500), ReLU, Dropout                     -> parameters at 0, 3, 8
//   DTN   = [Conv2d(k5,s2,p2), BatchNorm2d, Dropout2d, ReLU] x3, Flatten, Linear(4096,512), BatchNorm1d, ReLU, Dropout
//                                                              -> parameters at 0,1, 4,5, 8,9, 13,14
// Widths and kernel sizes are read from the weights (narrow or 3x3 variants keep the same indices). Stride and
// padding are not in a state_dict: they are solved so the flattened map has exactly the Linear's in_features at
// the input size the run's transform produces, trying the family's own geometry first.
import type { LayerOp } from './ir.js';
import { INPUT } from './ir.js';
import { inferShapes, LayoutMismatch } from './shapes.js';
import { StateDictView, UnrecognisedLayout } from './state-dict.js';

type Slot = 'conv' | 'bn' | 'relu' | 'maxpool' | 'dropout' | 'flatten' | 'linear';

interface Geometry { stride: number; pad: (kernel: number) => number; label: string }
const TLLIB_LENET: Geometry = { stride: 1, pad: () => 0, label: 'stride 1, no padding' };
const SAME: Geometry = { stride: 1, pad: (k) => Math.floor(k / 2), label: "stride 1, 'same' padding (kernel/2)" };
const STRIDED_SAME: Geometry = { stride: 2, pad: (k) => Math.floor(k / 2), label: 'stride 2, padding kernel/2' };
const STRIDED_VALID: Geometry = { stride: 2, pad: () => 0, label: 'stride 2, no padding' };

interface DigitFamily {
  name: string;
  slots: Slot[];
  /** conv geometries tried in this order (the family's own first); every conv of the backbone shares one */
  geometries: Geometry[];
}

/** nn.MaxPool2d(2) in both families. */
const POOL = { kernel: 2, stride: 2, pad: 0 };

export const DIGIT_FAMILIES: readonly DigitFamily[] = [
  {
    name: 'lenet',
    slots: ['conv', 'maxpool', 'relu', 'conv', 'dropout', 'maxpool', 'relu', 'flatten', 'linear', 'relu', 'dropout'],
    geometries: [TLLIB_LENET, SAME, STRIDED_SAME, STRIDED_VALID],
  },
  {
    name: 'dtn',
    slots: ['conv', 'bn', 'dropout', 'relu', 'conv', 'bn', 'dropout', 'relu', 'conv', 'bn', 'dropout', 'relu', 'flatten', 'linear', 'bn', 'relu', 'dropout'],
    geometries: [STRIDED_SAME, SAME, TLLIB_LENET, STRIDED_VALID],
  },
];

/** Square input sizes searched when the run's transform did not give one (digits are 28 or 32; allow some room). */
const MIN_SEARCH_SIZE = 8;
const MAX_SEARCH_SIZE = 256;

/** The indices under `backbone.` that carry parameters, with what they look like. */
function paramSlots(sd: StateDictView, prefix: string): Map<number, Slot> {
  const out = new Map<number, Slot>();
  for (const k of sd.keys()) {
    const m = new RegExp(`^${prefix.replace('.', '\\.')}(\\d+)\\.`).exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    const name = `${prefix}${i}`;
    out.set(i, sd.isConv(name) ? 'conv' : sd.isBn(name) ? 'bn' : sd.isLinear(name) ? 'linear' : 'dropout' /* unknown: never matches */);
  }
  return out;
}

/** The family whose parameter-bearing slots are exactly the ones in the state_dict, or undefined. */
export function matchDigitFamily(sd: StateDictView): DigitFamily | undefined {
  const found = paramSlots(sd, 'backbone.');
  if (found.size === 0) return undefined;
  return DIGIT_FAMILIES.find((f) => {
    const want = new Map(f.slots.flatMap((s, i) => (s === 'conv' || s === 'bn' || s === 'linear' ? [[i, s] as const] : [])));
    return want.size === found.size && [...want].every(([i, s]) => found.get(i) === s);
  });
}

function buildOps(sd: StateDictView, family: DigitFamily, g: Geometry): { ops: LayerOp[]; output: string } {
  const ops: LayerOp[] = [];
  let cur = INPUT;
  let width = 0; // channels (or features) of `cur`, for BatchNorm
  family.slots.forEach((slot, i) => {
    const name = `backbone.${i}`;
    const out = `backbone_${i}`;
    switch (slot) {
      case 'conv': {
        const k = sd.shape(`${name}.weight`)!;
        const op = sd.conv(name, cur, out, [g.stride, g.stride], [g.pad(k[2]!), g.pad(k[3]!)]);
        width = op.shape[0];
        ops.push(op);
        break;
      }
      case 'bn': ops.push(sd.bn(name, cur, out, width)); break;
      case 'linear': { const op = sd.linear(name, cur, out); width = op.shape[0]; ops.push(op); break; }
      case 'relu': ops.push({ op: 'relu', input: cur, output: out }); break;
      case 'maxpool': ops.push({ op: 'maxpool', input: cur, output: out, ...POOL }); break;
      case 'flatten': ops.push({ op: 'flatten', input: cur, output: out }); break;
      case 'dropout': return; // identity in eval mode
    }
    cur = out;
  });
  return { ops, output: cur };
}

export interface DigitBackbone {
  architecture: string;
  ops: LayerOp[];
  output: string;
  channels: number;
  height: number;
  width: number;
  notes: string[];
}

/**
 * Builds the digit backbone at `inputSize` (or, without one, the smallest square input that fits), choosing the
 * conv geometry by the flatten width. Throws UnrecognisedLayout when no geometry fits, listing what each gives.
 */
export function buildDigitBackbone(sd: StateDictView, family: DigitFamily, inputSize?: { height: number; width: number }): DigitBackbone {
  const channels = sd.shape('backbone.0.weight')![1]!;
  const fits = (g: Geometry, h: number, w: number): { ops: LayerOp[]; output: string } | string => {
    const built = buildOps(sd, family, g);
    try {
      inferShapes(built.ops, [channels, h, w]);
      return built;
    } catch (err) {
      if (err instanceof LayoutMismatch) return err.message;
      throw err;
    }
  };
  const kernels = family.slots.flatMap((s, i) => (s === 'conv' ? [sd.shape(`backbone.${i}.weight`)![2]!] : []));
  const notes: string[] = [];
  if (inputSize) {
    const ok: { g: Geometry; built: { ops: LayerOp[]; output: string } }[] = [];
    const why: string[] = [];
    for (const g of family.geometries) {
      const r = fits(g, inputSize.height, inputSize.width);
      if (typeof r === 'string') why.push(`${g.label}: ${r}`);
      else ok.push({ g, built: r });
    }
    if (ok.length === 0) {
      throw new UnrecognisedLayout(`${family.name} backbone (kernels ${kernels.join(', ')}) does not fit a ${inputSize.height}x${inputSize.width} input with any conv geometry tried (${why.join('; ')})`);
    }
    const chosen = ok[0]!;
    notes.push(`${family.name}: conv ${chosen.g.label} (kernels ${kernels.join(', ')}), the geometry whose flattened map matches the Linear at ${inputSize.height}x${inputSize.width}` +
      (ok.length > 1 ? `; ${ok.slice(1).map((o) => o.g.label).join(', ')} would also fit` : ''));
    return { architecture: family.name, ...chosen.built, channels, height: inputSize.height, width: inputSize.width, notes };
  }
  for (const g of family.geometries) {
    for (let s = MIN_SEARCH_SIZE; s <= MAX_SEARCH_SIZE; s++) {
      const r = fits(g, s, s);
      if (typeof r === 'string') continue;
      notes.push(`${family.name}: no input size given; ${s}x${s} is the smallest square input that fits, with conv ${g.label} (kernels ${kernels.join(', ')})`);
      return { architecture: family.name, ...r, channels, height: s, width: s, notes };
    }
  }
  throw new UnrecognisedLayout(`${family.name} backbone (kernels ${kernels.join(', ')}): no square input from ${MIN_SEARCH_SIZE} to ${MAX_SEARCH_SIZE} px fits its Linear layer`);
}
