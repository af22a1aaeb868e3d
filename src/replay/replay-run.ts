// Replays the run's game and each candidate fix on the run's own frozen features, within a time budget.
import type { NdArray } from '../model/ndarray.js';
import type { Tf } from '../evaluate/backend.js';
import { type Matrix, takeRows } from '../evaluate/matrix.js';
import { domainArrays, maxLabel } from '../evaluate/dump-arrays.js';
import { mulberry32, shuffled, range } from '../evaluate/rng.js';
import { playTrial, type ReplaySplit, type TrialOptions } from './game.js';
import type { Ort } from '../evaluate/onnx-graph.js';
import { ORT_TRAIN_THREADS } from '../evaluate/onnx-train.js';
import type { DomainState, ReplayReport, ReplayTrial, ReplayVariant, ReplayVariantResult } from '../report/replay-schema.js';

/** Said once in every output that shows a replay. */
export const REPLAY_CAVEAT =
  'A replay trains only the bottleneck, head and discriminator on frozen backbone features: it shows the direction a fix moves the game, not the number a full retraining would reach.';
/** Steps per trial: heads on frozen features settle within a few hundred steps of batch 32+32. */
export const REPLAY_ITERATIONS = 300;
/** Seeds per variant when the budget allows: enough for a first estimate of seed noise. */
export const REPLAY_MAX_SEEDS = 3;
/** Default wall-clock budget for all variants together. */
export const REPLAY_BUDGET_SECONDS = 30;
/** Variants replayed at most (run, reference, fixes, tries). */
export const REPLAY_MAX_VARIANTS = 6;
/** Rows per domain the replay trains on at most; more changes the direction little and costs linearly. */
export const REPLAY_MAX_ROWS = 4000;
/** Held-out share of each domain, scored at the end (as the probes do). */
export const REPLAY_HELD_OUT_FRACTION = 0.3;
/** The split is the same for every variant and seed, so variants differ only in configuration and init. */
const SPLIT_SEED = 0;
/** tllib's logs read as a pinned discriminator from ~90% domain accuracy. */
export const SATURATED_DOMAIN_ACC = 90;
/** Within this many points of 50% the discriminator cannot tell the domains apart. */
export const CHANCE_BAND = 5;
/** Target predictions whose class histogram has under half the entropy of a uniform one have collapsed. */
export const COLLAPSE_ENTROPY = 0.5;
/** A target-accuracy change counts when it exceeds this many standard errors of the difference ... */
export const CHANGE_Z = 2;
/** ... and at least this many points. */
export const MIN_CHANGE_POINTS = 1;

export class ReplayInputError extends Error {}

export type ReplayEngineChoice = 'auto' | 'tfjs' | 'onnxruntime';

/** One way of playing a trial; `name` goes into the report. */
interface TrialEngine {
  name: string;
  play(split: ReplaySplit, cfg: ReplayVariant['config'], opts: TrialOptions): Promise<ReplayTrial>;
  release(): Promise<void>;
}

/**
 * The fastest engine here: onnxruntime-node's MLAS GEMMs (one thread) play the game ~3x faster than TF.js on wasm
 * (docs/replay.md, Speed); TF.js stays the fallback where the optional onnxruntime-node addon does not load.
 */
async function trialEngine(tf: Tf, want: ReplayEngineChoice, backendName: string): Promise<TrialEngine> {
  if (want !== 'tfjs') {
    const [{ loadOnnxRuntime }, { onnxGame }] = await Promise.all([import('../evaluate/onnx-mlp.js'), import('./game-onnx.js')]);
    const { ort, why } = await loadOnnxRuntime();
    if (ort) {
      const game = onnxGame(ort as unknown as Ort, tf);
      return { name: `onnxruntime-node (CPU, ${ORT_TRAIN_THREADS} thread; probe on ${backendName})`, play: game.play, release: game.release };
    }
    if (want === 'onnxruntime') throw new Error(`onnxruntime-node is not available to replay on: ${why}`);
  }
  return { name: backendName, play: (split, cfg, opts) => playTrial(tf, split, cfg, opts), release: async () => {} };
}

export interface ReplayInputs {
  arrays: ReadonlyMap<string, NdArray>;
  /** the dump's file name, for the report */
  file: string;
}

export interface ReplayOptions {
  budgetSeconds?: number;
  iterations?: number;
  maxSeeds?: number;
  backendName: string;
  /** where the game is played: 'auto' = onnxruntime-node when it loads, else TF.js on `backendName` */
  engine?: ReplayEngineChoice;
  signal?: AbortSignal;
  onProgress?: (msg: string, frac: number) => void;
}

