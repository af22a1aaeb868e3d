// The normalized, read-only data model every reader produces and every rule consumes.
// Readers emit RunFragments; src/model/build-run.ts merges them into one Run.
import type { SeriesRole } from './role-types.js';
import type { EpochBase } from './epoch-numbering.js';

/** A place in an input file that a claim points at. Lines are 1-based; offsets are byte offsets. */
export interface SourceRef {
  file: string;
  line?: number;
  endLine?: number;
  offset?: number;
}

/** Something a reader skipped, repaired or found unusual. Reporters show them; nothing is dropped silently. */
export interface Note extends Partial<SourceRef> {
  level: 'info' | 'warn';
  message: string;
}

/**
 * One observation of a metric. `step` is the global training iteration (epoch * itersPerEpoch + i for tllib),
 * or the epoch index for per-epoch series. Non-finite values are kept: in training logs a NaN is a symptom.
 */
export interface Point {
  step: number;
  value: number;
  /** tllib AverageMeter running mean since the start of the current epoch, when the log has it. */
  avg?: number;
  epoch?: number;
  /** iteration inside the epoch */
  iter?: number;
  line?: number;
  wallTime?: number;
}

export type SeriesUnit = 'percent' | 'fraction' | 'loss' | 'lr' | 'coefficient' | 'other';

/**
 * A named metric over time. Accuracies are stored in percent (0..100) whatever the source used;
 * `scaledFrom` says when a fraction was converted.
 */
export interface Series {
  /** canonical key, e.g. 'train/domain_acc' (see src/model/metric-keys.ts) or the raw name for unknown metrics */
  key: string;
  /** name as written in the source, e.g. 'Domain Acc', 'disc_acc' */
  rawName: string;
  file: string;
  unit: SeriesUnit;
  /** 'iteration' for per-step training meters, 'epoch' for one value per epoch (validation) */
  granularity: 'iteration' | 'epoch';
  scaledFrom?: 'fraction';
  points: Point[];
  /** what the series means and why (src/understand/assign-roles.ts); set for every series of a loaded run */
  role?: SeriesRole;
  /** text fields printed with every value of this series (`Task: AD` on a SHOT line): which task or domain it measured */
  labels?: Record<string, string>;
  /**
   * The values evaluate the finished model, once each (a test log such as log_test.txt, a final metrics file such as
   * metrics.json, a results summary): end-of-run results, never a training curve (src/understand/final-results.ts).
   */
  endOfRun?: 'test-log' | 'summary';
  /** a remark written beside the value in a summary (`0.8971  (source-only baseline)`) */
  comment?: string;
}

/** 'partially-read': the user's --max-bytes cut a log, so how the run ended is not known (never a diagnosis) */
export interface PartialRead {
  file: string;
  bytesRead: number;
  size: number;
}

export type RunStatus = 'finished' | 'crashed' | 'incomplete' | 'running' | 'failed' | 'killed' | 'unknown' | 'partially-read';

export type Algorithm =
  | 'dann' | 'cdan' | 'mdd' | 'erm' | 'dan' | 'jan' | 'mcd' | 'adda' | 'afn' | 'bsp' | 'mcc'
  | 'self_ensemble' | 'fixmatch' | 'cc_loss' | 'coral' | 'shot'
  // 'other': the run names an algorithm dann-doctor has no model of (see Run.algorithmFrom.name)
  | 'other'
  // framework names some readers report; src/understand/algorithm.ts never leaves them on a loaded run
  | 'deepda' | 'dassl'
  | 'unknown';

export type HyperValue = string | number | boolean | null | HyperValue[];

export interface CrashInfo extends SourceRef {
  /** e.g. 'RuntimeError' */
  type: string;
  message: string;
}

export interface PerClassRow {
  name: string;
  /** percent; NaN when the class had no samples */
  acc: number;
  iou?: number;
}

