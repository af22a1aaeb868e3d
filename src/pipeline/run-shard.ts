// One share of a sweep: reads its runs, keeps them until baselines are known, then judges them. Used inside each
// worker thread and, for one share, in the main thread itself (which has the pipeline loaded already).
import type { Run } from '../model/types.js';
import type { RunReport } from '../report/schema.js';
import type { FromWorker, RunStub, ToWorker, WorkerOptions } from './worker-protocol.js';
import { nothingToDiagnose, loadRun, onlyEmptyEventFiles } from './load-run.js';
import { loadRuns } from './load.js';
import { judgeRun } from './judge.js';
import { attachEvaluation } from './evaluate.js';

/** Runs read at once per share: a run's reads (log, checkpoints, npz headers) leave the CPU idle between awaits. */
export const LOAD_CONCURRENCY = 4;
/** Reports handed back per message while judging, so both sides never hold all of them twice. */
export const REPORT_CHUNK = 32;

export class RunShard {
  private readonly kept = new Map<number, Run>();
  private options: WorkerOptions | undefined;
  private explicitBaseline: Run | undefined;
  private readonly errors: { path: string; message: string }[] = [];

  constructor(private readonly post: (m: FromWorker) => void) {}

  /** Handles one request; answers through `post` (a 'reports' answer may come in several chunks). */
  async handle(msg: ToWorker): Promise<void> {
    if (msg.type === 'load') {
      const o = (this.options = msg.options);
      if (o.baseline && !this.explicitBaseline) {
        const b = await loadRuns([o.baseline], { config: o.config, formatHint: o.formatHint, maxBytes: o.maxBytes });
        this.explicitBaseline = b.runs[0];
        this.errors.push(...b.errors);
      }
      const stubs: RunStub[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(o.loadConcurrency ?? LOAD_CONCURRENCY, msg.runs.length) }, async () => {
        while (next < msg.runs.length) {
          const { index, run: d } = msg.runs[next++];
          this.post({ type: 'progress', message: `reading ${d.id}` });
          const run = await loadRun(d, { metricAliases: o.config.metricAliases, roles: o.config.roles, formatHint: o.formatHint, maxBytes: o.maxBytes });
          const unreadable = nothingToDiagnose(run);
          if (unreadable) {
            this.errors.push({ path: d.path, message: unreadable, ...(onlyEmptyEventFiles(run) ? { kind: 'empty' as const } : {}) });
            continue;
          }
          this.kept.set(index, run);
          stubs.push({ index, algorithm: run.algorithm, hyperparameters: run.hyperparameters });
        }
      }));
      this.post({ type: 'loaded', stubs, errors: this.errors.splice(0) });
    } else if (msg.type === 'send') {
      this.post({ type: 'runs', runs: msg.indices.flatMap((i) => (this.kept.has(i) ? [{ index: i, run: this.kept.get(i)! }] : [])) });
    } else {
      const o = this.options!;
      const foreign = new Map(msg.baselines.map((b) => [b.index, b.run]));
      const needed = new Set(msg.neededLater);
      let reports: { index: number; report: RunReport }[] = [];
      for (const [index, run] of [...this.kept]) {
        await attachEvaluation(run, o, (message) => this.post({ type: 'progress', message }));
        const bi = msg.baselineOf[index];
        const baseline = this.explicitBaseline ?? (bi === undefined ? undefined : this.kept.get(bi) ?? foreign.get(bi));
        reports.push({ index, report: judgeRun(run, o.config, baseline) });
        // a judged run is freed unless another run still needs it as its baseline
        if (!needed.has(index)) this.kept.delete(index);
        if (reports.length >= REPORT_CHUNK) {
          this.post({ type: 'reports', reports, errors: [], last: false });
          reports = [];
        }
      }
      this.kept.clear();
      this.post({ type: 'reports', reports, errors: this.errors.splice(0), last: true });
    }
  }
}
