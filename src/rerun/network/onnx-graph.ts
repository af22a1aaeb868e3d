// NetworkIR -> ONNX ModelProto bytes (opset 13) with input 'x' [N, C, H, W] and outputs backbone/features/logits,
// for onnxruntime's CPU provider. Written with our protobuf writer (evaluate/onnx-proto.ts); BatchNorms are folded
// first, so the graph uses only Conv, Relu, MaxPool, GlobalAveragePool, Flatten, Gemm, Add and Identity.
import { type Bytes, cat, intField, bytesField, strField, msg } from '../../evaluate/onnx-proto.js';
import type { LayerOp, NetworkIR } from './ir.js';
import { INPUT, OUTPUTS } from './ir.js';
import { foldBatchNorms } from './fold-bn.js';

/** IR 8 / opset 13: read by every onnxruntime since 1.10; none of these ops changed since. */
const ONNX_IR_VERSION = 8;
const ONNX_OPSET = 13;
const ONNX_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

function tensor(name: string, dims: number[], data: Float32Array): Bytes {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // raw_data is little-endian, as our hosts are
  return msg(5, [...dims.map((d) => intField(1, d)), intField(2, ONNX_FLOAT), strField(8, name), bytesField(9, raw)]);
}
/** dims: a number is fixed, a string a symbolic dimension. */
function valueInfo(field: number, name: string, dims: (number | string)[]): Bytes {
  const shape = msg(2, dims.map((d) => msg(1, [typeof d === 'number' ? intField(1, d) : strField(2, d)])));
  return msg(field, [strField(1, name), msg(2, [msg(1, [intField(1, ONNX_FLOAT), shape])])]);
}
const intAttr = (name: string, v: number): Bytes => msg(5, [strField(1, name), intField(3, v), intField(20, ATTR_INT)]);
const intsAttr = (name: string, v: number[]): Bytes => msg(5, [strField(1, name), ...v.map((x) => intField(8, x)), intField(20, ATTR_INTS)]);
function node(op: string, inputs: string[], output: string, attrs: Bytes[] = []): Bytes {
  return msg(1, [...inputs.map((i) => strField(1, i)), strField(2, output), strField(3, `${op}_${output}`), strField(4, op), ...attrs]);
}

function opNodes(op: LayerOp, inits: Bytes[]): Bytes[] {
  switch (op.op) {
    case 'conv': {
      const [o, , kh, kw] = op.shape;
      const w = `${op.output}.w`;
      inits.push(tensor(w, op.shape, op.weight));
      const inputs = [op.input, w];
      if (op.bias) { inits.push(tensor(`${op.output}.b`, [o], op.bias)); inputs.push(`${op.output}.b`); }
      return [node('Conv', inputs, op.output, [intsAttr('kernel_shape', [kh, kw]), intsAttr('strides', op.stride), intsAttr('pads', [op.pad[0], op.pad[1], op.pad[0], op.pad[1]])])];
    }
    case 'linear': {
      const w = `${op.output}.w`;
      inits.push(tensor(w, op.shape, op.weight));
      const b = op.bias ?? new Float32Array(op.shape[0]);
      inits.push(tensor(`${op.output}.b`, [op.shape[0]], b));
      return [node('Gemm', [op.input, w, `${op.output}.b`], op.output, [intAttr('transB', 1)])];
    }
    case 'bn':
      // foldBatchNorms folds every BN of the recognised families into the conv/Linear before it
      throw new Error(`${op.output}: a BatchNorm not preceded by a conv or Linear cannot be exported`);
    case 'relu': return [node('Relu', [op.input], op.output)];
    case 'maxpool': return [node('MaxPool', [op.input], op.output, [intsAttr('kernel_shape', [op.kernel, op.kernel]), intsAttr('strides', [op.stride, op.stride]), intsAttr('pads', [op.pad, op.pad, op.pad, op.pad])])];
    case 'gap': return [node('GlobalAveragePool', [op.input], `${op.output}.4d`), node('Flatten', [`${op.output}.4d`], op.output, [intAttr('axis', 1)])];
    case 'flatten': return [node('Flatten', [op.input], op.output, [intAttr('axis', 1)])];
    case 'add': return [node('Add', [...op.inputs], op.output)];
    case 'identity': return [node('Identity', [op.input], op.output)];
  }
}

/** The ONNX model for `ir`. Bytes ~ the float32 weights (ResNet-50: ~94 MB). */
export function networkToOnnx(ir: NetworkIR): Uint8Array {
  const inits: Bytes[] = [];
  const nodes = foldBatchNorms(ir.ops).flatMap((op) => opNodes(op, inits));
  const inDims: (number | string)[] = ['n', ir.input.channels, ir.input.height ?? 'h', ir.input.width ?? 'w'];
  const graph = msg(7, [
    ...nodes,
    strField(2, `dann_doctor_${ir.architecture.replace(/[^A-Za-z0-9_]/g, '_')}`),
    ...inits,
    valueInfo(11, INPUT, inDims),
    ...OUTPUTS.map((o) => valueInfo(12, o, ['n', ir.dims[o]])),
  ]);
  return cat([intField(1, ONNX_IR_VERSION), strField(2, 'dann-doctor'), graph, msg(8, [strField(1, ''), intField(2, ONNX_OPSET)])]);
}
