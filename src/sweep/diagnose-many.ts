// Parallel diagnosis of many runs (sweep triage): discovery here, reading and rules in worker threads, one Report out.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Report, RunReport } from '../engine/types.js';
import type { Run } from '../model/types.js';
import { SCHEMA_VERSION } from '../engine/types.js';
import type { DiagnoseOptions } from '../diagnose-options.js';
import { discoverRuns } from '../discover/discover-runs.js';
import { pickBaseline } from '../model/baseline-run.js';
import type { FromWorker, RunStub, ToWorker, WorkerOptions } from './worker-protocol.js';

/**
 * Below this many runs a worker's start-up (module loading, ~0.1 s compiled, ~1 s under tsx) costs more than
 * the reading it would parallelise (a tllib run of 15 epochs reads in a few ms), so the in-process path is used.
 */
export const MIN_RUNS_PER_WORKER = 24;

/** Runs handed to a worker per message batch: large enough to amortise messaging, small enough to balance load. */
export const BATCH_RUNS = 64;

/**
 * The worker. In the package it is dist/src/sweep/diagnose-worker.js. Under tsx (tests, bench) this module is the
 * .ts source and a worker thread does not get tsx's loader from `--import tsx` (hooks are per thread in Node 20),
 * so a small bootstrap registers tsx in the worker before importing the .ts file.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./diagnose-worker.js', import.meta.url));
  const entry = new URL('./diagnose-worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

class WorkerHandle {
  readonly worker: Worker;
  private waiting: { type: FromWorker['type']; resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(onProgress?: (m: string) => void) {
    this.worker = startWorker();
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') return onProgress?.(m.message);
      const w = this.waiting;
      this.waiting = undefined;
      if (!w) return;
      if (m.type === 'failed') {
        const e = new Error(`diagnose worker failed: ${m.message}`);
        if (m.stack) e.stack = m.stack;
        w.reject(e);
      } else w.resolve(m);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (this.waiting) this.fail(new Error(`diagnose worker exited with code ${code}`));
    });
  }

  private fail(e: Error): void {
    this.failure = e;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }

  /** Send one request and wait for its answer (one request in flight per worker). */
  ask<T extends FromWorker['type']>(msg: ToWorker, answer: T): Promise<Extract<FromWorker, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { type: answer, resolve: resolve as (m: FromWorker) => void, reject };
      this.worker.postMessage(msg);
    });
  }
}

/** How many workers for `runs` runs: never more than cores, never fewer than MIN_RUNS_PER_WORKER runs each. */
export function workerCount(runs: number, concurrency?: number, minRunsPerWorker = MIN_RUNS_PER_WORKER): number {
  const cores = concurrency ?? availableParallelism();
  return Math.max(1, Math.min(cores, Math.floor(runs / minRunsPerWorker)));
}

/** Knobs for tests and benchmarks (the defaults are the measured sweet spot). */
export interface DiagnoseManyTuning {
  minRunsPerWorker?: number;
  batchRuns?: number;
}

/**
 * diagnose() for sweeps: the same Report (same runs in the same order, same baselines for no-adaptation-gain,
 * same ids), with reading and rules spread over `options.concurrency` worker threads (default: all cores).
 * Small inputs and concurrency 1 take the in-process path. Two phases, so a source-only run in one worker's share
 * is still the baseline of adapted runs in another's: (1) workers read their runs and return (algorithm,
 * hyperparameters); the main thread picks each run's baseline exactly as diagnose() does; (2) workers judge.
 */
export async function diagnoseMany(paths: string[], options: DiagnoseOptions = {}, tuning: DiagnoseManyTuning = {}): Promise<Report> {
  const { diagnose, resolveConfig, VERSION } = await import('../index.js');
  const found = await discoverRuns(paths, { maxDepth: options.maxDepth });
  const n = workerCount(found.runs.length, options.concurrency, tuning.minRunsPerWorker);
  const batchRuns = tuning.batchRuns ?? BATCH_RUNS;
  if (n <= 1) return diagnose(paths, options);

  const wopts: WorkerOptions = {
    config: resolveConfig(options.config), evaluate: options.evaluate, backend: options.backend, formatHint: options.formatHint,
    maxBytes: options.maxBytes, maxPoints: options.maxPoints, baseline: options.baseline,
  };
  const workers = Array.from({ length: n }, () => new WorkerHandle(options.onProgress));
  const owner = new Map<number, WorkerHandle>();
  const stubs: RunStub[] = new Array(found.runs.length);
  const errors: Report['errors'] = [...found.errors];
  try {
    // Phase 1: a shared queue of batches, so a worker that drew slow runs (big logs) takes fewer batches.
    let next = 0;
    await Promise.all(workers.map(async (w) => {
      while (next < found.runs.length) {
        const start = next;
        next = Math.min(found.runs.length, next + batchRuns);
        const batch = found.runs.slice(start, next).map((run, k) => ({ index: start + k, run }));
        for (const b of batch) owner.set(b.index, w);
        const res = await w.ask({ type: 'load', options: wopts, runs: batch }, 'loaded');
        for (const s of res.stubs) stubs[s.index] = s;
        // each worker reads an explicit --baseline itself: report its errors once
        errors.push(...res.errors.filter((e) => !errors.some((x) => x.path === e.path && x.message === e.message)));
      }
    }));

    // Baselines: pickBaseline only looks at algorithm and hyperparameters, so stand-ins give its exact answer.
    const standIns = stubs.map((s) => ({ algorithm: s.algorithm, hyperparameters: s.hyperparameters }) as unknown as Run);
    const baselineOf: Record<number, number> = {};
    if (!options.baseline) {
      standIns.forEach((r, i) => {
        const b = pickBaseline(r, standIns);
        if (b) baselineOf[i] = standIns.indexOf(b);
      });
    }
    // Fetch each baseline run from the worker that read it, once, and give it to every worker.
    const needed = [...new Set(Object.values(baselineOf))];
    const baselines: { index: number; run: Run }[] = [];
    for (const w of workers) {
      const mine = needed.filter((i) => owner.get(i) === w);
      if (mine.length) baselines.push(...(await w.ask({ type: 'send', indices: mine }, 'runs')).runs);
    }

    // Phase 2: judge.
    const reports: RunReport[] = new Array(found.runs.length);
    await Promise.all(workers.map(async (w) => {
      const res = await w.ask({ type: 'judge', baselineOf, baselines: baselines.filter((b) => owner.get(b.index) !== w) }, 'reports');
      for (const r of res.reports) reports[r.index] = r.report;
      errors.push(...res.errors);
    }));
    return { schemaVersion: SCHEMA_VERSION, tool: { name: 'dann-doctor', version: VERSION }, generatedAt: new Date().toISOString(), runs: reports, errors };
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
