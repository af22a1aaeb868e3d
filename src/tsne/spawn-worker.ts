// Starts a t-SNE worker module beside this one (see src/runtime/start-worker.ts for the source/build difference).
import type { Worker } from 'node:worker_threads';
import { startWorker, workerModuleUrl } from '../runtime/start-worker.js';

/** `name` is the module's base name ('worker', 'repulsion-worker'). */
export function spawnModuleWorker(name: string, workerData: unknown): Worker {
  return startWorker(workerModuleUrl(import.meta.url, `tsne/${name}.js`), workerData);
}
