// Per-image shapes through the IR (batch dimension left out): checks that the recognised layers fit together at an
// input size, and gives the flatten width the digit backbones' Linear must match.
import type { LayerOp } from './ir.js';
import { INPUT, opInputs } from './ir.js';

/** [C, H, W] for feature maps, [D] for vectors. */
export type ValueShape = number[];

export class LayoutMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayoutMismatch';
  }
}

/** PyTorch's floor-mode output length of a sliding window. */
export function windowOut(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/**
 * Walks the ops from an input of `input` shape; throws LayoutMismatch naming the op whose input does not fit
 * (wrong channel count, a map shrunk to nothing, a Linear fed the wrong width).
 */
export function inferShapes(ops: readonly LayerOp[], input: ValueShape): Map<string, ValueShape> {
  const shapes = new Map<string, ValueShape>([[INPUT, input]]);
  const get = (name: string): ValueShape => {
    const s = shapes.get(name);
    if (!s) throw new LayoutMismatch(`value '${name}' is read before it is written`);
    return s;
  };
  for (const op of ops) {
    const [a] = opInputs(op).map(get) as [ValueShape];
    let out: ValueShape;
    switch (op.op) {
      case 'conv': {
        if (a.length !== 3 || a[0] !== op.shape[1]) throw new LayoutMismatch(`${op.output}: conv expects ${op.shape[1]} input channels, gets shape [${a.join(', ')}]`);
        const h = windowOut(a[1]!, op.shape[2], op.stride[0], op.pad[0]);
        const w = windowOut(a[2]!, op.shape[3], op.stride[1], op.pad[1]);
        if (h < 1 || w < 1) throw new LayoutMismatch(`${op.output}: a ${a[1]}x${a[2]} map is too small for this conv`);
        out = [op.shape[0], h, w];
        break;
      }
      case 'maxpool': {
        if (a.length !== 3) throw new LayoutMismatch(`${op.output}: max-pool needs a feature map`);
        const h = windowOut(a[1]!, op.kernel, op.stride, op.pad);
        const w = windowOut(a[2]!, op.kernel, op.stride, op.pad);
        if (h < 1 || w < 1) throw new LayoutMismatch(`${op.output}: a ${a[1]}x${a[2]} map is too small for this max-pool`);
        out = [a[0]!, h, w];
        break;
      }
      case 'bn':
        if (a[0] !== op.mean.length) throw new LayoutMismatch(`${op.output}: batch norm over ${op.mean.length} channels gets shape [${a.join(', ')}]`);
        out = a;
        break;
      case 'gap':
        if (a.length !== 3) throw new LayoutMismatch(`${op.output}: pooling needs a feature map`);
        out = [a[0]!];
        break;
      case 'flatten':
        out = [a.reduce((p, d) => p * d, 1)];
        break;
      case 'linear':
        if (a.length !== 1 || a[0] !== op.shape[1]) throw new LayoutMismatch(`${op.output}: Linear expects ${op.shape[1]} inputs, gets shape [${a.join(', ')}]`);
        out = [op.shape[0]];
        break;
      case 'add': {
        const b = get(op.inputs[1]);
        if (a.join() !== b.join()) throw new LayoutMismatch(`${op.output}: adding shapes [${a.join(', ')}] and [${b.join(', ')}]`);
        out = a;
        break;
      }
      case 'relu':
      case 'identity':
        out = a;
        break;
    }
    shapes.set(op.output, out);
  }
  return shapes;
}
