// Worker thread for diagnoseMany: reads its share of a sweep's runs, then judges them once baselines are known.
import { parentPort } from 'node:worker_threads';
import type { Run } from '../model/types.js';
import type { RunReport } from '../engine/types.js';
import type { FromWorker, RunStub, ToWorker, WorkerOptions } from './worker-protocol.js';
import { loadRun } from '../load-run.js';
import { judgeRun, loadRuns } from '../index.js';

/** Runs read at once per worker; measured: 4 hides most I/O waits, more only adds memory (see bench/triage.ts). */
const LOAD_CONCURRENCY = 4;

const kept = new Map<number, Run>();
let options: WorkerOptions | undefined;
let explicitBaseline: Run | undefined;
const errors: { path: string; message: string }[] = [];

function post(msg: FromWorker): void {
  parentPort!.postMessage(msg);
}

/** Same policy as src/index.ts's evaluation step: loaded lazily, a failure becomes a note on the run. */
async function attachEvaluation(run: Run, o: WorkerOptions): Promise<void> {
  if (!o.evaluate) return;
  const { evaluateRun } = await import('../evaluate/index.js');
  try {
    const res = await evaluateRun(run, { backend: o.backend, maxPoints: o.maxPoints, onProgress: (m: string) => post({ type: 'progress', message: `${run.id}: ${m}` }) });
    if (res) run.eval = res;
  } catch (err) {
    run.notes.push({ level: 'warn', file: run.path, message: `evaluation failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'load') {
    options = msg.options;
    if (options.baseline && !explicitBaseline) {
      const b = await loadRuns([options.baseline], { config: options.config, formatHint: options.formatHint, maxBytes: options.maxBytes });
      explicitBaseline = b.runs[0];
      errors.push(...b.errors);
    }
    const stubs: RunStub[] = [];
    // Several runs in flight at once: a run's reads (log, checkpoints, npz headers) wait on I/O about half the time.
    let next = 0;
    const o = options;
    await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, msg.runs.length) }, async () => {
      while (next < msg.runs.length) {
        const { index, run: d } = msg.runs[next++];
        post({ type: 'progress', message: `reading ${d.id}` });
        const run = await loadRun(d, { metricAliases: o.config.metricAliases, formatHint: o.formatHint, maxBytes: o.maxBytes });
        kept.set(index, run);
        stubs.push({ index, algorithm: run.algorithm, hyperparameters: run.hyperparameters });
      }
    }));
    post({ type: 'loaded', stubs, errors: errors.splice(0) });
  } else if (msg.type === 'send') {
    post({ type: 'runs', runs: msg.indices.flatMap((i) => (kept.has(i) ? [{ index: i, run: kept.get(i)! }] : [])) });
  } else {
    const o = options!;
    const foreign = new Map(msg.baselines.map((b) => [b.index, b.run]));
    const reports: { index: number; report: RunReport }[] = [];
    for (const [index, run] of kept) {
      await attachEvaluation(run, o);
      const bi = msg.baselineOf[index];
      const baseline = explicitBaseline ?? (bi === undefined ? undefined : kept.get(bi) ?? foreign.get(bi));
      reports.push({ index, report: judgeRun(run, o.config, baseline) });
    }
    kept.clear();
    post({ type: 'reports', reports, errors: errors.splice(0) });
  }
}

parentPort!.on('message', (msg: ToWorker) => {
  handle(msg).catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined }));
});
