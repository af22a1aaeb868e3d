// Options of the pipeline `diagnose(paths, options)` (the public API) shared by the CLI, UI and subcommands.
import type { EngineConfig, ShardSpec } from '../report/schema.js';
import type { RunSourceFormat } from '../model/types.js';
import type { RunCache } from './run-cache.js';
import type { ReplayConfig } from '../report/replay-schema.js';
import type { RerunRequest } from '../rerun/rerun-run.js';
import type { ReportDetail } from '../report/slim-run-report.js';

/** `--replay`: what to replay beyond the run and its causes' fixes, and for how long. */
export interface ReplayRequest {
  /** `--try key=value` changes, each one variant */
  tries?: Partial<ReplayConfig>[];
  /** wall-clock budget for all variants (default REPLAY_BUDGET_SECONDS) */
  budgetSeconds?: number;
  /** steps per trial (default REPLAY_ITERATIONS) */
  iterations?: number;
}

export type EvalDepthSetting = 'off' | 'quick' | 'deep';
export type EvaluateSetting = boolean | EvalDepthSetting;

/** The depth an `evaluate` option asks for (undefined = the default, quick). */
export function evalDepthOf(e: EvaluateSetting | undefined): EvalDepthSetting {
  if (e === undefined) return 'quick';
  if (e === true) return 'deep';
  if (e === false) return 'off';
  return e;
}

export interface DiagnoseOptions {
  config?: Partial<EngineConfig>;
  /**
   * evaluation from a run's feature dump (+ checkpoint): 'quick' (the default: predictions, per-class accuracy,
   * collapse, a linear domain probe, in plain typed arrays), 'deep' (also the discriminator counterfactual and
   * per-class A-distance), 'off'. true means 'deep' and false 'off', as before quick evaluation existed.
   */
  evaluate?: EvaluateSetting;
  /** force a TF.js backend (tfjs-node-gpu | tfjs-node | webgpu | wasm | cpu) */
  backend?: string;
  formatHint?: RunSourceFormat;
  /** a source-only run to compare against (no-adaptation-gain) */
  baseline?: string;
  /** stop descending into folders deeper than this when discovering runs */
  maxDepth?: number;
  /** follow symbolic links to folders, and to files outside the folder given (default: neither) */
  followLinks?: boolean;
  /** per-file byte cap */
  maxBytes?: number;
  /** cap on feature points used by evaluation / t-SNE */
  maxPoints?: number;
  /** run several runs in parallel (sweep triage); default: number of cores */
  concurrency?: number;
  /** what is being done now and, when known, the fraction done of that task (0..1) */
  onProgress?: (message: string, fraction?: number) => void;
  /** keep the loaded runs (for plots and HTML after the report); only the in-process path fills it */
  cache?: RunCache;
  /** diagnose only this share of the discovered runs (src/sweep/shard.ts); the report says which, for merge */
  shard?: ShardSpec;
  /**
   * what is kept of each run's report (src/report/slim-run-report.ts): 'full' (default) or 'summary' when every output
   * is text, Markdown or SARIF, so a sweep's memory does not grow by a full report per run
   */
  detail?: ReportDetail;
  /** replay the adversarial game and candidate fixes on each run's frozen features (in-process; docs/replay.md) */
  replay?: ReplayRequest;
  /**
   * `--data ROOT` / `--rerun`: a run with a checkpoint and no feature dump is re-run on its images (the Namespace's
   * dataset, or `data` as the root) and evaluated from that; results are cached outside the run (pipeline/rerun.ts)
   */
  rerun?: RerunRequest;
}
