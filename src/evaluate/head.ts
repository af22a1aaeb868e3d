// Rebuilds a tllib classifier's bottleneck + head (eval mode) from its state_dict as dense layers.
import type { NdArray } from '../model/ndarray.js';
import type { DenseLayer } from './mlp.js';

/** torch.nn.BatchNorm1d default eps (tllib does not change it). */
export const BN_EPS = 1e-5;

export interface TllibHead {
  /** key prefix before 'head.weight' ('' for a plain tllib ImageClassifier, 'module.' after DataParallel ...) */
  prefix: string;
  /** width of the features the bottleneck takes (the backbone's output) */
  inDim: number;
  /** width of the bottleneck output (what tllib dumps as `*_features`); null when there is no bottleneck */
  bottleneckDim: number | null;
  numClasses: number;
  bottleneckBatchNorm: boolean;
  /** bottleneck as dense layers (BatchNorm folded into the Linear, eval mode with running stats, then ReLU) */
  bottleneck: DenseLayer[];
  head: DenseLayer;
  /** bottleneck BN's num_batches_tracked: how many training iterations updated it */
  batchesTracked?: number;
}

const f32 = (a: NdArray): Float32Array => (a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>));

/**
 * Finds `<prefix>head.weight/bias` and, when present, `<prefix>bottleneck.0` (Linear) + `<prefix>bottleneck.1`
 * (BatchNorm1d with running stats) as in tllib's ImageClassifier (bottleneck = Linear, BN1d, ReLU). The BN is folded
 * into the Linear: scale = gamma / sqrt(running_var + eps), W' = scale * W, b' = scale * (b - running_mean) + beta,
 * exactly the eval-mode function. Returns null when the state_dict has no head; throws on inconsistent shapes.
 */
export function headFromStateDict(sd: ReadonlyMap<string, NdArray>): TllibHead | null {
  const headKey = [...sd.keys()].find((k) => k === 'head.weight' || k.endsWith('.head.weight'));
  if (!headKey) return null;
  const prefix = headKey.slice(0, -'head.weight'.length);
  const get = (k: string) => sd.get(prefix + k);
  const hw = get('head.weight')!;
  const hb = get('head.bias');
  if (hw.shape.length !== 2) throw new Error(`${prefix}head.weight has shape [${hw.shape.join(', ')}], expected [classes, features]`);
  const [numClasses, headIn] = hw.shape as [number, number];
  const head: DenseLayer = {
    name: `${prefix}head`, inDim: headIn, outDim: numClasses, w: f32(hw),
    b: hb ? f32(hb) : new Float32Array(numClasses), relu: false,
  };
  const bw = get('bottleneck.0.weight');
  if (!bw) {
    return { prefix, inDim: headIn, bottleneckDim: null, numClasses, bottleneckBatchNorm: false, bottleneck: [], head };
  }
  if (bw.shape.length !== 2 || bw.shape[0] !== headIn) {
    throw new Error(`${prefix}bottleneck.0.weight has shape [${bw.shape.join(', ')}], expected [${headIn}, features]`);
  }
  const [out, inDim] = bw.shape as [number, number];
  const w = Float32Array.from(f32(bw));
  const bb = get('bottleneck.0.bias');
  const b = bb ? Float32Array.from(f32(bb)) : new Float32Array(out);
  const rm = get('bottleneck.1.running_mean');
  const rv = get('bottleneck.1.running_var');
  const hasBn = rm !== undefined && rv !== undefined;
  if (hasBn) {
    const gamma = get('bottleneck.1.weight');
    const beta = get('bottleneck.1.bias');
    const rmv = f32(rm);
    const rvv = f32(rv);
    for (let o = 0; o < out; o++) {
      const scale = (gamma ? Number(gamma.data[o]) : 1) / Math.sqrt(rvv[o]! + BN_EPS);
      for (let i = 0; i < inDim; i++) w[o * inDim + i]! *= scale;
      b[o] = scale * (b[o]! - rmv[o]!) + (beta ? Number(beta.data[o]) : 0);
    }
  }
  const tracked = get('bottleneck.1.num_batches_tracked');
  return {
    prefix, inDim, bottleneckDim: out, numClasses, bottleneckBatchNorm: hasBn,
    bottleneck: [{ name: `${prefix}bottleneck`, inDim, outDim: out, w, b, relu: true }],
    head,
    ...(tracked && tracked.data.length === 1 ? { batchesTracked: Number(tracked.data[0]) } : {}),
  };
}
