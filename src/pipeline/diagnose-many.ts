// Parallel diagnosis of many runs (sweep triage): discovery here, reading and rules in worker threads, one Report out.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../runtime/start-worker.js';
import { availableParallelism, loadavg } from 'node:os';
import type { Report, RunReport } from '../report/schema.js';
import type { Run } from '../model/types.js';
import type { DiagnoseOptions } from './options.js';
import { discoverRuns } from '../discover/discover-runs.js';
import { pickBaselines } from '../model/baseline-run.js';
import { explainMissingBaselines } from '../report/explain-baselines.js';
import type { FromWorker, RunStub, ToWorker, WorkerOptions } from './worker-protocol.js';
import { RunShard } from './run-shard.js';
import { diagnose, makeReport, shardReportInfo } from './diagnose.js';
import { resolveConfig } from './config.js';
import { selectShard } from '../sweep/shard.js';

/**
 * Below this many runs a worker's start-up (module loading, ~0.1 s compiled, ~1 s under tsx) costs more than
 * the reading it would parallelise (a tllib run of 15 epochs reads in a few ms), so the in-process path is used.
 */
export const MIN_RUNS_PER_WORKER = 24;

/** Runs handed to a worker per message batch: large enough to amortise messaging, small enough to balance load. */
export const BATCH_RUNS = 64;

/** The worker: dist/src/sweep/diagnose-worker.js, or its .ts source under tsx (src/runtime/start-worker.ts). */
function startDiagnoseWorker(): Worker {
  return startWorker(new URL('./diagnose-worker.js', import.meta.url));
}

/**
 * One share of the sweep, in a worker thread or in this thread. Requests go one at a time; answers come back
 * through `receive` (a 'reports' answer may come in chunks before its last part).
 */
abstract class ShardHandle {
  private waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void; partial?: (m: FromWorker) => void } | undefined;
  protected failure: Error | undefined;

  constructor(private readonly onProgress?: (m: string) => void) {}

  protected receive(m: FromWorker): void {
    if (m.type === 'progress') return this.onProgress?.(m.message);
    const w = this.waiting;
    if (!w) return;
    if (m.type === 'reports' && !m.last) return w.partial?.(m);
    this.waiting = undefined;
    if (m.type === 'failed') {
      const e = new Error(`diagnose worker failed: ${m.message}`);
      if (m.stack) e.stack = m.stack;
      w.reject(e);
    } else w.resolve(m);
  }

  protected fail(e: Error): void {
    this.failure = e;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }

  protected abstract send(msg: ToWorker): void;
  abstract close(): Promise<void>;

  /** Send one request and wait for its answer. */
  ask<T extends FromWorker['type']>(msg: ToWorker, _answer: T, partial?: (m: Extract<FromWorker, { type: T }>) => void): Promise<Extract<FromWorker, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve: resolve as (m: FromWorker) => void, reject, partial: partial as ((m: FromWorker) => void) | undefined };
      this.send(msg);
    });
  }
}

class ThreadShard extends ShardHandle {
  private readonly worker: Worker;
  constructor(onProgress?: (m: string) => void) {
    super(onProgress);
    this.worker = startDiagnoseWorker();
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`diagnose worker exited with code ${code}`)));
  }
  protected send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }
  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/**
 * The main thread's own share: it has the whole pipeline loaded already, so it saves one worker's start-up
 * (~0.5-1 s of CPU to load and compile every module again) and works while the workers start.
 */
class LocalShard extends ShardHandle {
  private readonly shard = new RunShard((m) => this.receive(m));
  protected send(msg: ToWorker): void {
    // answers arrive through the shard's post -> receive; a thrown error becomes a failed answer
    this.shard.handle(msg).catch((err: unknown) => this.receive({ type: 'failed', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined }));
  }
  async close(): Promise<void> {}
}

