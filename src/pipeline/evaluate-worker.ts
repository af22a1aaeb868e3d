// Worker thread body: evaluates one run (sent whole, or re-read from its path), so TF.js work never blocks the main
// thread (the terminal UI's event loop, Ctrl-C handling).
import { parentPort, workerData } from 'node:worker_threads';
import type { Run } from '../model/types.js';
import { loadRuns } from './load.js';
import { evaluateRun } from '../evaluate/index.js';

const { path, run, depth, backend, maxPoints } = workerData as { path?: string; run?: Run; depth?: 'quick' | 'deep'; backend?: string; maxPoints?: number };
try {
  const target = run ?? (await loadRuns([path!])).runs[0];
  const res = target ? await evaluateRun(target, { depth: depth ?? 'deep', backend, maxPoints, onProgress: (message: string, fraction: number) => parentPort!.postMessage({ type: 'progress', message, fraction }) }) : null;
  parentPort!.postMessage({ type: 'done', value: res });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
