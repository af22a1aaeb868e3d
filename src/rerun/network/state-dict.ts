// Reading a state_dict for rebuilding: tensors by key as float32 with their shapes checked, every key used marked, and
// the keys no layer claimed reported by name (an unknown layout is an error, never a guess).
import type { NdArray } from '../../model/ndarray.js';
import { BN_EPS, type BatchNormOp, type ConvOp, type LinearOp } from './ir.js';

/** How many unmatched keys an error names (enough to see the pattern, short enough for one line). */
export const UNMATCHED_KEYS_SHOWN = 4;

export class UnrecognisedLayout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecognisedLayout';
  }
}

export class StateDictView {
  private readonly used = new Set<string>();
  /** keys under `prefix` (the checkpoint may nest the model, e.g. 'model.' or DataParallel's 'module.') */
  constructor(private readonly sd: ReadonlyMap<string, NdArray>, readonly prefix: string) {}

  has(key: string): boolean {
    return this.sd.has(this.prefix + key);
  }
  keys(): string[] {
    return [...this.sd.keys()].filter((k) => k.startsWith(this.prefix)).map((k) => k.slice(this.prefix.length));
  }
  shape(key: string): number[] | undefined {
    return this.sd.get(this.prefix + key)?.shape;
  }
  /** The tensor as float32, marked used; throws when absent or of another rank/shape than `shape` (-1 = any). */
  take(key: string, shape: readonly number[]): Float32Array {
    const a = this.sd.get(this.prefix + key);
    if (!a) throw new UnrecognisedLayout(`missing tensor '${this.prefix + key}'`);
    const ok = a.shape.length === shape.length && shape.every((d, i) => d < 0 || d === a.shape[i]);
    if (!ok) throw new UnrecognisedLayout(`'${this.prefix + key}' has shape [${a.shape.join(', ')}], expected [${shape.map((d) => (d < 0 ? '?' : d)).join(', ')}]`);
    this.used.add(key);
    return a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>);
  }
  /** Marks keys as known but not needed for the forward pass (num_batches_tracked, an unused fc). */
  ignore(key: string): void {
    if (this.has(key)) this.used.add(key);
  }
  unused(): string[] {
    return this.keys().filter((k) => !this.used.has(k));
  }
  /** Throws naming the first unclaimed keys, if any. */
  assertAllUsed(what: string): void {
    const left = this.unused();
    if (left.length === 0) return;
    const shown = left.slice(0, UNMATCHED_KEYS_SHOWN).map((k) => `${this.prefix}${k} [${this.shape(k)!.join(', ')}]`);
    const more = left.length > UNMATCHED_KEYS_SHOWN ? ` and ${left.length - UNMATCHED_KEYS_SHOWN} more` : '';
    throw new UnrecognisedLayout(`${what}: ${left.length} key(s) match no known layer: ${shown.join(', ')}${more}`);
  }

  /** nn.Conv2d at `name` (weight, optional bias). */
  conv(name: string, input: string, output: string, stride: [number, number], pad: [number, number]): ConvOp {
    const s = this.shape(`${name}.weight`);
    if (!s || s.length !== 4) throw new UnrecognisedLayout(`'${this.prefix}${name}.weight' is not a 4-D conv weight`);
    const shape = s as ConvOp['shape'];
    const weight = this.take(`${name}.weight`, shape);
    const bias = this.has(`${name}.bias`) ? this.take(`${name}.bias`, [shape[0]]) : undefined;
    return { op: 'conv', input, output, shape, weight, bias, stride, pad };
  }
  /** nn.BatchNorm1d/2d at `name` in eval mode; affine=False (no weight/bias) is gamma 1, beta 0. */
  bn(name: string, input: string, output: string, channels: number): BatchNormOp {
    const mean = this.take(`${name}.running_mean`, [channels]);
    const variance = this.take(`${name}.running_var`, [channels]);
    const gamma = this.has(`${name}.weight`) ? this.take(`${name}.weight`, [channels]) : new Float32Array(channels).fill(1);
    const beta = this.has(`${name}.bias`) ? this.take(`${name}.bias`, [channels]) : new Float32Array(channels);
    this.ignore(`${name}.num_batches_tracked`);
    return { op: 'bn', input, output, mean, variance, gamma, beta, eps: BN_EPS };
  }
  /** nn.Linear at `name`. */
  linear(name: string, input: string, output: string): LinearOp {
    const s = this.shape(`${name}.weight`);
    if (!s || s.length !== 2) throw new UnrecognisedLayout(`'${this.prefix}${name}.weight' is not a 2-D Linear weight`);
    const shape = s as LinearOp['shape'];
    const weight = this.take(`${name}.weight`, shape);
    const bias = this.has(`${name}.bias`) ? this.take(`${name}.bias`, [shape[0]]) : undefined;
    return { op: 'linear', input, output, shape, weight, bias };
  }
  isConv(name: string): boolean {
    return this.shape(`${name}.weight`)?.length === 4;
  }
  isLinear(name: string): boolean {
    return this.shape(`${name}.weight`)?.length === 2;
  }
  isBn(name: string): boolean {
    return this.has(`${name}.running_mean`);
  }
}
