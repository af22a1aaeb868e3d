// Diagnosis of many runs (sweep triage): discovery here, reading and rules in batches on shards (worker threads and
// this thread), each run judged and freed as soon as it is read, one Report out. diagnose() is this with one shard.
import type { Worker } from 'node:worker_threads';
import { startWorker, workerModuleUrl } from '../runtime/start-worker.js';
import { availableParallelism, loadavg } from 'node:os';
import type { Report, RunReport } from '../report/schema.js';
import type { DiagnoseOptions } from './options.js';
import { discoverRuns } from '../discover/discover-runs.js';
import type { BaselineRun, FromWorker, JudgedRun, RunError, ToWorker, WorkerOptions } from './worker-protocol.js';
import { RunShard } from './run-shard.js';
import { selectShard } from '../sweep/shard.js';
import { RunCache } from './run-cache.js';
import { attachReplay } from './replay.js';
import { explainMissingBaselines } from '../report/explain-baselines.js';
import { runVerdictOf } from '../report/views.js';
import { makeReport, shardReportInfo } from './report-envelope.js';
import { resolveConfig } from './config.js';
import { timedAsync } from '../runtime/phase-clock.js';

/**
 * Below this many runs a worker's start-up (module loading, ~0.1 s compiled, ~1 s under tsx) costs more than
 * the reading it would parallelise (a tllib run of 15 epochs reads in a few ms), so the in-process path is used.
 */
export const MIN_RUNS_PER_WORKER = 24;

/**
 * Runs handed to a worker per message batch: large enough to amortise messaging, small enough to balance load, and
 * a worker holds a whole batch of Runs until it is judged. 1,000-run triage bench, two threads forced, peak RSS
 * (load 10-13, so CPU differences are noise): 64 runs 298-301 MB, 16 runs 251-266 MB, 8 runs 253-258 MB.
 */
export const BATCH_RUNS = 16;
/**
 * Runs this thread's own share takes at a time: it has no messages to amortise, and a batch's Runs (every series of
 * every log) are all held until the batch is judged, so they survive young-generation collections and are copied
 * into the old generation. 1,000-run triage bench in-process: peak RSS 275 MB with batches of 64, 236 MB with 16,
 * 227 MB with 8; CPU 10.4-11.7 s with 8, 9.3-10.0 s with 4, 9.3-9.8 s with 2 (load 3; alternating).
 */
export const LOCAL_BATCH_RUNS = 4;

/** The worker: dist/src/sweep/diagnose-worker.js, or its .ts source under tsx (src/runtime/start-worker.ts). */
function startDiagnoseWorker(): Worker {
  return startWorker(workerModuleUrl(import.meta.url, 'pipeline/diagnose-worker.js'));
}

/**
 * One share of the sweep, in a worker thread or in this thread. Requests go one at a time; answers come back
 * through `receive` (a 'reports' answer may come in chunks before its last part).
 */
