// A tiny ONNX graph builder for the training steps dann-doctor writes in memory (the discriminator counterfactual in
// evaluate/onnx-train.ts, the replayed game in replay/game-onnx.ts): nodes in order, constants, typed inputs/outputs.
import { type Bytes, cat, intField, bytesField, strField, msg } from './onnx-proto.js';

const ONNX_IR_VERSION = 8;
const ONNX_OPSET = 13;
export const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;
const ATTR_INTS = 7;
/** A tiny ONNX graph builder: nodes in order, float/int64 constants, typed inputs and outputs. */
export class GraphBuilder {
  private readonly nodes: Bytes[] = [];
  private readonly inits: Bytes[] = [];
  private readonly ins: Bytes[] = [];
  private readonly outs: Bytes[] = [];
  private k = 0;

  op(type: string, inputs: string[], attrs: Bytes[] = [], name?: string): string {
    const out = name ?? `_n${this.k++}`;
    this.nodes.push(msg(1, [...inputs.map((i) => strField(1, i)), strField(2, out), strField(3, out), strField(4, type), ...attrs]));
    return out;
  }
  float(v: number): string {
    const name = `_c${this.k++}`;
    const raw = new Uint8Array(Float32Array.of(v).buffer);
    this.inits.push(msg(5, [intField(2, FLOAT), strField(8, name), bytesField(9, raw)]));
    return name;
  }
  int64s(vs: number[]): string {
    const name = `_c${this.k++}`;
    const raw = new Uint8Array(BigInt64Array.from(vs.map(BigInt)).buffer);
    this.inits.push(msg(5, [intField(1, vs.length), intField(2, INT64), strField(8, name), bytesField(9, raw)]));
    return name;
  }
  input(name: string, dims: (number | string)[]): string { this.ins.push(valueInfo(11, name, dims)); return name; }
  output(name: string, dims: (number | string)[]): void { this.outs.push(valueInfo(12, name, dims)); }
  model(): Uint8Array {
    const graph = msg(7, [...this.nodes, strField(2, 'dann_doctor_train'), ...this.inits, ...this.ins, ...this.outs]);
    return cat([intField(1, ONNX_IR_VERSION), strField(2, 'dann-doctor'), graph, msg(8, [strField(1, ''), intField(2, ONNX_OPSET)])]);
  }
}

function valueInfo(field: number, name: string, dims: (number | string)[]): Bytes {
  const shape = msg(2, dims.map((d) => msg(1, [typeof d === 'number' ? intField(1, d) : strField(2, d)])));
  return msg(field, [strField(1, name), msg(2, [msg(1, [intField(1, FLOAT), shape])])]);
}
export const attrInt = (name: string, v: number): Bytes => msg(5, [strField(1, name), intField(3, v), intField(20, ATTR_INT)]);
export const attrInts = (name: string, vs: number[]): Bytes => msg(5, [strField(1, name), ...vs.map((v) => intField(8, v)), intField(20, ATTR_INTS)]);


/** The part of onnxruntime-node's API the trainers use. */
export interface OrtTensor { data: unknown; dims?: readonly number[] }
export interface Ort {
  InferenceSession: { create(model: Uint8Array, opts?: Record<string, unknown>): Promise<Session> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => OrtTensor;
}
export interface Session { run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>; release(): Promise<void> }

