// Deep evaluation: the quick measurements (quick.ts) plus what trains a network or needs a TF.js backend — the
// discriminator BatchNorm counterfactual, per-class A-distance and a TF.js model found in the run dir.
import type { NdArray } from '../model/ndarray.js';
import type { EvalResults, Note } from '../model/types.js';
import type { LoadedBackend } from './backend.js';
import { toDistribution } from './classification.js';
import { type Matrix, argmaxRows, takeRows } from './matrix.js';
import { quickMeasure, DEFAULT_SEED } from './quick.js';
import { perClassADistanceRidge } from './ridge-probe.js';
import { trainDiscriminator, DISC_BUDGET_STEPS, type DiscriminatorRun, type DiscriminatorOptions } from './discriminator.js';
import { DOMAINS, evalOf, type Domain, type DomainArrays } from './dump-arrays.js';
import { mulberry32, sampleIndices } from './rng.js';
import type { LoadedTfModel } from './tfjs-model.js';

export { DEFAULT_SEED } from './quick.js';
/** Rows per domain the probes and the discriminator train on; more costs time and changes A-distance little. */
export const DEFAULT_MAX_POINTS = 5000;
/**
 * When both `*_features` and `*_backbone_features` fit a TF.js model's input width, the one whose predictions agree
 * more with the dumped logits on this many rows is used: enough to tell a right input (~100%) from a wrong one.
 */
export const INPUT_TIE_BREAK_ROWS = 1000;

export interface EvalInputs {
  /** the arrays of features.npz (or .npy files) by name */
  arrays: ReadonlyMap<string, NdArray>;
  /** where the arrays came from, for notes */
  arraysFile?: string;
  /** a tllib classifier state_dict (checkpoints/latest.pth) */
  stateDict?: ReadonlyMap<string, NdArray>;
  checkpointFile?: string;
  classNames?: string[];
  /** a TF.js classifier found in the run dir (model.json or SavedModel), loaded on the same backend */
  tfjsModel?: LoadedTfModel;
}

export interface MeasureOptions {
  seed?: number;
  maxPoints?: number;
  /** discriminator counterfactual budget; 0 skips it */
  discBudgetSteps?: number;
  discHidden?: number;
  /** engine for the rebuilt classifier's forward pass (see QuickOptions) */
  inference?: 'auto' | 'js' | 'onnxruntime';
  /** false skips per-class A-distance */
  perClassADistance?: boolean;
  /** false: train the discriminator to the full budget even when the answer is already clear */
  earlyStop?: boolean;
  /** how the discriminator is trained: 'auto' = onnxruntime when it loads, else TF.js */
  trainer?: 'auto' | 'tfjs' | 'onnxruntime';
  onProgress?: (msg: string, frac: number) => void;
}

/** A plain-JS or onnxruntime trainer with trainDiscriminator's contract (see discriminator.ts). */
export type DiscriminatorTrainer = (src: Matrix, tgt: Matrix, opts: DiscriminatorOptions) => Promise<DiscriminatorRun | null>;

/**
 * Everything the engine measures from one dump: quickMeasure, then the deep part. The TF.js backend is loaded only
 * when something needs it (a TF.js model in the run dir, or the discriminator when onnxruntime is not there): pass a
 * loader to keep it lazy. All tensors are disposed.
 */
