// Runs a NetworkIR on TF.js (the backend ladder in evaluate/backend.ts): NHWC tensors, weights laid out once
// (conv OIHW -> HWIO), BatchNorms folded, every activation freed after its last reader, so only the three outputs leave a call.
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../evaluate/backend.js';
import type { ForwardOutputs, ImageBatch, RebuiltNetwork } from '../types.js';
import type { LayerOp, NetworkIR } from './ir.js';
import { INPUT, OUTPUTS, opInputs } from './ir.js';
import { foldBatchNorms } from './fold-bn.js';
import { rowsPerCall } from './batching.js';
import { checkBatch } from './check-batch.js';

export interface TfjsEngineOptions {
  /** a rung of the ladder to force ('wasm', 'cpu', ...); default: the best that loads */
  backend?: string;
}

/** OIHW -> HWIO, TF's filter layout. */
function toHwio(w: Float32Array, [o, i, kh, kw]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(w.length);
  for (let a = 0; a < o; a++) for (let b = 0; b < i; b++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[((y * kw + x) * i + b) * o + a] = w[((a * i + b) * kh + y) * kw + x]!;
  }
  return out;
}

interface Prepared { op: LayerOp; w?: Tensor; b?: Tensor }

export async function tfjsNetwork(ir: NetworkIR, opts: TfjsEngineOptions = {}): Promise<RebuiltNetwork> {
  const be = await loadBackend(opts.backend === undefined ? {} : { backend: opts.backend });
  const tf: Tf = be.tf;
  const prepared: Prepared[] = foldBatchNorms(ir.ops).map((op) => {
    if (op.op === 'conv') {
      const [o, i, kh, kw] = op.shape;
      return { op, w: tf.tensor4d(toHwio(op.weight, op.shape), [kh, kw, i, o]), b: op.bias && tf.tensor1d(op.bias) };
    }
    if (op.op === 'linear') return { op, w: tf.tensor2d(op.weight, op.shape), b: op.bias && tf.tensor1d(op.bias) };
    if (op.op === 'bn') throw new Error(`${op.output}: a BatchNorm not preceded by a conv or Linear is not supported`);
    return { op };
  });
  // Each value is freed right after its last reader (tf.tidy over the whole pass would hold every activation of a
  // ResNet-50 until the end: ~100 MB per image); temporaries inside one op are freed by a tidy around it.
  const lastUse = new Map<string, number>();
  prepared.forEach(({ op }, i) => { for (const n of opInputs(op)) lastUse.set(n, i); });
  const keep = new Set<string>(OUTPUTS);
  const apply = ({ op, w, b }: Prepared, v: Map<string, Tensor>): Tensor => {
    const a = v.get(op.op === 'add' ? op.inputs[0] : op.input)!;
    let y: Tensor;
    switch (op.op) {
      case 'conv': {
        const [ph, pw] = op.pad;
        const pad = ph === pw ? ph : ([[0, 0], [ph, ph], [pw, pw], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]);
        y = tf.conv2d(a as Tensor4D, w as Tensor4D, op.stride, pad);
        return b ? tf.add(y, b) : y;
      }
      case 'linear':
        y = tf.matMul(a as Tensor2D, w as Tensor2D, false, true);
        return b ? tf.add(y, b) : y;
      case 'relu': return tf.relu(a);
      case 'maxpool': return tf.maxPool(a as Tensor4D, op.kernel, op.stride, op.pad);
      case 'gap': return tf.mean(a, [1, 2]);
      // PyTorch flattens channel-major: back to NCHW first
      case 'flatten': return a.rank === 4 ? tf.reshape(tf.transpose(a, [0, 3, 1, 2]), [a.shape[0]!, -1]) : a;
      case 'add': return tf.add(a, v.get(op.inputs[1])!);
      case 'identity': return a;
      case 'bn': throw new Error('unreachable: folded');
    }
  };
  const run = (x: Tensor4D): Tensor[] => {
    const v = new Map<string, Tensor>();
    const refs = new Map<Tensor, number>(); // an identity gives one tensor two names
    const put = (name: string, t: Tensor) => { v.set(name, t); refs.set(t, (refs.get(t) ?? 0) + 1); };
    const drop = (name: string) => {
      const t = v.get(name)!;
      v.delete(name);
      const r = refs.get(t)! - 1;
      if (r > 0) refs.set(t, r);
      else { refs.delete(t); t.dispose(); }
    };
    put(INPUT, tf.transpose(x, [0, 2, 3, 1]));
    prepared.forEach((p, i) => {
      put(p.op.output, tf.tidy(() => apply(p, v)));
      for (const n of new Set(opInputs(p.op))) if (lastUse.get(n) === i && !keep.has(n)) drop(n);
    });
    return OUTPUTS.map((o) => v.get(o)!);
  };
  let disposed = false;
  return {
    architecture: ir.architecture,
    input: { ...ir.input },
    numClasses: ir.numClasses,
    engine: `tfjs (${be.name})`,
    notes: [`TF.js backend ${be.reason}`],
    async forward(batch: ImageBatch, signal?: AbortSignal): Promise<ForwardOutputs> {
      if (disposed) throw new Error('network already disposed');
      checkBatch(ir, batch);
      const rows = rowsPerCall(ir, batch.height, batch.width);
      const per = batch.channels * batch.height * batch.width;
      const out = OUTPUTS.map((o) => ({ rows: batch.n, cols: ir.dims[o], data: new Float32Array(batch.n * ir.dims[o]) }));
      for (let r0 = 0; r0 < batch.n; r0 += rows) {
        signal?.throwIfAborted();
        const r1 = Math.min(batch.n, r0 + rows);
        const x = tf.tensor4d(batch.data.subarray(r0 * per, r1 * per), [r1 - r0, batch.channels, batch.height, batch.width]);
        let ys: Tensor[];
        try {
          ys = run(x);
        } finally {
          x.dispose();
        }
        try {
          for (let k = 0; k < ys.length; k++) out[k]!.data.set((await ys[k]!.data()) as Float32Array, r0 * out[k]!.cols);
        } finally {
          for (const y of ys) y.dispose();
        }
      }
      return { backbone: out[0]!, features: out[1]!, logits: out[2]! };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const p of prepared) { p.w?.dispose(); p.b?.dispose(); }
    },
  };
}
