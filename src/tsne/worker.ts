// Worker-thread entry: runs one synchronous t-SNE off the main thread and posts progress and the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { tsne, type TsneOptions } from './tsne.js';
import type { DenseMatrix } from './matrix.js';

interface Job extends DenseMatrix {
  opts: TsneOptions;
}

const port = parentPort;
if (port) {
  const job = workerData as Job;
  try {
    const result = tsne({ data: job.data, rows: job.rows, cols: job.cols }, job.opts, (p) => port.postMessage({ type: 'progress', progress: p }));
    port.postMessage({ type: 'result', result }, [result.embedding.buffer as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}