export async function measure(
  backendOrLoader: LoadedBackend | (() => Promise<LoadedBackend>),
  inputs: EvalInputs,
  opts: MeasureOptions = {},
): Promise<EvalResults> {
  const t0 = performance.now();
  const seed = opts.seed ?? DEFAULT_SEED;
  const progress = opts.onProgress ?? (() => {});
  let backend: LoadedBackend | undefined = typeof backendOrLoader === 'function' ? undefined : backendOrLoader;
  const getBackend = async () => (backend ??= await (backendOrLoader as () => Promise<LoadedBackend>)());
  const file = inputs.arraysFile;

  progress('quick evaluation: predictions, per-class accuracy, domain probe', 0);
  const maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  const { results, dom } = await quickMeasure(inputs, { seed, maxPoints, ...(opts.inference ? { inference: opts.inference } : {}) });
  const notes: Note[] = results.notes;
  results.depth = 'deep';
  const numClasses = results.numClasses;

  // A TF.js classifier from the run dir, on the dumped features that match its input width.
  if (inputs.tfjsModel) {
    progress('running the TF.js model from the run dir', 0.03);
    try {
      const tm = await runTfjsModel(inputs.tfjsModel, dom, numClasses, notes, file);
      if (tm) {
        results.tfjsModel = tm.result;
        // its predictions stand in only where the dump gave none
        for (const d of DOMAINS) {
          const lg = tm.logits[d];
          const labels = dom[d].labels;
          if (!lg) continue;
          if (!results.targetLabelDistribution && d === 'target') {
            const hist = new Array<number>(numClasses).fill(0);
            for (const p of argmaxRows(lg)) if (p >= 0 && p < numClasses) hist[p]!++;
            results.targetLabelDistribution = toDistribution(hist);
          }
          if (!results[d] && labels && labels.length === lg.rows) results[d] = evalOf(labels, argmaxRows(lg), numClasses, 'tfjs-model', notes, d);
        }
        if (results.source && !results.sourceLabelDistribution) results.sourceLabelDistribution = toDistribution(results.source.labelHistogram);
      }
    } catch (err) {
      notes.push({ level: 'warn', message: `TF.js model not used: ${(err as Error).message}`, file: inputs.tfjsModel.file });
    }
  }

  const fs = dom.source.features;
  const ft = dom.target.features;
  if (fs && ft && fs.cols === ft.cols) {
    const rand = mulberry32(seed ^ 0x5eed);
    const subsample = (m: Matrix, labels: Int32Array | undefined) => {
      if (m.rows <= maxPoints) return { m, labels };
      const idx = sampleIndices(m.rows, maxPoints, rand);
      return { m: takeRows(m, idx), labels: labels && labels.length === m.rows ? Int32Array.from(idx, (i) => labels[i]!) : undefined };
    };
    const s = subsample(fs, dom.source.labels);
    const t = subsample(ft, dom.target.labels);
    if (opts.perClassADistance !== false && s.labels && t.labels && s.labels.length === s.m.rows && t.labels.length === t.m.rows) {
      progress('per-class A-distance', 0.1);
      results.perClassADistance = perClassADistanceRidge(s.m, s.labels, t.m, t.labels, numClasses, seed);
    }
    const budget = opts.discBudgetSteps ?? DISC_BUDGET_STEPS;
    if (budget > 0) {
      const trainer = await discriminatorTrainer(opts.trainer ?? 'auto', getBackend);
      const cf = await discriminatorCounterfactual(trainer.train, s.m, t.m, {
        seed, budget, earlyStop: opts.earlyStop !== false, ...(opts.discHidden ? { hidden: opts.discHidden } : {}),
        onStep: (bn, step, total) => {
          if (step % 10 === 0 || step === total) progress(`discriminator ${bn ? 'with' : 'without'} BatchNorm, step ${step}/${total}`, (bn ? 0.2 : 0.6) + (0.4 * step) / total);
        },
      });
      if (cf) results.discriminatorCounterfactual = { ...cf, engine: trainer.engine };
    }
  } else if (!fs || !ft) {
    notes.push({ level: 'info', message: 'no source_features and target_features: discriminator counterfactual skipped', file });
  }
  if (backend) { results.backend = backend.name; results.backendReason = backend.reason; }
  else { results.backend = 'typed-arrays'; results.backendReason = results.discriminatorCounterfactual?.engine === 'onnxruntime' ? 'plain typed arrays; discriminator trained on onnxruntime-node (CPU)' : 'plain typed arrays; no TF.js backend needed'; }
  progress('done', 1);
  results.seconds = (performance.now() - t0) / 1000;
  return results;
}

/** The fastest discriminator trainer this machine has (onnxruntime's MLAS kernels beat TF.js wasm/cpu several times). */
async function discriminatorTrainer(
  want: 'auto' | 'tfjs' | 'onnxruntime', getBackend: () => Promise<LoadedBackend>,
): Promise<{ engine: string; train: DiscriminatorTrainer }> {
  if (want !== 'tfjs') {
    const { onnxDiscriminatorTrainer } = await import('./onnx-train.js');
    const t = await onnxDiscriminatorTrainer();
    if (t) return { engine: 'onnxruntime', train: t };
    if (want === 'onnxruntime') throw new Error('onnxruntime-node is not available to train the discriminator');
  }
  const be = await getBackend();
  return { engine: `tfjs-${be.name}`, train: async (a, b, o) => trainDiscriminator(be.tf, a, b, o) };
}