/** The dump's backbone features (bottleneck outputs when no backbone features were dumped) and labels, split. */
export function replaySplitOf(inputs: ReplayInputs): { split: ReplaySplit; names: { source: string; target: string }; notes: string[] } {
  const notes: string[] = [];
  // the same array names evaluation accepts (src/evaluate/dump-arrays.ts)
  const src = domainArrays(inputs.arrays, 'source');
  const tgt = domainArrays(inputs.arrays, 'target');
  const sX = src.backbone ?? src.features;
  const tX = tgt.backbone ?? tgt.features;
  const sName = (src.backbone ? src.backboneName : src.featuresName) ?? '';
  const tName = (tgt.backbone ? tgt.backboneName : tgt.featuresName) ?? '';
  const sY = src.labels;
  const tY = tgt.labels ?? null;
  if (!sX || !tX) throw new ReplayInputError(`${inputs.file}: no source_/target_ (backbone_)features to replay on`);
  if (!sY) throw new ReplayInputError(`${inputs.file}: no source_labels: the replay needs the source labels to train the head`);
  if (!src.backbone) notes.push(`${inputs.file} has no *_backbone_features: replayed on ${sName} (the trained bottleneck's output), so the replay's bottleneck sits on top of the run's own`);
  if (sX.cols !== tX.cols || sX.cols === 0) throw new ReplayInputError(`${inputs.file}: ${sName} has ${sX.cols} columns and ${tName} ${tX.cols}; the replay needs the same non-zero width`);
  if (sY.length !== sX.rows) throw new ReplayInputError(`${inputs.file}: ${src.labelsName} has ${sY.length} rows, ${sName} ${sX.rows}`);
  if (tY && tY.length !== tX.rows) throw new ReplayInputError(`${inputs.file}: ${tgt.labelsName} has ${tY.length} rows, ${tName} ${tX.rows}`);
  const classes = maxLabel([sY, tY ?? undefined]) + 1;
  if (classes < 2) throw new ReplayInputError(`${inputs.file}: ${src.labelsName} holds fewer than two classes`);
  const rand = mulberry32(SPLIT_SEED);
  const cut = (m: Matrix, y: Int32Array | null, name: string) => {
    let idx = shuffled(range(m.rows), rand).filter((i) => !y || y[i]! >= 0);
    if (idx.length > REPLAY_MAX_ROWS) {
      notes.push(`${name}: ${idx.length} rows, replayed on a seeded sample of ${REPLAY_MAX_ROWS}`);
      idx = idx.slice(0, REPLAY_MAX_ROWS);
    }
    const nHeld = Math.max(1, Math.round(idx.length * REPLAY_HELD_OUT_FRACTION));
    const held = idx.slice(0, nHeld);
    const train = idx.slice(nHeld);
    return { train: takeRows(m, train), held: takeRows(m, held), trainY: y ? Int32Array.from(train, (i) => y[i]!) : null, heldY: y ? Int32Array.from(held, (i) => y[i]!) : null };
  };
  const s = cut(sX, sY, sName);
  const t = cut(tX, tY, tName);
  if (s.train.rows < 2 || t.train.rows < 2) throw new ReplayInputError(`${inputs.file}: too few rows to replay (source ${sX.rows}, target ${tX.rows})`);
  return {
    split: {
      sourceTrain: s.train, sourceTrainLabels: s.trainY!, targetTrain: t.train,
      sourceHeld: s.held, sourceHeldLabels: s.heldY!, targetHeld: t.held, targetHeldLabels: t.heldY, classes,
    },
    names: { source: sName, target: tName },
    notes,
  };
}

function stats(xs: number[]): { mean: number; sd: number | null } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, sd: null };
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, sd: Math.sqrt(v) };
}

export function domainStateOf(acc: number): DomainState {
  if (acc >= SATURATED_DOMAIN_ACC) return 'saturated';
  if (Math.abs(acc - 50) <= CHANCE_BAND) return 'at-chance';
  return 'contested';
}

/**
 * Standard error of a difference of two mean accuracies: from the seeds when both sides have two or more, else the
 * binomial error of one held-out score of n rows (a single seed says nothing of seed noise, so this is a floor).
 */
function changeError(a: { mean: number; sd: number | null }, b: { mean: number; sd: number | null }, na: number, nb: number, rows: number): number {
  if (a.sd !== null && b.sd !== null) return Math.sqrt((a.sd ** 2) / na + (b.sd ** 2) / nb);
  const p = Math.min(0.99, Math.max(0.01, b.mean / 100));
  return 100 * Math.sqrt((2 * p * (1 - p)) / Math.max(1, rows));
}