/** A per-class accuracy table, from a log (`--per-class-eval`) or from re-evaluation. */
export interface PerClassTable extends SourceRef {
  domain: 'source' | 'target';
  origin: 'log' | 'evaluation';
  /** epoch the table belongs to; undefined for the final test-phase table */
  epoch?: number;
  phase: 'val' | 'test';
  globalCorrect?: number;
  meanCorrect?: number;
  meanIoU?: number;
  rows: PerClassRow[];
}

/** One validation/test pass as logged (` * Acc@1 ...`). Accuracies in percent. */
export interface Evaluation extends SourceRef {
  phase: 'val' | 'test';
  domain: 'source' | 'target';
  epoch?: number;
  acc1?: number;
  acc5?: number;
  /** MCD logs two heads */
  acc2?: number;
  loss?: number;
  /** which task the pass evaluated, as its line labelled it (`Task: AD`) */
  labels?: Record<string, string>;
}

/** A source-only (no adaptation) target accuracy the run reports about itself (`target_acc_before: 0.8971 (source-only baseline)`). */
export interface InRunBaseline {
  /** percent */
  value: number;
  /** the name as written, e.g. "target_acc_before" */
  from: string;
  /** the remark beside it, e.g. "(source-only baseline)" */
  comment?: string;
  ref: SourceRef;
}

/** Facts from one .pth checkpoint (see src/ingest/pth). */
export interface CheckpointInfo {
  path: string;
  /** 'latest' | 'best' | 'pretrain' | other basename */
  name: string;
  format: 'zip' | 'legacy' | 'unknown';
  tensors: { name: string; shape: number[]; dtype: string }[];
  /** e.g. bottleneck BatchNorm present, num classes, iterations trained */
  facts: {
    numClasses?: number;
    bottleneckBatchNorm?: boolean;
    discriminatorBatchNorm?: boolean;
    discriminatorHidden?: number;
    iterationsTrained?: number;
    epochsTrained?: number;
    featureDim?: number;
  };
  notes: Note[];
}

/** A feature dump found beside the run (features.npz or .npy files). */
export interface FeatureDumpInfo {
  path: string;
  arrays: { name: string; shape: number[]; dtype: string }[];
  /** set when dann-doctor made this dump itself by re-running the run's checkpoint on its images (`--data`) */
  rerun?: RerunInfo;
}

/** Where a re-run dump came from (its file lives in dann-doctor's cache, never in the run directory). */
export interface RerunInfo {
  checkpoint: string;
  dataRoot: string;
  /** the validation transform as tllib prints it */
  transform: string;
  /** engine and backend the network ran on, e.g. 'onnxruntime (cpu)' */
  engine: string;
  architecture: string;
  rows: { source: number; target: number };
  imagesPerSecond: number;
  /** true when the arrays came from the cache (no image was decoded this time) */
  cached: boolean;
  /** class names the dataset gives (tllib's Digits names, an ImageFolder's folders) */
  classNames?: string[];
}

export interface DomainEval {
  n: number;
  accuracy: number;
  /** percent per class, NaN where the class has no samples */
  perClassAcc: number[];
  /** rows = true class, cols = predicted; empty when there are more than 256 classes (see confusionCells) */
  confusion: number[][];
  /** with more than 256 classes: the non-zero confusion cells as [true, predicted, count], sorted */
  confusionCells?: [number, number, number][];
  predHistogram: number[];
  labelHistogram: number[];
  /** entropy of the prediction histogram divided by ln(numClasses): 1 = spread evenly, 0 = one class */
  predEntropyNorm: number;
  /** how the predictions were obtained */
  predictionsFrom: 'logits' | 'predictions' | 'rebuilt-head' | 'probe' | 'tfjs-model'; // tfjs-model: a model.json/SavedModel found in the run dir
  /** the dump array the predictions came from (e.g. target_logits), for evidence */
  predictionsArray?: string;
}