/**
 * The counterfactual stops as soon as its answer is clear (the question is "does BatchNorm make the discriminator
 * separate these features much faster?", read by rank-causes as "with BN in w steps, without in at least 2w"):
 * a variant stops once it separates; without BatchNorm it also stops at twice the steps the BatchNorm one needed
 * (it is then at least 2x slower, all the answer needs); when the BatchNorm one never separates, a variant whose
 * windowed accuracy sits near chance after CHANCE_STOP_STEPS is not learning and stops too.
 */
export const DISC_SLOWER_FACTOR = 2;
export const CHANCE_STOP_STEPS = 40;
/** "Near chance": the mean training-batch domain accuracy over the last CHANCE_WINDOW steps at or below 60%. */
export const CHANCE_ACC = 0.6;
export const CHANCE_WINDOW = 20;

export async function discriminatorCounterfactual(
  train: DiscriminatorTrainer, s: Matrix, t: Matrix,
  o: { seed: number; budget: number; earlyStop: boolean; hidden?: number; onStep?: (bn: boolean, step: number, total: number) => void },
): Promise<Omit<NonNullable<EvalResults['discriminatorCounterfactual']>, 'engine'> | null> {
  const chanceStop = (accs: readonly number[]) => {
    if (accs.length < CHANCE_STOP_STEPS) return false;
    let m = 0;
    for (let i = accs.length - CHANCE_WINDOW; i < accs.length; i++) m += accs[i]!;
    return m / CHANCE_WINDOW <= CHANCE_ACC;
  };
  const withBn = await train(s, t, {
    seed: o.seed, batchNorm: true, budgetSteps: o.budget, ...(o.hidden ? { hidden: o.hidden } : {}),
    onStep: (step, total) => o.onStep?.(true, step, total),
    ...(o.earlyStop ? { stopWhen: (_step: number, sep: number | null, accs: readonly number[]) => sep !== null || chanceStop(accs) } : {}),
  });
  if (!withBn) return null;
  const w = withBn.stepsToSeparate;
  const withoutBn = await train(s, t, {
    seed: o.seed, batchNorm: false, budgetSteps: o.budget, ...(o.hidden ? { hidden: o.hidden } : {}),
    onStep: (step, total) => o.onStep?.(false, step, total),
    // with a BatchNorm separation step w, only "separated" or "reached 2w" answer the question; without one, the
    // answer does not depend on this variant and a chance-level plateau may end it
    ...(o.earlyStop ? { stopWhen: (step: number, sep: number | null, accs: readonly number[]) => sep !== null || (w !== null ? step >= DISC_SLOWER_FACTOR * w : chanceStop(accs)) } : {}),
  });
  if (!withoutBn) return null;
  return {
    withBatchNorm: { stepsToSeparate: withBn.stepsToSeparate, finalAccuracy: withBn.finalAccuracy },
    withoutBatchNorm: { stepsToSeparate: withoutBn.stepsToSeparate, finalAccuracy: withoutBn.finalAccuracy },
    budgetSteps: o.budget,
    stepsRun: { withBatchNorm: withBn.stepsRun, withoutBatchNorm: withoutBn.stepsRun },
  };
}

type TfjsModelResult = NonNullable<EvalResults['tfjsModel']>;

/** Percent of rows where the argmax of a equals the argmax of b (same row count). */
function argmaxAgreement(a: Matrix, b: Matrix): number {
  const pa = argmaxRows(a);
  const pb = argmaxRows(b);
  let same = 0;
  pa.forEach((p, i) => { if (p === pb[i]) same++; });
  return pa.length ? (100 * same) / pa.length : 0;
}

