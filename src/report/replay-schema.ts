// The replay part of the report schema (`RunReport.replay`, `--replay`): one variant of the run's configuration, and what
// replaying it on the frozen features showed. The engine that fills it lives in src/replay/.

/** The training objective replayed on top of the frozen backbone features. */
export type ReplayAlgorithm = 'dann' | 'cdan' | 'cdan+e' | 'source-only';

/**
 * Everything the replay needs to play the run's game again: tllib dann.py/cdan.py's knobs, in their units.
 * Values come from the run's hyperparameters (or tllib's defaults, named in `defaulted`).
 */
export interface ReplayConfig {
  algorithm: ReplayAlgorithm;
  /** weight of the transfer loss (tllib `trade_off`) */
  tradeOff: number;
  /** base learning rate of the bottleneck, head and discriminator (tllib multiplies each group by its lr_mult) */
  lr: number;
  /** tllib's LambdaLR: lr * (1 + lrGamma * i) ** -lrDecay */
  lrGamma: number;
  lrDecay: number;
  momentum: number;
  weightDecay: number;
  /** rows per domain in one step */
  batchSize: number;
  bottleneckDim: number;
  discHidden: number;
  discBatchNorm: boolean;
  discLrMult: number;
  /** WarmStartGradientReverseLayer(alpha, lo, hi, max_iters) */
  grlAlpha: number;
  grlLo: number;
  grlHi: number;
  grlMaxIters: number;
  /** iterations of the real run (epochs x iterations per epoch) the replay's schedule is compressed from */
  runIterations: number;
}

export type ReplayKnob = keyof ReplayConfig;

/** One configuration to replay: the run as configured, a fix attached to a cause, or a user's `--try`. */
export interface ReplayVariant {
  /** short label for tables, e.g. "as configured", "disc_batch_norm=False" */
  label: string;
  /** where the change came from: 'run', a cause id, or 'try' */
  origin: string;
  /** the knobs changed from the run's configuration (empty for the run itself) */
  changes: Partial<ReplayConfig>;
  config: ReplayConfig;
}

/** How the discriminator did over the last part of the replay. */
export type DomainState = 'saturated' | 'at-chance' | 'contested';

/** One replay of one variant with one seed. */
export interface ReplayTrial {
  seed: number;
  iterations: number;
  /** mean training-batch domain accuracy over the last REPLAY_TAIL_FRACTION of iterations, percent (what tllib's meter shows) */
  domainAcc: number | null;
  /** domain accuracy at a few points along the replay, percent, for a sparkline */
  domainAccCurve: number[];
  /** held-out source accuracy at the end, percent */
  sourceAcc: number;
  /** held-out target accuracy at the end, percent; null when the dump has no target labels */
  targetAcc: number | null;
  /** entropy of the target prediction histogram / ln(classes): 1 = all classes predicted equally, 0 = one class */
  predictionEntropy: number;
  /** share of target rows predicted as the most frequent class */
  topClassShare: number;
  /** proxy A-distance of the final bottleneck features (linear probe, held-out) */
  aDistance: number | null;
  /** the losses became non-finite: the replay stopped early */
  diverged: boolean;
  seconds: number;
}

/** All trials of one variant, summarised. */
export interface ReplayVariantResult {
  variant: ReplayVariant;
  trials: ReplayTrial[];
  /** mean and sample standard deviation over seeds (sd null with one seed) */
  domainAcc: { mean: number; sd: number | null } | null;
  targetAcc: { mean: number; sd: number | null } | null;
  sourceAcc: { mean: number; sd: number | null };
  aDistance: { mean: number; sd: number | null } | null;
  domainState: DomainState | null;
  collapsed: boolean;
  diverged: boolean;
  /** against the run as configured: target accuracy change judged against seed noise */
  verdict: string;
}

export interface ReplayReport {
  /** the one honest sentence every output shows */
  caveat: string;
  backend: string;
  /** which arrays were replayed on, and how they were split */
  inputs: { source: string; target: string; sourceRows: number; targetRows: number; featureDim: number; classes: number; heldOutFraction: number };
  iterations: number;
  seeds: number;
  budgetSeconds: number;
  /** true when the budget ran out before every variant had every seed */
  budgetExhausted: boolean;
  variants: ReplayVariantResult[];
  notes: string[];
}