/**
 * Cores this process can expect to get: all of them on an idle machine, fewer when other jobs already keep them
 * busy (1-minute load average). Measured on the shared 2-core dev machine, 1,000 runs: idle, two threads took 7.3 s
 * against 12.3 s in-process; with other sessions keeping the cores busy (Linux autogroup then gives this process
 * about one core whatever its thread count), two threads took 14.2 s against 11.7 s in-process, since a second
 * thread only adds its start-up, message copying and a second heap.
 */
export function freeCores(): number {
  const cores = availableParallelism();
  return Math.max(1, Math.min(cores, Math.round(cores - loadavg()[0])));
}

/** Shares for `runs` runs: never more than cores, never fewer than MIN_RUNS_PER_WORKER runs each. */
export function workerCount(runs: number, concurrency?: number, minRunsPerWorker = MIN_RUNS_PER_WORKER): number {
  const cores = concurrency ?? freeCores();
  return Math.max(1, Math.min(cores, Math.floor(runs / minRunsPerWorker)));
}

/** Knobs for tests and benchmarks (the defaults are the measured sweet spot). */
export interface DiagnoseManyTuning {
  minRunsPerWorker?: number;
  batchRuns?: number;
  loadConcurrency?: number;
}

/**
 * diagnose() for sweeps: the same Report (same runs in the same order, same baselines for no-adaptation-gain,
 * same ids), with reading and rules spread over `options.concurrency` threads (default: the cores not already busy,
 * see freeCores).
 * Small inputs and concurrency 1 take the in-process path. Two phases, so a source-only run in one worker's share
 * is still the baseline of adapted runs in another's: (1) workers read their runs and return (algorithm,
 * hyperparameters); the main thread picks each run's baseline exactly as diagnose() does; (2) workers judge.
 */
export async function diagnoseMany(paths: string[], options: DiagnoseOptions = {}, tuning: DiagnoseManyTuning = {}): Promise<Report> {
  const found = selectShard(await discoverRuns(paths, { maxDepth: options.maxDepth, followLinks: options.followLinks }), options.shard);
  const n = workerCount(found.runs.length, options.concurrency, tuning.minRunsPerWorker);
  const batchRuns = tuning.batchRuns ?? BATCH_RUNS;
  if (n <= 1) return diagnose(paths, options);

  const wopts: WorkerOptions = {
    config: resolveConfig(options.config), evaluate: options.evaluate, backend: options.backend, formatHint: options.formatHint,
    maxBytes: options.maxBytes, maxPoints: options.maxPoints, baseline: options.baseline,
    loadConcurrency: tuning.loadConcurrency,
  };
  // n shares: n - 1 worker threads plus this thread
  const workers: ShardHandle[] = [new LocalShard(options.onProgress), ...Array.from({ length: n - 1 }, () => new ThreadShard(options.onProgress))];
  const owner = new Map<number, ShardHandle>();
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
    // (a run with nothing readable has no stub: it is an error entry, and its stand-in is never a baseline)
    const standIns = Array.from(stubs, (s) => ({ algorithm: s?.algorithm ?? 'unknown', hyperparameters: s?.hyperparameters ?? {} }) as unknown as Run);
    const baselineOf: Record<number, number> = {};
    // (computed even with an explicit --baseline: diagnose() falls back to these when that run cannot be read)
    pickBaselines(standIns).forEach((b, i) => {
      if (b !== undefined) baselineOf[i] = b;
    });
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
      const take = (m: { reports: { index: number; report: RunReport }[] }) => {
        for (const r of m.reports) reports[r.index] = r.report;
      };
      const neededLater = needed.filter((i) => owner.get(i) === w);
      const res = await w.ask({ type: 'judge', baselineOf, baselines: baselines.filter((b) => owner.get(b.index) !== w), neededLater }, 'reports', take);
      take(res);
      errors.push(...res.errors);
    }));
    const judged = reports.filter((r) => r !== undefined);
    explainMissingBaselines(judged, !!options.baseline);
    return makeReport(judged, errors, shardReportInfo(found.shard, options, wopts.config));
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}