/**
 * Runs a TF.js classifier on each domain's dumped features (`*_features` or `*_backbone_features`, whichever has the
 * model's input width). When both fit, the dumped logits decide (see INPUT_TIE_BREAK_ROWS); without logits a model with
 * two or more weight matrices is taken to include the bottleneck (backbone features), a single one to be the head alone.
 */
async function runTfjsModel(
  model: LoadedTfModel, dom: Record<Domain, DomainArrays>, numClasses: number, notes: Note[], file: string | undefined,
): Promise<{ logits: Partial<Record<Domain, Matrix>>; result: TfjsModelResult } | null> {
  type Role = 'backbone' | 'features';
  const fits = (a: DomainArrays, r: Role) => (r === 'backbone' ? a.backbone : a.features)?.cols === model.inDim;
  const both = DOMAINS.some((d) => fits(dom[d], 'backbone') && fits(dom[d], 'features'));
  let prefer: Role = model.matrices >= 2 ? 'backbone' : 'features';
  if (both) {
    const judge = DOMAINS.find((d) => dom[d].logits && fits(dom[d], 'backbone') && fits(dom[d], 'features'));
    if (judge) {
      const a = dom[judge];
      const idx = Array.from({ length: Math.min(a.logits!.rows, INPUT_TIE_BREAK_ROWS) }, (_, i) => i);
      const ref = takeRows(a.logits!, idx);
      const agreeB = argmaxAgreement(await model.predict(takeRows(a.backbone!, idx)), ref);
      const agreeF = argmaxAgreement(await model.predict(takeRows(a.features!, idx)), ref);
      prefer = agreeB >= agreeF ? 'backbone' : 'features';
      notes.push({ level: 'info', message: `TF.js model input: ${judge}_backbone_features and ${judge}_features both have width ${model.inDim}; chose ${prefer === 'backbone' ? 'backbone features' : 'features'} (argmax agreement with the dumped logits ${Math.max(agreeB, agreeF).toFixed(1)}% vs ${Math.min(agreeB, agreeF).toFixed(1)}%)`, file: model.file });
    } else {
      notes.push({ level: 'info', message: `TF.js model input: backbone and bottleneck features both have width ${model.inDim} and no logits to tell; took ${prefer === 'backbone' ? 'backbone features' : 'features'} (the model has ${model.matrices} weight matrices)`, file: model.file });
    }
  }
  const logits: Partial<Record<Domain, Matrix>> = {};
  const result: TfjsModelResult = { file: model.file, format: model.format, inputs: [] };
  let agree = 0;
  let compared = 0;
  for (const d of DOMAINS) {
    const a = dom[d];
    const order: Role[] = prefer === 'backbone' ? ['backbone', 'features'] : ['features', 'backbone'];
    const role = order.find((r) => fits(a, r));
    if (!role) continue;
    const x = role === 'backbone' ? a.backbone! : a.features!;
    const y = await model.predict(x);
    if (y.cols !== numClasses) {
      notes.push({ level: 'warn', message: `TF.js model gives ${y.cols} outputs per row, the run has ${numClasses} classes: its predictions are not scored`, file: model.file });
      return null;
    }
    logits[d] = y;
    result.inputs.push((role === 'backbone' ? a.backboneName : a.featuresName) ?? `${d}_${role}`);
    const preds = argmaxRows(y);
    if (a.labels && a.labels.length === preds.length) result[d] = evalOf(a.labels, preds, numClasses, 'tfjs-model', notes, `${d} (TF.js model)`);
    if (a.logits && a.logits.rows === y.rows && a.logits.cols === y.cols) {
      agree += (argmaxAgreement(y, a.logits) * y.rows) / 100;
      compared += y.rows;
    }
  }
  if (result.inputs.length === 0) {
    notes.push({ level: 'warn', message: `TF.js model takes ${model.inDim} features per row; no *_features or *_backbone_features array in the dump has that width`, file: file ?? model.file });
    return null;
  }
  if (compared > 0) {
    result.agreementWithDump = (100 * Math.round(agree)) / compared;
    if (result.agreementWithDump < 100) {
      notes.push({ level: 'warn', message: `the TF.js model agrees with the dumped logits on ${result.agreementWithDump.toFixed(1)}% of rows: it may not be the model that made the dump`, file: model.file });
    }
  }
  return { logits, result };
}
