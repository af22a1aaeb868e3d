// Runs a NetworkIR on onnxruntime-node's CPU provider: the graph from onnx-graph.ts, one session per network,
// batches split to bound activation memory, the AbortSignal checked between calls.
import type { Matrix } from '../../evaluate/matrix.js';
import { loadOnnxRuntime } from '../../evaluate/onnx-mlp.js';
import type { ForwardOutputs, ImageBatch, RebuiltNetwork } from '../types.js';
import type { NetworkIR } from './ir.js';
import { OUTPUTS } from './ir.js';
import { networkToOnnx } from './onnx-graph.js';
import { rowsPerCall } from './batching.js';
import { checkBatch } from './check-batch.js';

type Ort = NonNullable<Awaited<ReturnType<typeof loadOnnxRuntime>>['ort']>;

export interface OnnxEngineOptions {
  /** intra-op threads (default: onnxruntime's, one per core) */
  threads?: number;
}

/** null (with why) when onnxruntime-node does not load here. */
export async function onnxNetwork(ir: NetworkIR, opts: OnnxEngineOptions = {}): Promise<RebuiltNetwork | { unavailable: string }> {
  const { ort, why } = await loadOnnxRuntime();
  if (!ort) return { unavailable: why };
  return buildSession(ort, ir, opts);
}

async function buildSession(ort: Ort, ir: NetworkIR, opts: OnnxEngineOptions): Promise<RebuiltNetwork> {
  const session = await ort.InferenceSession.create(networkToOnnx(ir), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
  });
  const rowsBySize = new Map<string, number>();
  let released = false;
  return {
    architecture: ir.architecture,
    input: { ...ir.input },
    numClasses: ir.numClasses,
    engine: 'onnxruntime (CPU)',
    async forward(batch: ImageBatch, signal?: AbortSignal): Promise<ForwardOutputs> {
      if (released) throw new Error('network already disposed');
      checkBatch(ir, batch);
      const key = `${batch.height}x${batch.width}`;
      let rows = rowsBySize.get(key);
      if (rows === undefined) { rows = rowsPerCall(ir, batch.height, batch.width); rowsBySize.set(key, rows); }
      const per = batch.channels * batch.height * batch.width;
      const out = Object.fromEntries(OUTPUTS.map((o) => [o, { rows: batch.n, cols: ir.dims[o], data: new Float32Array(batch.n * ir.dims[o]) } as Matrix])) as Record<(typeof OUTPUTS)[number], Matrix>;
      for (let r0 = 0; r0 < batch.n; r0 += rows) {
        signal?.throwIfAborted();
        const r1 = Math.min(batch.n, r0 + rows);
        const x = new ort.Tensor('float32', batch.data.subarray(r0 * per, r1 * per), [r1 - r0, batch.channels, batch.height, batch.width]);
        const res = await session.run({ x });
        for (const o of OUTPUTS) out[o].data.set(res[o]!.data as Float32Array, r0 * ir.dims[o]);
      }
      return { backbone: out.backbone, features: out.features, logits: out.logits };
    },
    async dispose() {
      if (released) return;
      released = true;
      await session.release();
    },
  };
}
