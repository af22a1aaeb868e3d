// The versioned JSON report (schemaVersion) every reporter renders and the UI shows: its types and the severity
// order. The lowest layer above the run model: reporters, UI, plots, sweeps and commands import it, never the engine.
import type { Run, HyperValue, Note, EvalResults, PerClassTable, Evaluation, RunStatus, Algorithm, CrashInfo, RunAttempt, InRunBaseline } from '../model/types.js';
import type { RunVerdict, Coverage } from './run-verdict.js';
import type { SeriesRole } from '../model/role-types.js';
import type { ReplayReport } from './replay-schema.js';
import type { NonFiniteField } from '../output/finite-json.js';
import type { EpochBase } from '../model/epoch-numbering.js';

export type Severity = 'error' | 'warn' | 'info';
export type SeveritySetting = Severity | 'off';

/** Worst first: the order findings are listed in everywhere (rules engine, reporters, UI). */
export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

export const CAUSE_IDS = [
  'discriminator-too-strong',
  'grl-coefficient-too-low',
  'trade-off-too-high',
  'learning-rate-too-high',
  'learning-rate-mismatch',
  'class-imbalance-or-label-shift',
  'conditional-shift',
  'label-space-mismatch',
  'tiny-batch-batchnorm',
  'discriminator-not-learning',
  'insufficient-capacity-or-underfit',
  'crash',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/** A pointer to the numbers behind a finding. `observed` is what was seen, `threshold` what it crossed. */
export interface Evidence {
  file: string;
  line?: number;
  endLine?: number;
  series?: string;
  /** step (or epoch for epoch series) range */
  from?: number;
  to?: number;
  unit?: 'step' | 'epoch';
  observed: string | number | boolean | null;
  threshold?: string | number;
  note?: string;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  data: Record<string, string | number>;
  evidence: Evidence[];
  causes: CauseId[];
  /** the weights behind `causes` (rule meta, or the finding's own override); diagnose combines them */
  causeWeights?: { id: CauseId; weight: number }[];
  /** stable across reruns of the same run: hash of ruleId + run id + messageId + first evidence file/series */
  fingerprint: string;
  /** set when a baseline file suppresses this finding */
  suppressed?: boolean;
}

export interface RankedCause {
  id: CauseId;
  confidence: number;
  /** one line each: what raised or lowered the confidence */
  evidence: string[];
  /** concrete, with this run's values */
  fixes: string[];
  /** a cheap experiment that tells this cause apart from the runner-up */
  experiment?: string;
}

export interface SeriesSummary {
  key: string;
  rawName: string;
  unit: string;
  points: number;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  nonFinite: number;
  /** per-epoch means (or the last running average of each epoch for tllib meters) */
  epochMeans: { epoch: number; mean: number }[];
  /** what the series means, how sure, and why (src/understand) */
  role?: SeriesRole;
}

/**
 * A "checked and fine" sentence with the numbers it states, tied to the series they come from, so a test can hold
 * every such sentence to its own data (test/corpus/self-consistency).
 */
export interface CheckedEntry {
  /** what the sentence claims, e.g. 'target-not-degrading', 'domain-settled', 'losses-finite', 'hyper-in-range' */
  claim: string;
  text: string;
  /** canonical key of the series the numbers come from ('evaluations' for target validations read from evaluation lines) */
  series?: string;
  /**
   * The numbers the sentence states. `epoch` when it is one epoch's value; `fromEpoch`..`toEpoch` when it summarises
   * a stretch (`how` says how: 'mean', 'median', 'smoothed' for the noise model's trend, 'value').
   */
  values?: { name: string; value: number; how: 'value' | 'mean' | 'median' | 'smoothed' | 'count' | 'setting'; epoch?: number; fromEpoch?: number; toEpoch?: number }[];
  /** the bound the claim rests on, in the series' unit (e.g. the largest drop that still counts as "did not degrade") */
  limit?: number;
}

export interface RunReport {
  id: string;
  path: string;
  formats: string[];
  files: string[];
  earlierAttempts: string[];
  /** several runs appended in one file: each invocation, how it ended and its config (present when any) */
  attempts?: RunAttempt[];
  /** config/args files found beside the logs (present when any) */
  configFiles?: string[];
  /** the source-only result the run states itself (a results summary's "before"), compared with instead of another run */
  inRunBaseline?: InRunBaseline;
  status: RunStatus;
  crash?: CrashInfo;
  algorithm: Algorithm;
  /** where the algorithm was read, and its name as the run wrote it */
  algorithmFrom?: Run['algorithmFrom'];
  hyperparameters: Record<string, HyperValue>;
  /** files the hyperparameters were read from (log header, config files beside the logs) */
  hyperparameterFiles?: string[];
  /** problems / ok / not-judged (the core signals were not found or not checked); see src/report/run-verdict.ts */
  verdict: RunVerdict;
  /** what the verdict rests on: core signals found and missing, and how to map a series dann-doctor missed */
  coverage: Coverage;
  epochsCompleted?: number;
  /** 1 when the log numbers epochs from 1 (absent: from 0). Epoch fields here are 0-based indices; reporters show index + epochBase */
  epochBase?: EpochBase;
  itersPerEpoch?: number;
  /** headline numbers, percent */
  metrics: {
    finalSourceAcc?: number;
    finalTargetAcc?: number;
    bestTargetAcc?: number;
    bestEpoch?: number;
    testAcc?: number;
    finalDomainAcc?: number;
  };
  series: SeriesSummary[];
  evaluations: Evaluation[];
  perClass: PerClassTable[];
  checkpoints: Run['checkpoints'];
  features?: Run['features'];
  eval?: EvalResults;
  /** a requested evaluation that could not run, and why (absent when none was asked for or it ran) */
  evalFailure?: string;
  /** logs cut by the user's --max-bytes (status is then 'partially-read', never crashed/incomplete) */
  partiallyRead?: Run['partiallyRead'];
  findings: Finding[];
  causes: RankedCause[];
  notApplicable: { ruleId: string; reason: string }[];
  /** one-liners of what was checked and was fine (ux: "healthy is an answer too") */
  checked: string[];
  /** the same sentences with the numbers they state (same order as `checked`) */
  checks?: CheckedEntry[];
  /** what could not be checked and why */
  notChecked: string[];
  notes: Note[];
  /** `--replay`: the run's adversarial game and candidate fixes replayed on its frozen features (docs/replay.md) */
  replay?: ReplayReport;
}

/**
 * Changes when a field is removed, renamed or changes meaning; an added optional field keeps it (readers ignore
 * what they do not know), so shard reports of one version always merge.
 */
export const SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'dann-doctor'; version: string };
  generatedAt: string;
  runs: RunReport[];
  /** input errors that did not stop the other runs (one bad file never stops the run) */
  errors: { path: string; message: string; /** 'empty': a folder that held nothing to read (event files without scalars): said, but not a failure */ kind?: 'empty' }[];
  /**
   * Only in the JSON text (never in memory): the numbers that were NaN/±Infinity, written as null, each with its
   * JSON pointer (output/finite-json.ts; `merge` puts them back).
   */
  nonFiniteFields?: NonFiniteField[];
  /** set on the report of one `--shard i/n` share: what `dann-doctor merge` needs to combine the shares */
  shard?: ShardReportInfo;
}

