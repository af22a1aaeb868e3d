// rebuildNetwork: a tllib Classifier state_dict -> a network that runs on onnxruntime (CPU, fastest here) or TF.js
// (the backend ladder: tfjs-node-gpu -> tfjs-node -> webgpu -> wasm -> cpu). 'auto' = onnxruntime when it loads.
import type { NdArray } from '../../model/ndarray.js';
import type { RebuildOptions, RebuiltNetwork } from '../types.js';
import { recogniseClassifier } from './recognise.js';
import { onnxNetwork } from './onnx-engine.js';
import { tfjsNetwork } from './tfjs-engine.js';

export { recogniseClassifier } from './recognise.js';
export { UnrecognisedLayout } from './state-dict.js';
export type { NetworkIR } from './ir.js';

export async function rebuildNetwork(stateDict: ReadonlyMap<string, NdArray>, opts: RebuildOptions = {}): Promise<RebuiltNetwork> {
  const ir = recogniseClassifier(stateDict, opts);
  const engine = opts.engine ?? 'auto';
  let net: RebuiltNetwork;
  if (engine === 'tfjs') {
    net = await tfjsNetwork(ir);
  } else {
    const onnx = await onnxNetwork(ir).catch((err: unknown) => {
      // a forced engine reports its own failure; 'auto' falls back to TF.js and says why
      if (engine === 'onnxruntime') throw err;
      return { unavailable: `session not created: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
    });
    if ('unavailable' in onnx) {
      if (engine === 'onnxruntime') throw new Error(`engine 'onnxruntime' was asked for but onnxruntime-node cannot be used here: ${onnx.unavailable}`);
      net = await tfjsNetwork(ir);
      net.notes = [...(net.notes ?? []), `onnxruntime-node not available (${onnx.unavailable}): TF.js used`];
    } else {
      net = onnx;
    }
  }
  net.notes = [...ir.notes, ...(net.notes ?? [])];
  return net;
}
