// One share of a sweep: reads a batch of runs, judges each against the best source-only baseline known so far and
// frees it, keeping only the first source-only run of each task (the baselines). Used inside each worker thread and,
// for one share, in the main thread itself (which has the pipeline loaded already). Memory: one batch of Runs.
import type { Run } from '../model/types.js';
import type { BaselineRun, FromWorker, JudgedRun, RunError, ToWorker, WorkerOptions } from './worker-protocol.js';
import type { RunCache } from './run-cache.js';
import { nothingToDiagnose, loadRun, onlyEmptyEventFiles } from './load-run.js';
import { loadRuns } from './load.js';
import { judgeRun } from './judge.js';
import { slimRunReport } from '../report/slim-run-report.js';
import { attachEvaluation } from './evaluate.js';
import { isSourceOnly, taskKey } from '../understand/baseline-run.js';
import { timedAsync } from '../runtime/phase-clock.js';
import { yieldToEventLoop } from '../runtime/yield-to-event-loop.js';

/** Runs read at once per share: a run's reads (log, checkpoints, npz headers) leave the CPU idle between awaits. */
export const LOAD_CONCURRENCY = 4;

export class RunShard {
  private explicitBaseline: Run | undefined;
  private explicitTried = false;
  /** first-of-task source-only runs known here (sent by the coordinator or found in this shard's batches) */
  private readonly known = new Map<string, BaselineRun>();

  /** `cache`: the caller's RunCache (main thread only): read runs are kept there for plots, HTML and the UI */
  constructor(private readonly post: (m: FromWorker) => void, private readonly cache?: RunCache) {}

  private learn(baselines: BaselineRun[]): void {
    for (const b of baselines) {
      const k = this.known.get(b.task);
      if (!k || k.index > b.index) this.known.set(b.task, b);
    }
  }

  private async explicit(o: WorkerOptions, errors: RunError[]): Promise<Run | undefined> {
    if (o.baseline && !this.explicitTried) {
      this.explicitTried = true;
      const b = await loadRuns([o.baseline], { config: o.config, formatHint: o.formatHint, maxBytes: o.maxBytes });
      this.explicitBaseline = b.runs[0];
      errors.push(...b.errors);
    }
    return this.explicitBaseline;
  }

  /** src/index.ts's evaluation step (on its own worker thread), progress posted to the coordinator. */
  private async evaluate(run: Run, o: WorkerOptions): Promise<void> {
    await timedAsync('evaluate', () => attachEvaluation(run, { evaluate: o.evaluate, backend: o.backend, maxPoints: o.maxPoints, ...(o.rerun ? { rerun: o.rerun } : {}) }, (message, fraction) => this.post({ type: 'progress', message, ...(fraction !== undefined ? { fraction } : {}) })));
  }

  async handle(msg: ToWorker): Promise<void> {
    const o = msg.options;
    const errors: RunError[] = [];
    const explicit = await this.explicit(o, errors);
    this.learn(msg.baselines);
    if (msg.type === 'rejudge') {
      const reports = [];
      for (const r of msg.runs) {
        const run = this.cache?.get(r.run.path) ?? await timedAsync('read', () => loadRun(r.run, { metricAliases: o.config.metricAliases, roles: o.config.roles, formatHint: o.formatHint, maxBytes: o.maxBytes }));
        // evaluated when it was first judged: the same numbers, not computed twice
        if (r.eval) run.eval = r.eval;
        if (r.evalFailure) run.evalFailure = r.evalFailure;
        else if (!r.eval) await this.evaluate(run, o);
        const base = [...this.known.values()].find((b) => b.index === r.baselineIndex);
        reports.push({ index: r.index, report: slimRunReport(judgeRun(run, o.config, base?.run), o.detail) });
      }
      this.post({ type: 'rejudged', reports });
      return;
    }
    const loaded: { index: number; run: Run }[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(o.loadConcurrency ?? LOAD_CONCURRENCY, msg.runs.length) }, async () => {
      while (next < msg.runs.length) {
        const { index, run: d } = msg.runs[next++];
        this.post({ type: 'progress', message: `reading ${d.id}` });
        const run = await timedAsync('read', () => loadRun(d, { metricAliases: o.config.metricAliases, roles: o.config.roles, formatHint: o.formatHint, maxBytes: o.maxBytes }));
        await yieldToEventLoop(); // let Ctrl-C and progress through between runs (see yield-to-event-loop.ts)
        const unreadable = nothingToDiagnose(run);
        if (unreadable) errors.push({ index, path: d.path, message: unreadable, ...(onlyEmptyEventFiles(run) ? { kind: 'empty' as const } : {}) });
        else {
          this.cache?.remember(run);
          loaded.push({ index, run });
        }
      }
    }));
    loaded.sort((a, b) => a.index - b.index);
    // source-only runs first: one later in this batch is still the baseline of an adapted run before it
    const firsts: BaselineRun[] = [];
    for (const { index, run } of loaded) {
      if (!isSourceOnly(run)) continue;
      const task = taskKey(run);
      const k = this.known.get(task);
      if (k && k.index < index) continue;
      const b = { task, index, run };
      this.known.set(task, b);
      firsts.push(b);
    }
    const judged: JudgedRun[] = [];
    for (const { index, run } of loaded) {
      await yieldToEventLoop();
      await this.evaluate(run, o);
      const sourceOnly = isSourceOnly(run);
      const task = taskKey(run);
      const auto = sourceOnly ? undefined : this.known.get(task);
      judged.push({ index, task, sourceOnly, explicit: !!explicit, baselineUsed: auto?.index, report: slimRunReport(judgeRun(run, o.config, explicit ?? auto?.run), o.detail) });
    }
    this.post({ type: 'judged', judged, firsts: firsts.filter((f) => this.known.get(f.task) === f), errors });
  }
}
