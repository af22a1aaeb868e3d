// Eval-mode BatchNorm is an affine map per channel, so a BN right after a conv or Linear folds into its weights:
// w' = w * s, b' = (b - mean) * s + beta with s = gamma / sqrt(var + eps). Both engines then run one op instead of
// two (onnxruntime would fuse them too; TF.js would not). Folded in float64, rounded once to float32.
import type { BatchNormOp, ConvOp, LayerOp, LinearOp } from './ir.js';
import { opInputs } from './ir.js';

function fold(layer: ConvOp | LinearOp, bn: BatchNormOp): ConvOp | LinearOp {
  const out = layer.shape[0];
  const per = layer.weight.length / out;
  const weight = new Float32Array(layer.weight.length);
  const bias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const s = bn.gamma[o]! / Math.sqrt(bn.variance[o]! + bn.eps);
    for (let j = o * per; j < (o + 1) * per; j++) weight[j] = layer.weight[j]! * s;
    bias[o] = ((layer.bias?.[o] ?? 0) - bn.mean[o]!) * s + bn.beta[o]!;
  }
  return { ...layer, output: bn.output, weight, bias };
}

/** The ops with every BN that directly follows a conv/Linear (whose output nothing else reads) folded into it. */
export function foldBatchNorms(ops: readonly LayerOp[]): LayerOp[] {
  const readers = new Map<string, number>();
  for (const op of ops) for (const i of opInputs(op)) readers.set(i, (readers.get(i) ?? 0) + 1);
  const producer = new Map<string, number>();
  const out: (LayerOp | null)[] = [];
  for (const op of ops) {
    if (op.op === 'bn' && readers.get(op.input) === 1 && producer.has(op.input)) {
      const at = producer.get(op.input)!;
      const prev = out[at]!;
      if (prev.op === 'conv' || prev.op === 'linear') {
        out[at] = fold(prev, op);
        producer.delete(op.input);
        producer.set(op.output, at);
        continue;
      }
    }
    producer.set(op.output, out.length);
    out.push(op);
  }
  return out.filter((o): o is LayerOp => o !== null);
}
