// Worker thread for diagnoseMany: a RunShard answering the main thread's messages.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import { RunShard } from './run-shard.js';

const post = (m: FromWorker) => parentPort!.postMessage(m);
const shard = new RunShard(post);

parentPort!.on('message', (msg: ToWorker) => {
  shard.handle(msg).catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined }));
});