/** What src/evaluate measured from checkpoints and feature dumps. */
export interface EvalResults {
  /** quick: predictions, per-class, confusion, label distribution, linear probe (typed arrays, on by default);
   *  deep: also what trains a network (discriminator counterfactual) and per-class A-distance (--eval deep) */
  depth?: 'quick' | 'deep';
  backend: string;
  backendReason: string;
  numClasses: number;
  classNames?: string[];
  source?: DomainEval;
  target?: DomainEval;
  /** fresh linear probe separating source from target features */
  domainProbe?: {
    accuracy: number; aDistance: number; heldOut: number; seed: number;
    /** rows per domain the probe drew from (a seeded subsample when fewer than the dump has) */
    rowsPerDomain?: number;
    /** standard error of the held-out accuracy, percentage points */
    standardError?: number;
    /** the dump arrays it separated */
    arrays?: string[];
  };
  /** source class c vs target class c; high values = conditional misalignment */
  perClassADistance?: number[];
  /** the run's discriminator shape trained with and without BatchNorm on the dumped features */
  discriminatorCounterfactual?: {
    withBatchNorm: { stepsToSeparate: number | null; finalAccuracy: number };
    withoutBatchNorm: { stepsToSeparate: number | null; finalAccuracy: number };
    budgetSteps: number;
    /** steps actually trained per variant when the answer was clear before the budget (early stop) */
    stepsRun?: { withBatchNorm: number; withoutBatchNorm: number };
    /** what trained it: onnxruntime (a training step as an ONNX graph) or a TF.js backend */
    engine?: string;
  };
  /** estimated target label distribution (from predictions), and source's */
  targetLabelDistribution?: number[];
  sourceLabelDistribution?: number[];
  /** the classifier rebuilt from a checkpoint (bottleneck + head) run on `*_backbone_features`, checked against the dumped logits */
  rebuiltHead?: {
    checkpoint: string;
    bottleneckBatchNorm: boolean;
    /** bottleneck BN num_batches_tracked (training iterations) */
    batchesTracked?: number;
    source?: DomainEval;
    target?: DomainEval;
    /** percent of rows whose argmax equals the dumped logits' argmax */
    agreementWithDump?: number;
    maxAbsLogitDiff?: number;
  };
  /** a TF.js classifier (model.json LayersModel/GraphModel, or a SavedModel on tfjs-node) from the run dir, run on the dumped features */
  tfjsModel?: {
    file: string;
    format: 'layers-model' | 'graph-model' | 'saved-model';
    /** the dumped arrays it was run on, per domain (e.g. target_backbone_features) */
    inputs: string[];
    source?: DomainEval;
    target?: DomainEval;
    /** percent of rows whose argmax equals the dumped logits' argmax */
    agreementWithDump?: number;
  };
  seconds: number;
  notes: Note[];
}

export type RunSourceFormat =
  | 'tllib' | 'tfevents' | 'mlflow' | 'lightning-csv' | 'keras-csv' | 'deepda-csv' | 'csv' | 'jsonl'
  | 'deepda-log' | 'dassl-log' | 'keras-log' | 'wandb' | 'console' | 'summary' | 'unknown';

/** Where one appended attempt's rows reached: first and last epoch (when the file has one), last step. */
export interface AttemptReach {
  firstEpoch?: number;
  lastEpoch?: number;
  lastStep?: number;
  /** steps between the last two logged values (an evaluation interval): the last log may fall short of the plan by it */
  stepInterval?: number;
  /** the plan the lines themselves print (`Iter:400/4000`, `epoch [3/50]`) */
  plannedSteps?: number;
  plannedEpochs?: number;
}

/**
 * One invocation of a training script when several were appended to one file (DomainBed out.txt, a log opened
 * in mode 'a', JSONL/CSV rows whose step restarts): what it logged, how it ended, with its own config.
 */