/** One share of a sharded sweep (`--shard index/count`, 1-based like Jest and Playwright). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Options a shard judged with; merge re-judges with the same ones when a run's baseline was in another shard. */
export interface ShardJudgeOptions {
  config: EngineConfig;
  formatHint?: string;
  maxBytes?: number;
  /** see DiagnoseOptions.evaluate: true = 'deep', false = 'off', undefined = 'quick' */
  evaluate?: boolean | 'off' | 'quick' | 'deep';
  backend?: string;
  maxPoints?: number;
  /** explicit --baseline run: then no run's baseline depends on the other shards */
  baseline?: string;
}

export interface ShardReportInfo extends ShardSpec {
  /** every discovered run of this shard with its position among all discovered runs (the unsharded order) */
  discovered: { id: string; path: string; position: number }[];
  judge: ShardJudgeOptions;
}

/** Per-run options resolved from defaults, config file and CLI flags. */
export interface EngineConfig {
  /** rule id -> severity override */
  rules: Record<string, SeveritySetting>;
  /** rule id -> option overrides */
  ruleOptions: Record<string, Record<string, number>>;
  /** extra raw-name -> canonical key aliases */
  metricAliases: Record<string, string>;
  /** raw series name -> role (`target-acc`, `domain-acc`, a canonical key, `ignore`; src/understand/role-spec.ts) */
  roles?: Record<string, string>;
}
