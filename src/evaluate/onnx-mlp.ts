// Fast CPU inference path: a dense-layer stack written as an ONNX model in memory and run by onnxruntime-node (optional).
import type { DenseLayer } from './mlp.js';
import type { Matrix } from './matrix.js';
import { type Bytes, cat, intField, bytesField, strField, msg } from './onnx-proto.js';

/** Rows per session.run: large enough that ORT's per-call overhead vanishes, small enough to bound the output buffers. */
export const ONNX_BATCH_ROWS = 8192;
/** ONNX IR 8 / opset 13: every onnxruntime since 1.10 reads them, and Gemm/Relu have not changed since. */
const ONNX_IR_VERSION = 8;
const ONNX_OPSET = 13;
const ONNX_FLOAT = 1;
const ATTR_INT = 2;

function tensorProto(field: number, name: string, dims: number[], data: Float32Array): Bytes {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // ONNX raw_data is little-endian, as are the hosts we run on
  return msg(field, [...dims.map((d) => intField(1, d)), intField(2, ONNX_FLOAT), strField(8, name), bytesField(9, raw)]);
}
function valueInfo(field: number, name: string, cols: number): Bytes {
  const shape = msg(2, [msg(1, [strField(2, 'rows')]), msg(1, [intField(1, cols)])]);
  return msg(field, [strField(1, name), msg(2, [msg(1, [intField(1, ONNX_FLOAT), shape])])]);
}
function node(op: string, inputs: string[], output: string, attrs: Bytes[] = []): Bytes {
  return msg(1, [...inputs.map((i) => strField(1, i)), strField(2, output), strField(3, output), strField(4, op), ...attrs]);
}

/** The layers as an ONNX ModelProto: Gemm(transB=1) [+ Relu] per layer, input 'x' [rows, in], output 'y'. */
export function mlpToOnnx(layers: readonly DenseLayer[]): Uint8Array {
  if (layers.length === 0) throw new Error('no layers');
  const parts: Bytes[] = [];
  const inits: Bytes[] = [];
  let cur = 'x';
  layers.forEach((l, i) => {
    inits.push(tensorProto(5, `w${i}`, [l.outDim, l.inDim], l.w), tensorProto(5, `b${i}`, [l.outDim], l.b));
    const out = i === layers.length - 1 && !l.relu ? 'y' : `h${i}`;
    parts.push(node('Gemm', [cur, `w${i}`, `b${i}`], out, [msg(5, [strField(1, 'transB'), intField(3, 1), intField(20, ATTR_INT)])]));
    cur = out;
    if (l.relu) {
      const r = i === layers.length - 1 ? 'y' : `r${i}`;
      parts.push(node('Relu', [cur], r));
      cur = r;
    }
  });
  const graph = msg(7, [...parts, strField(2, 'dann_doctor_mlp'), ...inits, valueInfo(11, 'x', layers[0]!.inDim), valueInfo(12, 'y', layers.at(-1)!.outDim)]);
  return cat([intField(1, ONNX_IR_VERSION), strField(2, 'dann-doctor'), graph, msg(8, [strField(1, ''), intField(2, ONNX_OPSET)])]);
}

interface OrtModule {
  InferenceSession: { create(model: Uint8Array, opts?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
}
interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>;
  release(): Promise<void>;
}

/**
 * Set on an evaluation worker by its owner (a shared Int32Array): once [0] is non-zero no onnxruntime call starts.
 * The owner must not terminate a worker while a session call is in flight (onnxruntime-node then throws a
 * Napi::Error from a torn-down environment and the whole process aborts, exit 134); it raises this flag instead and
 * the evaluation ends with OnnxStopped within one session call.
 */
let stopFlag: Int32Array | undefined;
export function stopOnnxWhenFlagged(flag: Int32Array): void {
  stopFlag = flag;
}
export class OnnxStopped extends Error {
  constructor() {
    super('evaluation cancelled');
  }
}
function checkStop(): void {
  if (stopFlag && Atomics.load(stopFlag, 0) !== 0) throw new OnnxStopped();
}
/** The module with every session create/run gated by the stop flag (release always goes through). */
function gated(ort: OrtModule): OrtModule {
  return {
    Tensor: ort.Tensor,
    InferenceSession: {
      async create(model, opts) {
        checkStop();
        const s = await ort.InferenceSession.create(model, opts);
        return {
          run: async (feeds) => {
            checkStop();
            return s.run(feeds);
          },
          release: () => s.release(),
        };
      },
    },
  };
}

let ortPromise: Promise<OrtModule | null> | undefined;
/** onnxruntime-node if it loads here (an optional dependency; its native addon may be missing): else null, with why. */
export async function loadOnnxRuntime(): Promise<{ ort: OrtModule | null; why: string }> {
  let why = 'loaded';
  ortPromise ??= import('onnxruntime-node' as string).then(
    (m: { default?: OrtModule } & OrtModule) => {
      const ort = m.InferenceSession ? m : m.default ?? null;
      return ort && gated(ort);
    },
    (err: unknown) => { why = (err as Error).message.split('\n')[0] ?? 'failed to load'; return null; },
  );
  const ort = await ortPromise;
  return { ort, why: ort ? 'loaded' : why };
}

/**
 * x -> layers on onnxruntime's CPU provider (MLAS GEMM, all cores), ONNX_BATCH_ROWS rows per call.
 * Returns null when onnxruntime-node is not available. Same maths as forwardMlp, float32 throughout.
 */
export async function forwardMlpOnnx(layers: readonly DenseLayer[], x: Matrix, opts: { threads?: number } = {}): Promise<Matrix | null> {
  const { ort } = await loadOnnxRuntime();
  if (!ort) return null;
  if (x.cols !== layers[0]!.inDim) throw new Error(`input has ${x.cols} columns, the first layer expects ${layers[0]!.inDim}`);
  const session = await sessionFor(ort, layers, opts.threads);
  {
    const outDim = layers.at(-1)!.outDim;
    const out = new Float32Array(x.rows * outDim);
    for (let r0 = 0; r0 < x.rows; r0 += ONNX_BATCH_ROWS) {
      const r1 = Math.min(x.rows, r0 + ONNX_BATCH_ROWS);
      const input = new ort.Tensor('float32', x.data.subarray(r0 * x.cols, r1 * x.cols), [r1 - r0, x.cols]);
      const res = await session.run({ x: input });
      out.set(res.y!.data as Float32Array, r0 * outDim);
    }
    return { rows: x.rows, cols: outDim, data: out };
  }
}

/**
 * One cached session (the last layer stack seen, compared by identity): evaluateRun runs the same classifier on
 * both domains, and building a session costs ~30 ms. A different stack releases the old session, so at most one
 * model's weights stay in native memory; releaseOnnxSession() frees it.
 */
let cached: { layers: readonly DenseLayer[]; threads: number | undefined; session: OrtSession } | undefined;
async function sessionFor(ort: OrtModule, layers: readonly DenseLayer[], threads: number | undefined): Promise<OrtSession> {
  if (cached && cached.threads === threads && cached.layers.length === layers.length && cached.layers.every((l, i) => l === layers[i])) {
    return cached.session;
  }
  await releaseOnnxSession();
  const session = await ort.InferenceSession.create(mlpToOnnx(layers), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(threads ? { intraOpNumThreads: threads } : {}),
  });
  cached = { layers: [...layers], threads, session };
  return session;
}

export async function releaseOnnxSession(): Promise<void> {
  const c = cached;
  cached = undefined;
  if (c) await c.session.release();
}