function summarise(variant: ReplayVariant, trials: ReplayTrial[]): Omit<ReplayVariantResult, 'verdict'> {
  const dom = trials.map((t) => t.domainAcc).filter((v): v is number => v !== null);
  const tgt = trials.map((t) => t.targetAcc).filter((v): v is number => v !== null);
  const ad = trials.map((t) => t.aDistance).filter((v): v is number => v !== null);
  const domainAcc = dom.length ? stats(dom) : null;
  return {
    variant,
    trials,
    domainAcc,
    targetAcc: tgt.length ? stats(tgt) : null,
    sourceAcc: stats(trials.map((t) => t.sourceAcc)),
    aDistance: ad.length ? stats(ad) : null,
    domainState: domainAcc ? domainStateOf(domainAcc.mean) : null,
    collapsed: trials.filter((t) => t.predictionEntropy < COLLAPSE_ENTROPY).length * 2 > trials.length,
    diverged: trials.some((t) => t.diverged),
  };
}

function verdictOf(v: Omit<ReplayVariantResult, 'verdict'>, base: Omit<ReplayVariantResult, 'verdict'> | undefined, heldRows: number): string {
  if (v.trials.length === 0) return 'not replayed (budget)';
  const flags: string[] = [];
  if (v.diverged) flags.push('diverged');
  if (v.collapsed) flags.push('collapsed');
  if (!base || base === v) return [...flags, 'reference point'].join(', ');
  if (v.targetAcc && base.targetAcc) {
    const diff = v.targetAcc.mean - base.targetAcc.mean;
    const se = changeError(v.targetAcc, base.targetAcc, v.trials.length, base.trials.length, heldRows);
    const sign = diff >= 0 ? '+' : '';
    if (Math.abs(diff) >= MIN_CHANGE_POINTS && Math.abs(diff) > CHANGE_Z * se) flags.push(`${diff > 0 ? 'better' : 'worse'} (${sign}${diff.toFixed(1)} points target)`);
    else flags.push(`no clear change (${sign}${diff.toFixed(1)} ± ${se.toFixed(1)})`);
  } else if (v.aDistance && base.aDistance) {
    const diff = v.aDistance.mean - base.aDistance.mean;
    flags.push(`A-distance ${diff <= 0 ? '' : '+'}${diff.toFixed(2)} (no target labels)`);
  }
  return flags.join(', ');
}

/** Replays every variant, round-robin over seeds, until each has `maxSeeds` or the budget is spent. */
export async function replayVariants(tf: Tf, inputs: ReplayInputs, variants: readonly ReplayVariant[], opts: ReplayOptions): Promise<ReplayReport> {
  const budget = opts.budgetSeconds ?? REPLAY_BUDGET_SECONDS;
  const iterations = opts.iterations ?? REPLAY_ITERATIONS;
  const maxSeeds = opts.maxSeeds ?? REPLAY_MAX_SEEDS;
  const { split, names, notes } = replaySplitOf(inputs);
  const trials = variants.map(() => [] as ReplayTrial[]);
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  let exhausted = false;
  let slowest = 0;
  const total = variants.length * maxSeeds;
  let done = 0;
  const engine = await trialEngine(tf, opts.engine ?? 'auto', opts.backendName);
  try {
    outer: for (let seed = 0; seed < maxSeeds; seed++) {
      for (let i = 0; i < variants.length; i++) {
        // A trial starts only when one more of the slowest kind so far still fits in the budget (the first always runs).
        if (done > 0 && elapsed() + slowest > budget) { exhausted = true; break outer; }
        const v = variants[i]!;
        const trial = await engine.play(split, v.config, {
          seed, iterations, signal: opts.signal,
          onStep: (step, n) => opts.onProgress?.(`replay ${v.label} (seed ${seed + 1})`, (done + step / n) / total),
        });
        slowest = Math.max(slowest, trial.seconds);
        trials[i]!.push(trial);
        done++;
      }
    }
  } finally {
    await engine.release();
  }
  const summaries = variants.map((v, i) => summarise(v, trials[i]!));
  const base = summaries[0];
  const results: ReplayVariantResult[] = summaries.map((s) => ({ ...s, verdict: verdictOf(s, base, split.targetHeld.rows) }));
  if (exhausted) notes.push(`the ${budget}s budget ran out after ${done} of ${total} trials; variants with fewer seeds are less certain (--replay-budget to raise it)`);
  return {
    caveat: REPLAY_CAVEAT,
    backend: engine.name,
    inputs: {
      source: names.source, target: names.target,
      sourceRows: split.sourceTrain.rows + split.sourceHeld.rows, targetRows: split.targetTrain.rows + split.targetHeld.rows,
      featureDim: split.sourceTrain.cols, classes: split.classes, heldOutFraction: REPLAY_HELD_OUT_FRACTION,
    },
    iterations,
    seeds: Math.max(...trials.map((t) => t.length)),
    budgetSeconds: budget,
    budgetExhausted: exhausted,
    variants: results,
    notes,
  };
}
