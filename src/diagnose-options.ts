// Options of the programmatic API `diagnose(paths, options)` (src/index.ts) shared by the CLI, UI and subcommands.
import type { EngineConfig, ShardSpec } from './engine/types.js';
import type { RunSourceFormat } from './model/types.js';

export interface DiagnoseOptions {
  config?: Partial<EngineConfig>;
  /** re-run evaluation from checkpoints / feature dumps (TF.js); default false for speed */
  evaluate?: boolean;
  /** force a TF.js backend (tfjs-node-gpu | tfjs-node | webgpu | wasm | cpu) */
  backend?: string;
  formatHint?: RunSourceFormat;
  /** a source-only run to compare against (no-adaptation-gain) */
  baseline?: string;
  /** stop descending into folders deeper than this when discovering runs */
  maxDepth?: number;
  /** per-file byte cap */
  maxBytes?: number;
  /** cap on feature points used by evaluation / t-SNE */
  maxPoints?: number;
  /** run several runs in parallel (sweep triage); default: number of cores */
  concurrency?: number;
  /** what is being done now and, when known, the fraction done of that task (0..1) */
  onProgress?: (message: string, fraction?: number) => void;
  /** diagnose only this share of the discovered runs (src/sweep/shard.ts); the report says which, for merge */
  shard?: ShardSpec;
}
