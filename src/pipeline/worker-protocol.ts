// Messages between the sweep coordinator (main thread) and its shards (worker threads, or the main thread's own);
// plain data only (structured clone).
import type { DiscoveredRun } from '../discover/discover-runs.js';
import type { EngineConfig, Report, RunReport } from '../report/schema.js';
import type { Run, RunSourceFormat } from '../model/types.js';
import type { DiagnoseOptions, EvaluateSetting } from './options.js';
import type { ReportDetail } from '../report/slim-run-report.js';

/** The cloneable subset of DiagnoseOptions a worker needs (onProgress is a function and stays in the main thread). */
export interface WorkerOptions {
  config: EngineConfig;
  evaluate?: EvaluateSetting;
  backend?: string;
  formatHint?: RunSourceFormat;
  maxBytes?: number;
  maxPoints?: number;
  /** explicit source-only run path (--baseline); each shard loads it once */
  baseline?: string;
  /** runs read at once per shard */
  loadConcurrency?: number;
  /** what of each judged run's report is sent back (reduced in the shard, so a worker copies less too) */
  detail?: ReportDetail;
  /** re-run checkpoints without a dump on their images (--data / --rerun) */
  rerun?: DiagnoseOptions['rerun'];
}

/** A source-only run that is the first (lowest discovery index) of its task that its sender knows of. */
export interface BaselineRun {
  task: string;
  index: number;
  run: Run;
}

/** One judged run: its report and what its judgment depended on, so the coordinator can check the baseline. */
export interface JudgedRun {
  index: number;
  report: RunReport;
  task: string;
  sourceOnly: boolean;
  /** discovery index of the auto-picked baseline it was judged against (none: undefined) */
  baselineUsed?: number;
  /** judged against the explicit --baseline run (auto-picks do not matter) */
  explicit: boolean;
}

export type RunError = Report['errors'][number] & { index?: number };

export type ToWorker =
  /** read, judge and free these runs; `baselines` are first-of-task source-only runs the shard was not sent yet */
  | { type: 'batch'; options: WorkerOptions; runs: { index: number; run: DiscoveredRun }[]; baselines: BaselineRun[] }
  /** judge these runs again against the whole set's baseline (their shard knew an other one, or none, at the time) */
  | { type: 'rejudge'; options: WorkerOptions; runs: { index: number; run: DiscoveredRun; baselineIndex: number; eval?: RunReport['eval']; evalFailure?: string }[]; baselines: BaselineRun[] };

export type FromWorker =
  | { type: 'progress'; message: string; fraction?: number }
  | { type: 'judged'; judged: JudgedRun[]; firsts: BaselineRun[]; errors: RunError[] }
  | { type: 'rejudged'; reports: { index: number; report: RunReport }[] }
  | { type: 'failed'; message: string; stack?: string };
