// Messages between diagnoseMany (main thread) and its diagnose workers; plain data only (structured clone).
import type { DiscoveredRun } from '../discover/discover-runs.js';
import type { EngineConfig, RunReport } from '../report/schema.js';
import type { Algorithm, HyperValue, Run, RunSourceFormat } from '../model/types.js';
import type { EvaluateSetting } from './options.js';

/** The cloneable subset of DiagnoseOptions a worker needs (onProgress is a function and stays in the main thread). */
export interface WorkerOptions {
  config: EngineConfig;
  evaluate?: EvaluateSetting;
  backend?: string;
  formatHint?: RunSourceFormat;
  maxBytes?: number;
  maxPoints?: number;
  /** explicit source-only run path (--baseline); each worker loads it once */
  baseline?: string;
  /** runs read at once per worker */
  loadConcurrency?: number;
}

/** What the main thread needs to pick baselines across all runs, without the runs' series. */
export interface RunStub {
  index: number;
  algorithm: Algorithm;
  hyperparameters: Record<string, HyperValue>;
}

export type ToWorker =
  /** phase 1: read these runs and keep them */
  | { type: 'load'; options: WorkerOptions; runs: { index: number; run: DiscoveredRun }[] }
  /** send full Runs (source-only baselines other workers need) */
  | { type: 'send'; indices: number[] }
  /** phase 2: judge every kept run; `baselineOf[index]` names its baseline run (kept here or in `baselines`) */
  | { type: 'judge'; baselineOf: Record<number, number>; baselines: { index: number; run: Run }[]; neededLater: number[] };

export type FromWorker =
  | { type: 'progress'; message: string }
  | { type: 'loaded'; stubs: RunStub[]; errors: { path: string; message: string }[] }
  | { type: 'runs'; runs: { index: number; run: Run }[] }
  /** judged runs, in chunks as they are done (the worker frees each Run once judged); `last` ends the answer */
  | { type: 'reports'; reports: { index: number; report: RunReport }[]; errors: { path: string; message: string }[]; last: boolean }
  | { type: 'failed'; message: string; stack?: string };
