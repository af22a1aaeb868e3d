// Starts a worker_thread on a module beside the caller: the built .js in dist/, or the .ts source under tsx.
import { Worker } from 'node:worker_threads';

/**
 * `entry` is the worker module's URL as seen from the caller (`new URL('./worker.js', import.meta.url)` style,
 * with a .js name). From source (tests, bench) the .ts file is started through a tiny eval'd bootstrap that
 * registers tsx in the new thread first, since Node 20 does not apply `--import tsx` to a .ts worker entry.
 */
export function startWorker(entry: URL, workerData?: unknown): Worker {
  const ts = new URL(entry.href.replace(/\.js$/, '.ts'));
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