export interface RunAttempt {
  file: string;
  /** 1-based lines (or rows) the attempt spans */
  line: number;
  endLine: number;
  /** 1-based, in file order */
  index: number;
  status: RunStatus;
  /** what the status rests on when no traceback says it (`reached epoch 19 of 20 planned (epochs)`) */
  statusFrom?: string;
  crash?: CrashInfo;
  /**
   * Which run of the file this invocation belongs to (1-based, src/understand/appended-runs.ts): consecutive
   * invocations with the same config are restarts of one run; a config with other hyperparameters starts a new run.
   */
  run?: number;
  /** the hyperparameters that differ from the invocation before (when this one starts a new run), at most a few */
  changed?: string[];
  /** where its rows reached (CSV/JSONL): the status is read from these against the planned epochs or steps */
  reached?: AttemptReach;
  /** the config the attempt printed (its header), raw names */
  config?: Record<string, HyperValue>;
  /** raw series name -> number of points */
  pointCounts: Record<string, number>;
}

/** What one reader produced from one file or store. Everything optional; build-run merges. */
export interface RunFragment {
  format: RunSourceFormat;
  files: string[];
  series?: Series[];
  hyperparameters?: Record<string, HyperValue>;
  /** where the hyperparameters were read (Namespace line, hparams.yaml, params/) */
  hyperparametersFrom?: SourceRef;
  algorithm?: Algorithm;
  status?: RunStatus;
  crash?: CrashInfo;
  evaluations?: Evaluation[];
  perClass?: PerClassTable[];
  bestAcc1?: number;
  testAcc1?: number;
  /** A-distance lines from a tllib analysis log */
  aDistance?: { value: number; ref: SourceRef };
  epochsCompleted?: number;
  /** the epochs the log itself says were planned (`Epoch: [ 3/500]`, `Epoch 3/50`): for when no setting says it */
  epochsPlanned?: number;
  /** 1 when the log numbers its first epoch 1 (series still hold 0-based indices; src/model/epoch-numbering.ts) */
  epochBase?: EpochBase;
  itersPerEpoch?: number;
  /** config/args files found beside the logs (read or not): the role/config layer reads them */
  configFiles?: string[];
  /** every invocation found appended in the reader's file, oldest first (the run's series are from one of them) */
  attempts?: RunAttempt[];
  notes?: Note[];
}

export interface Run {
  /** stable id: path relative to the root the user gave, or the basename */
  id: string;
  /** absolute path of the run directory or file */
  path: string;
  formats: RunSourceFormat[];
  files: string[];
  /** earlier attempts in the same directory (older train-*.txt), newest last */
  earlierAttempts: string[];
  /** invocations appended in one file (DomainBed out.txt, logs opened with 'a'), oldest first */
  attempts?: RunAttempt[];
  /** config/args files found beside the logs */
  configFiles?: string[];
  status: RunStatus;
  crash?: CrashInfo;
  algorithm: Algorithm;
  /** where the algorithm was read, and its name as written (src/understand/algorithm.ts) */
  algorithmFrom?: { name: string; from: 'config' | 'log' | 'folder' | 'series'; detail: string };
  hyperparameters: Record<string, HyperValue>;
  hyperparametersFrom?: SourceRef;
  /** each file hyperparameters were read from (config files beside the logs, the log's own header) */
  hyperparameterFiles?: string[];
  /** by canonical key */
  series: Record<string, Series>;
  evaluations: Evaluation[];
  perClass: PerClassTable[];
  bestAcc1?: number;
  testAcc1?: number;
  /** the source-only target accuracy the run's own results file states (src/understand/final-results.ts) */
  inRunBaseline?: InRunBaseline;
  aDistance?: { value: number; ref: SourceRef };
  epochsCompleted?: number;
  /** planned epochs as the log's own counter says (`[3/500]`); a setting (n_epoch, epochs) wins over it */
  epochsPlanned?: number;
  /** 1 when the log numbers epochs from 1: messages show index + epochBase (src/model/epoch-numbering.ts) */
  epochBase?: EpochBase;
  itersPerEpoch?: number;
  checkpoints: CheckpointInfo[];
  features?: FeatureDumpInfo;
  eval?: EvalResults;
  /** the evaluation the user asked for (--eval) could not run, and why; reporters say it in their first lines */
  evalFailure?: string;
  /** logs cut by the user's --max-bytes: what was read of each (reporters always say it) */
  partiallyRead?: PartialRead[];
  notes: Note[];
}
