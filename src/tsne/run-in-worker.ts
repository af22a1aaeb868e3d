// Runs t-SNE in a worker_thread so the terminal UI keeps drawing; progress arrives through a callback.
import { spawnModuleWorker } from './spawn-worker.js';
import type { DenseMatrix } from './matrix.js';
import type { TsneOptions, TsneProgress, TsneResult } from './tsne.js';

/**
 * Same result as tsne(data, opts) (same seed, same numbers), computed on another thread. The input is copied
 * to the worker; the embedding comes back without a copy. `signal` aborts (the worker is terminated).
 */
export function runTsneInWorker(
  data: DenseMatrix,
  opts: TsneOptions = {},
  onProgress?: (p: TsneProgress) => void,
  signal?: AbortSignal,
): Promise<TsneResult> {
  return new Promise<TsneResult>((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('t-SNE aborted'));
    const worker = spawnModuleWorker('worker', { data: data.data, rows: data.rows, cols: data.cols, opts });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new Error('t-SNE aborted')));
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: { type: 'progress'; progress: TsneProgress } | { type: 'result'; result: TsneResult } | { type: 'error'; message: string }) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'result') finish(() => resolve(m.result));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`t-SNE worker exited with code ${code} before finishing`))));
  });
}
