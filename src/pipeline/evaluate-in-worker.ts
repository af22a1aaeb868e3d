// Runs evaluateRun for a run directory on a worker thread; abortable (the worker is terminated).
import type { EvalResults } from '../model/types.js';
import { startWorker } from '../runtime/start-worker.js';

export function evaluateInWorker(path: string, opts: { backend?: string; maxPoints?: number; signal?: AbortSignal; onProgress?: (message: string, fraction: number) => void }): Promise<EvalResults | null> {
  return new Promise((resolve, reject) => {
    const w = startWorker(new URL('./evaluate-worker.js', import.meta.url), { path, backend: opts.backend, maxPoints: opts.maxPoints });
    const abort = () => {
      void w.terminate();
      reject(new Error('evaluation cancelled'));
    };
    if (opts.signal?.aborted) return abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    w.on('message', (m: { type: 'progress'; message: string; fraction: number } | { type: 'done'; value: EvalResults | null } | { type: 'error'; message: string }) => {
      if (m.type === 'progress') return opts.onProgress?.(m.message, m.fraction);
      opts.signal?.removeEventListener('abort', abort);
      void w.terminate();
      if (m.type === 'done') resolve(m.value);
      else reject(new Error(m.message));
    });
    w.on('error', (err) => {
      opts.signal?.removeEventListener('abort', abort);
      reject(err);
    });
  });
}
