// Worker thread body: re-reads one run and evaluates it, so TF.js work never blocks the terminal UI's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { loadRuns } from '../index.js';
import { evaluateRun } from '../evaluate/index.js';

const { path, backend, maxPoints } = workerData as { path: string; backend?: string; maxPoints?: number };
try {
  const { runs } = await loadRuns([path]); // log only: the deep evaluation below covers what quick would add
  const res = runs[0] ? await evaluateRun(runs[0], { depth: 'deep', backend, maxPoints, onProgress: (message: string, fraction: number) => parentPort!.postMessage({ type: 'progress', message, fraction }) }) : null;
  parentPort!.postMessage({ type: 'done', value: res });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
