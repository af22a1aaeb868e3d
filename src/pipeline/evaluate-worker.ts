// Worker thread body: evaluates one run (sent whole, or re-read from its path), so TF.js work never blocks the main
// thread (the terminal UI's event loop, Ctrl-C handling).
import { parentPort, workerData } from 'node:worker_threads';
import type { Run } from '../model/types.js';
import { loadRuns } from './load.js';
import { evaluateRun } from '../evaluate/index.js';
import { releaseOnnxSession, stopOnnxWhenFlagged } from '../evaluate/onnx-mlp.js';

const { path, run, depth, backend, maxPoints, stop } = workerData as { path?: string; run?: Run; depth?: 'quick' | 'deep'; backend?: string; maxPoints?: number; stop?: Int32Array };
// the owner cancels by raising this flag, never by terminating us inside onnxruntime (see stopOnnxWhenFlagged)
if (stop) stopOnnxWhenFlagged(stop);
let reply: { type: 'done'; value: unknown } | { type: 'error'; message: string };
try {
  const target = run ?? (await loadRuns([path!])).runs[0];
  const res = target ? await evaluateRun(target, { depth: depth ?? 'deep', backend, maxPoints, onProgress: (message: string, fraction: number) => parentPort!.postMessage({ type: 'progress', message, fraction }) }) : null;
  reply = { type: 'done', value: res };
} catch (err) {
  reply = { type: 'error', message: err instanceof Error ? err.message : String(err) };
}
// no native session left alive when the owner terminates this thread on our reply
await releaseOnnxSession().catch(() => {});
parentPort!.postMessage(reply);
