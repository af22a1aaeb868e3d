// Starts a worker_thread on a module: the built .js in dist/, or the .ts source under tsx (tests, bench).
// The one place that knows how; t-SNE, sweeps, evaluation and the fuzzer all start their workers through it.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Defined (true) by scripts/build.mjs in the CLI bundle (dist/src/cli.js and its chunks); absent everywhere else. */
declare const DD_CLI_BUNDLE: boolean | undefined;

/**
 * The URL of the worker module `fromSrc` (its path under src/, e.g. 'pipeline/diagnose-worker.js'), for a caller in
 * the same folder whose import.meta.url is `own`. Inside the CLI bundle a module's import.meta.url is its chunk's
 * (dist/src/cli.js or dist/src/cli-chunk-*.js), so the path is taken from src/'s root there; the worker itself is the
 * transpiled file.
 */
export function workerModuleUrl(own: string, fromSrc: string): URL {
  const bundled = typeof DD_CLI_BUNDLE !== 'undefined' && DD_CLI_BUNDLE;
  return new URL(`./${bundled ? fromSrc : fromSrc.slice(fromSrc.lastIndexOf('/') + 1)}`, own);
}

/**
 * `entry` is the worker module's URL as the caller sees it, with a .js name (`new URL('./worker.js',
 * import.meta.url)`). From source the .ts file is started through a tiny eval'd bootstrap that registers tsx in the
 * new thread first, since Node 20 does not apply `--import tsx` to a .ts worker entry (loader hooks are per thread).
 */
export function startWorker(entry: URL, workerData?: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(entry, { workerData });
  const ts = entry.href.replace(/\.js$/, '.ts');
  // import.meta.resolve is missing when this file is itself compiled to CommonJS (a script outside the package)
  const tsx = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
