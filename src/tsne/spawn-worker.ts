// Starts a worker from a module beside this one, from the build (.js) or from source (.ts, registering tsx first).
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * `name` is the module's base name ('worker', 'repulsion-worker'). From source (tests, bench) the worker is a tiny
 * eval'd bootstrap that registers tsx in the new thread, since Node 20 does not apply `--import tsx` to a .ts entry.
 */
export function spawnModuleWorker(name: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  // import.meta.resolve is missing when this file is itself compiled to CommonJS (a script outside the package)
  const tsx = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
