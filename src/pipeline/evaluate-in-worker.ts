// Runs evaluateRun on a worker thread; abortable (the worker is terminated). TF.js work is synchronous for seconds
// at a time: off the main thread, the terminal UI keeps drawing and Ctrl-C / SIGTERM are noticed at once.
import type { EvalResults, Run } from '../model/types.js';
import { startWorker, workerModuleUrl } from '../runtime/start-worker.js';

export interface EvaluateInWorkerOptions {
  /** default 'deep': what runs on a worker thread is the slow evaluation */
  depth?: 'quick' | 'deep';
  backend?: string;
  maxPoints?: number;
  signal?: AbortSignal;
  onProgress?: (message: string, fraction: number) => void;
}

/**
 * `target` is a loaded Run (sent as is: it is plain data) or a run path the worker reads again. Rejects with the
 * evaluation's own error message (a corrupt dump names its file), or 'evaluation cancelled' on abort.
 */
export function evaluateInWorker(target: Run | string, opts: EvaluateInWorkerOptions = {}): Promise<EvalResults | null> {
  return new Promise((resolve, reject) => {
    // Cancelling raises this shared flag; the worker then stops before its next onnxruntime call and replies. It is
    // never terminated while inside onnxruntime: that aborts the whole process (Napi::Error, exit 134).
    const stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const w = startWorker(workerModuleUrl(import.meta.url, 'pipeline/evaluate-worker.js'), {
      ...(typeof target === 'string' ? { path: target } : { run: target }),
      depth: opts.depth,
      backend: opts.backend,
      maxPoints: opts.maxPoints,
      stop,
    });
    const abort = () => {
      Atomics.store(stop, 0, 1);
      reject(new Error('evaluation cancelled'));
    };
    if (opts.signal?.aborted) return abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    w.on('message', (m: { type: 'progress'; message: string; fraction: number } | { type: 'done'; value: EvalResults | null } | { type: 'error'; message: string }) => {
      if (m.type === 'progress') return opts.onProgress?.(m.message, m.fraction);
      opts.signal?.removeEventListener('abort', abort);
      void w.terminate(); // it replies only after releasing its onnxruntime sessions (after a cancel too)
      if (m.type === 'done') resolve(m.value);
      else reject(new Error(m.message));
    });
    w.on('error', (err) => {
      opts.signal?.removeEventListener('abort', abort);
      reject(err);
    });
  });
}