abstract class ShardHandle {
  private waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void; partial?: (m: FromWorker) => void } | undefined;
  protected failure: Error | undefined;

  constructor(private readonly onProgress?: (m: string, fraction?: number) => void) {}

  protected receive(m: FromWorker): void {
    if (m.type === 'progress') return this.onProgress?.(m.message, m.fraction);
    const w = this.waiting;
    if (!w) return;
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
  constructor(onProgress?: (m: string, fraction?: number) => void) {
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
  private readonly shard: RunShard;
  constructor(onProgress?: (m: string, fraction?: number) => void, cache?: RunCache) {
    super(onProgress);
    this.shard = new RunShard((m) => this.receive(m), cache);
  }
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

/**
 * Cores one share keeps busy: its JavaScript thread plus V8's garbage-collection threads and libuv's pool beside it.
 * 1,000-run triage bench on the idle 2-core machine, in-process: 7.7-10.4 s CPU in 5.3-7.8 s wall (1.4 cores); two
 * shares (a worker thread) were slower, not faster, as each competes with the other's helpers: 7.3-9.2 s wall
 * against 5.3-7.8 s (4 alternating pairs), and 272-322 MB peak against 222-243 MB.
 */
export const CORES_PER_SHARE = 1.4;

/**
 * Shares for `runs` runs: one per CORES_PER_SHARE free cores (or `concurrency`, when given), never fewer than
 * MIN_RUNS_PER_WORKER runs each.
 */
export function workerCount(runs: number, concurrency?: number, minRunsPerWorker = MIN_RUNS_PER_WORKER): number {
  const shares = concurrency ?? Math.max(1, Math.floor(freeCores() / CORES_PER_SHARE));
  return Math.max(1, Math.min(shares, Math.floor(runs / minRunsPerWorker)));
}

/** Knobs for tests and benchmarks (the defaults are the measured sweet spot). */
export interface DiagnoseManyTuning {
  minRunsPerWorker?: number;
  batchRuns?: number;
  localBatchRuns?: number;
  loadConcurrency?: number;
}

/**
 * diagnose() for sweeps: the same Report (same runs in the same order, same baselines for no-adaptation-gain, same
 * ids), with reading and rules spread over `options.concurrency` shards (default: the cores not already busy, see
 * freeCores; small inputs stay in this thread).
 *
 * Memory stays at a batch of Runs per shard whatever the number of runs: a run is judged as soon as it is read,
 * against the first source-only run of its task known at that moment, and freed. Only those baselines are kept.
 * A source-only run discovered after some adapted runs of its task (in a later batch, or one another shard was
 * still reading) means those were judged without it: at the end they are read and judged again, so the answer is
 * exactly the one-pass answer (pickBaselines over all runs).
 */
export async function diagnoseMany(paths: string[], options: DiagnoseOptions = {}, tuning: DiagnoseManyTuning = {}): Promise<Report> {
  const found = selectShard(await timedAsync('discover', () => discoverRuns(paths, { maxDepth: options.maxDepth, followLinks: options.followLinks })), options.shard);
  // --replay needs each Run after judging (its dump and configuration): this thread reads them all and keeps them
  const replayCache = options.replay ? (options.cache ?? new RunCache()) : undefined;
  if (replayCache) options = { ...options, cache: replayCache };
  const n = options.concurrency === 1 || options.replay ? 1 : workerCount(found.runs.length, options.concurrency, tuning.minRunsPerWorker);
  const batchRuns = tuning.batchRuns ?? BATCH_RUNS;
  const localBatchRuns = tuning.localBatchRuns ?? Math.min(batchRuns, LOCAL_BATCH_RUNS);
  const wopts: WorkerOptions = {
    config: resolveConfig(options.config), evaluate: options.evaluate, backend: options.backend, formatHint: options.formatHint,
    maxBytes: options.maxBytes, maxPoints: options.maxPoints, baseline: options.baseline,
    loadConcurrency: tuning.loadConcurrency, detail: options.detail,
    ...(options.rerun ? { rerun: options.rerun } : {}),
  };
  const total = found.runs.length;
  let done = 0;
  let withProblems = 0;
  // a sweep's answer starts before its end: how many runs so far have problems (a run judged again at the end, with
  // a baseline found later, may still change)
  const soFar = () => `${done}/${total} runs${withProblems ? `, ${withProblems} with problems so far` : ''}`;
  const progress = options.onProgress && ((m: string, f?: number) => options.onProgress!(total > 1 ? `${m} (${soFar()})` : m, total > 1 ? done / total : f));
  // n shares: n - 1 worker threads plus this thread
  const shards: ShardHandle[] = [new LocalShard(progress, options.cache), ...Array.from({ length: n - 1 }, () => new ThreadShard(progress))];
  const known = new Map<string, BaselineRun>();
  const sent = new Map<ShardHandle, Set<number>>(shards.map((w) => [w, new Set<number>()]));
  const unsent = (w: ShardHandle): BaselineRun[] => {
    const s = sent.get(w)!;
    const out = [...known.values()].filter((b) => !s.has(b.index));
    for (const b of out) s.add(b.index);
    return out;
  };
  const judged: (JudgedRun | undefined)[] = new Array(total);
  const runErrors: RunError[] = [];
  const errors: Report['errors'] = [...found.errors];
  const addOnce = (e: RunError) => {
    // each shard reads an explicit --baseline itself: its errors are reported once
    if (!errors.some((x) => x.path === e.path && x.message === e.message)) errors.push(e);
  };
  try {
    // A shared queue of batches in discovery order, so a shard that drew slow runs (big logs) takes fewer batches.
    let next = 0;
    await Promise.all(shards.map(async (w) => {
      while (next < total) {
        const start = next;
        next = Math.min(total, next + (w instanceof LocalShard ? localBatchRuns : batchRuns));
        const runs = found.runs.slice(start, next).map((run, k) => ({ index: start + k, run }));
        const res = await w.ask({ type: 'batch', options: wopts, runs, baselines: unsent(w) }, 'judged');
        for (const j of res.judged) {
          judged[j.index] = j;
          if (progress && runVerdictOf(j.report) === 'problems') withProblems++;
        }
        for (const f of res.firsts) {
          const k = known.get(f.task);
          if (!k || k.index > f.index) known.set(f.task, f);
          sent.get(w)!.add(f.index);
        }
        for (const e of res.errors) (e.index !== undefined ? runErrors.push(e) : addOnce(e));
        done += runs.length;
      }
    }));
    // Runs judged before their task's first source-only run was known: judge them again, in this thread.
    const again = judged.filter((j): j is JudgedRun => !!j && !j.sourceOnly && !j.explicit && known.get(j.task)?.index !== j.baselineUsed);
    if (again.length) {
      const local = shards[0];
      const res = await local.ask({
        type: 'rejudge', options: wopts, baselines: unsent(local),
        runs: again.map((j) => ({ index: j.index, run: found.runs[j.index], baselineIndex: known.get(j.task)!.index, eval: j.report.eval, evalFailure: j.report.evalFailure })),
      }, 'rejudged');
      for (const r of res.reports) judged[r.index]!.report = r.report;
    }
    runErrors.sort((a, b) => a.index! - b.index!);
    const finished = judged.filter((j): j is JudgedRun => j !== undefined);
    const reports: RunReport[] = finished.map((j) => j.report);
    explainMissingBaselines(reports, finished.some((j) => j.explicit));
    const baselineErrors = errors.splice(found.errors.length);
    if (replayCache) {
      for (const r of reports) {
        const run = replayCache.get(r.path);
        if (run) await attachReplay(run, r, options);
      }
    }
    return makeReport(reports, [...errors, ...runErrors.map(({ index: _index, ...e }) => e), ...baselineErrors], shardReportInfo(found.shard, options, wopts.config));
  } finally {
    await Promise.all(shards.map((w) => w.close()));
  }
}
