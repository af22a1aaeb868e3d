// The rebuilt network as a small layer graph (IR): what the recogniser produces from a state_dict and every engine
// (onnxruntime, TF.js) compiles. Values are named; each op reads named values and writes one. Weights are float32
// in PyTorch's own layouts (conv OIHW, linear [out, in]) so the engines decide how to lay them out.

/** PyTorch's BatchNorm default eps (tllib never changes it). */
export const BN_EPS = 1e-5;

export interface ConvOp {
  op: 'conv';
  input: string;
  output: string;
  /** [outChannels, inChannels, kh, kw], PyTorch's OIHW */
  shape: [number, number, number, number];
  weight: Float32Array;
  bias?: Float32Array;
  stride: [number, number];
  /** symmetric zero padding [ph, pw], as nn.Conv2d's padding= */
  pad: [number, number];
}
/** Eval-mode BatchNorm (1d on [N, C] or 2d on [N, C, H, W]) with running statistics. */
export interface BatchNormOp {
  op: 'bn';
  input: string;
  output: string;
  mean: Float32Array;
  variance: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  eps: number;
}
export interface ReluOp { op: 'relu'; input: string; output: string }
/** nn.MaxPool2d: padding is -inf (ignored), floor mode. */
export interface MaxPoolOp { op: 'maxpool'; input: string; output: string; kernel: number; stride: number; pad: number }
/** AdaptiveAvgPool2d(1) + Flatten: [N, C, H, W] -> [N, C]. */
export interface GlobalAvgPoolOp { op: 'gap'; input: string; output: string }
/** nn.Flatten(): [N, C, H, W] -> [N, C*H*W] in C order (channel-major). */
export interface FlattenOp { op: 'flatten'; input: string; output: string }
export interface LinearOp {
  op: 'linear';
  input: string;
  output: string;
  /** [out, in] */
  shape: [number, number];
  weight: Float32Array;
  bias?: Float32Array;
}
export interface AddOp { op: 'add'; inputs: [string, string]; output: string }
/** Same value under another name (an Identity bottleneck: features = backbone). */
export interface IdentityOp { op: 'identity'; input: string; output: string }

export type LayerOp = ConvOp | BatchNormOp | ReluOp | MaxPoolOp | GlobalAvgPoolOp | FlattenOp | LinearOp | AddOp | IdentityOp;

/** The graph's input value. */
export const INPUT = 'x';
/** The graph's three outputs, as ForwardOutputs names them. */
export const OUTPUTS = ['backbone', 'features', 'logits'] as const;

export interface NetworkIR {
  /** 'resnet50', 'lenet', 'dtn', ... */
  architecture: string;
  /** input channels; fixed height/width when a flatten layer ties the network to one input size */
  input: { channels: number; height?: number; width?: number };
  ops: LayerOp[];
  numClasses: number;
  /** widths of the three outputs */
  dims: { backbone: number; features: number; logits: number };
  /** choices the recogniser made that a reader should know (solved padding, ignored keys) */
  notes: string[];
}

/** The op's input value names. */
export function opInputs(op: LayerOp): string[] {
  return op.op === 'add' ? [...op.inputs] : [op.input];
}
