// Turns the arrays of a feature dump (+ an optional classifier state_dict) into EvalResults on a loaded TF.js backend.
import type { NdArray } from '../model/ndarray.js';
import type { DomainEval, EvalResults, Note } from '../model/types.js';
import type { LoadedBackend } from './backend.js';
import { classificationEval, toDistribution } from './classification.js';
import { headFromStateDict, type TllibHead } from './head.js';
import { type Matrix, toMatrix, toLabels, argmaxRows, takeRows } from './matrix.js';
import { forwardMlp, type DenseLayer } from './mlp.js';
import { forwardMlpOnnx } from './onnx-mlp.js';
import { trainDomainProbe, perClassADistance } from './probe.js';
import { trainDiscriminator, DISC_BUDGET_STEPS } from './discriminator.js';
import { mulberry32, sampleIndices } from './rng.js';
import type { LoadedTfModel } from './tfjs-model.js';

/** Default seed of every split, subsample and init, so two runs of the tool print the same numbers. */
export const DEFAULT_SEED = 0;
/** Rows per domain the probes and the discriminator train on; more costs time and changes A-distance little. */
export const DEFAULT_MAX_POINTS = 5000;
/**
 * Forward passes above this many multiply-adds go to onnxruntime-node when it loads and TF.js runs on wasm/cpu:
 * tfjs-wasm does ~10 GFLOP/s on one thread here (Node has no wasm threads), onnxruntime ~5-7x that on all cores;
 * below ~0.5 G the ORT session set-up (~30 ms) costs more than it saves.
 */
export const FAST_PATH_MIN_MACS = 5e8;

export type Domain = 'source' | 'target';
const DOMAINS: readonly Domain[] = ['source', 'target'];
/**
 * When both `*_features` and `*_backbone_features` fit a TF.js model's input width, the one whose predictions agree
 * more with the dumped logits on this many rows is used: enough to tell a right input (~100%) from a wrong one.
 */
export const INPUT_TIE_BREAK_ROWS = 1000;
/** Prefixes dumps use for the two domains: the documented ones first. */
const DOMAIN_PREFIXES: Record<Domain, readonly string[]> = { source: ['source', 'src', 's'], target: ['target', 'tgt', 't'] };

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
  probeSteps?: number;
  /** false skips per-class A-distance */
  perClassADistance?: boolean;
  /** engine for the rebuilt classifier's forward pass: 'auto' = onnxruntime for big inputs on CPU backends */
  inference?: 'auto' | 'tfjs' | 'onnxruntime';
  onProgress?: (msg: string, frac: number) => void;
}

interface DomainArrays {
  features?: Matrix;
  featuresName?: string;
  backbone?: Matrix;
  backboneName?: string;
  labels?: Int32Array;
  logits?: Matrix;
  predictions?: Int32Array;
}

/** Finds `<prefix>_<role>` for the first prefix of the domain that has it. */
function findArray(arrays: ReadonlyMap<string, NdArray>, d: Domain, roles: readonly string[]): [string, NdArray] | undefined {
  for (const p of DOMAIN_PREFIXES[d]) {
    for (const r of roles) {
      const a = arrays.get(`${p}_${r}`);
      if (a) return [`${p}_${r}`, a];
    }
  }
  return undefined;
}

function domainArrays(arrays: ReadonlyMap<string, NdArray>, d: Domain): DomainArrays {
  const out: DomainArrays = {};
  const f = findArray(arrays, d, ['features', 'feats', 'bottleneck_features']);
  if (f) { out.features = toMatrix(f[0], f[1]); out.featuresName = f[0]; }
  const bb = findArray(arrays, d, ['backbone_features']);
  if (bb) { out.backbone = toMatrix(bb[0], bb[1]); out.backboneName = bb[0]; }
  const y = findArray(arrays, d, ['labels', 'label', 'y']);
  if (y) out.labels = toLabels(y[0], y[1]);
  const lg = findArray(arrays, d, ['logits', 'outputs']);
  if (lg) out.logits = toMatrix(lg[0], lg[1]);
  const pr = findArray(arrays, d, ['predictions', 'preds', 'pred']);
  if (pr) out.predictions = toLabels(pr[0], pr[1]);
  return out;
}

/** DomainEval without the helper-only field. */
function evalOf(labels: Int32Array, preds: Int32Array, k: number, from: DomainEval['predictionsFrom'], notes: Note[], what: string): DomainEval {
  const { skipped, ...e } = classificationEval(labels, preds, k, from);
  if (skipped > 0) notes.push({ level: 'info', message: `${what}: ${skipped} rows with a label outside 0..${k - 1} left out` });
  return e;
}

/**
 * Everything the engine measures from one dump. Cost is dominated by the discriminator counterfactual
 * (2 x budget steps of a 1024-1024 MLP); pass discBudgetSteps: 0 to skip it. All tensors are disposed.
 */
export async function measure(backend: LoadedBackend, inputs: EvalInputs, opts: MeasureOptions = {}): Promise<EvalResults> {
  const t0 = performance.now();
  const { tf } = backend;
  const seed = opts.seed ?? DEFAULT_SEED;
  const progress = opts.onProgress ?? (() => {});
  const notes: Note[] = [];
  const file = inputs.arraysFile;
  const dom: Record<Domain, DomainArrays> = { source: domainArrays(inputs.arrays, 'source'), target: domainArrays(inputs.arrays, 'target') };

  let head: TllibHead | null = null;
  if (inputs.stateDict) {
    try {
      head = headFromStateDict(inputs.stateDict);
      if (!head) notes.push({ level: 'info', message: 'checkpoint has no classifier head (head.weight): predictions not rebuilt', file: inputs.checkpointFile });
    } catch (err) {
      notes.push({ level: 'warn', message: `classifier not rebuilt: ${(err as Error).message}`, file: inputs.checkpointFile });
    }
  }

  const numClasses =
    head?.numClasses ?? dom.source.logits?.cols ?? dom.target.logits?.cols ?? inputs.tfjsModel?.outDim ?? maxLabel([dom.source.labels, dom.target.labels]) + 1;
  const results: EvalResults = {
    backend: backend.name,
    backendReason: backend.reason,
    numClasses,
    seconds: 0,
    notes,
  };
  if (inputs.classNames?.length === numClasses) results.classNames = inputs.classNames;

  const engineNotes = new Set<string>();
  const forward = async (layers: DenseLayer[], x: Matrix): Promise<Matrix> => {
    const mode = opts.inference ?? 'auto';
    const macs = x.rows * layers.reduce((sum, l) => sum + l.inDim * l.outDim, 0);
    const cpuBackend = backend.name === 'wasm' || backend.name === 'cpu';
    if (mode === 'onnxruntime' || (mode === 'auto' && cpuBackend && macs >= FAST_PATH_MIN_MACS)) {
      const y = await forwardMlpOnnx(layers, x);
      if (y) { engineNotes.add('classifier forward pass on onnxruntime-node (CPU)'); return y; }
      if (mode === 'onnxruntime') engineNotes.add('onnxruntime-node not available: classifier forward pass on TF.js');
    }
    return forwardMlp(tf, layers, x);
  };

  // 1. Rebuilt classifier on the backbone features, and post-bottleneck features where the dump lacks them.
  progress('rebuilding the classifier from the checkpoint', 0);
  const rebuiltLogits: Partial<Record<Domain, Matrix>> = {};
  if (head) {
    const rb: NonNullable<EvalResults['rebuiltHead']> = {
      checkpoint: inputs.checkpointFile ?? 'state_dict',
      bottleneckBatchNorm: head.bottleneckBatchNorm,
      ...(head.batchesTracked !== undefined ? { batchesTracked: head.batchesTracked } : {}),
    };
    let agree = 0;
    let compared = 0;
    let maxDiff = 0;
    for (const d of DOMAINS) {
      const a = dom[d];
      let input: Matrix | undefined;
      let layers = [...head.bottleneck, head.head];
      if (a.backbone && a.backbone.cols === head.inDim) input = a.backbone;
      else if (a.features && a.features.cols === head.head.inDim) { input = a.features; layers = [head.head]; }
      if (!input) continue;
      if (!a.features && a.backbone && head.bottleneck.length) {
        a.features = await forward(head.bottleneck, a.backbone);
        a.featuresName = `${d} bottleneck output rebuilt from ${d}_backbone_features`;
        notes.push({ level: 'info', message: `no ${d}_features in the dump: probes use the rebuilt bottleneck's output`, file });
      }
      const logits = await forward(layers, input);
      rebuiltLogits[d] = logits;
      const preds = argmaxRows(logits);
      if (a.labels && a.labels.length === preds.length) rb[d] = evalOf(a.labels, preds, numClasses, 'rebuilt-head', notes, `${d} (rebuilt head)`);
      if (a.logits && a.logits.rows === logits.rows && a.logits.cols === logits.cols) {
        const dumped = argmaxRows(a.logits);
        preds.forEach((p, i) => { if (p === dumped[i]) agree++; });
        compared += preds.length;
        for (let i = 0; i < logits.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(logits.data[i]! - a.logits.data[i]!));
      }
    }
    if (compared > 0) {
      rb.agreementWithDump = (100 * agree) / compared;
      rb.maxAbsLogitDiff = maxDiff;
      if (agree < compared) {
        notes.push({
          level: 'warn',
          message: `the rebuilt classifier agrees with the dumped logits on ${rb.agreementWithDump.toFixed(1)}% of rows (max |logit diff| ${maxDiff.toPrecision(3)}): the dump was likely made with another checkpoint`,
          file: inputs.checkpointFile,
        });
      }
    }
    if (rb.source || rb.target || compared > 0) results.rebuiltHead = rb;
    for (const m of engineNotes) notes.push({ level: 'info', message: m });
  }

  // 1b. A TF.js classifier from the run dir, on the dumped features that match its input width.
  const modelLogits: Partial<Record<Domain, Matrix>> = {};
  if (inputs.tfjsModel) {
    progress('running the TF.js model from the run dir', 0.03);
    try {
      const tm = await runTfjsModel(inputs.tfjsModel, dom, numClasses, notes, file);
      if (tm) { Object.assign(modelLogits, tm.logits); results.tfjsModel = tm.result; }
    } catch (err) {
      notes.push({ level: 'warn', message: `TF.js model not used: ${(err as Error).message}`, file: inputs.tfjsModel.file });
    }
  }

  // 2. Classification per domain, from what the run itself computed when it dumped logits.
  progress('per-class accuracy and confusion', 0.05);
  const predHist: Partial<Record<Domain, number[]>> = {};
  for (const d of DOMAINS) {
    const a = dom[d];
    let preds: Int32Array | undefined;
    let from: DomainEval['predictionsFrom'] = 'logits';
    if (a.logits) preds = argmaxRows(a.logits);
    else if (a.predictions) { preds = a.predictions; from = 'predictions'; }
    else if (rebuiltLogits[d]) { preds = argmaxRows(rebuiltLogits[d]!); from = 'rebuilt-head'; }
    else if (modelLogits[d]) { preds = argmaxRows(modelLogits[d]!); from = 'tfjs-model'; }
    if (preds) {
      const hist = new Array<number>(numClasses).fill(0);
      for (const p of preds) if (p >= 0 && p < numClasses) hist[p]!++;
      predHist[d] = hist;
    }
    if (!a.labels) continue;
    if (!preds || preds.length !== a.labels.length) {
      notes.push({ level: 'info', message: `${d}: labels but no logits, predictions or classifier output of the same length to score them with`, file });
      continue;
    }
    results[d] = evalOf(a.labels, preds, numClasses, from, notes, d);
  }
  if (results.source) results.sourceLabelDistribution = toDistribution(results.source.labelHistogram);
  // In UDA the target labels are unknown to the method: estimate the target label distribution from the predictions
  // (works without target labels in the dump).
  if (predHist.target) results.targetLabelDistribution = toDistribution(predHist.target);

  // 3. Domain separability of the features the run's discriminator saw.
  const fs = dom.source.features;
  const ft = dom.target.features;
  if (!fs || !ft) {
    notes.push({ level: 'info', message: 'no source_features and target_features: domain probe and discriminator counterfactual skipped', file });
  } else if (fs.cols !== ft.cols) {
    notes.push({ level: 'warn', message: `source features have ${fs.cols} columns, target ${ft.cols}: domain probe skipped`, file });
  } else {
    const maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
    const rand = mulberry32(seed ^ 0x5eed);
    const subsample = (m: Matrix, labels: Int32Array | undefined, d: Domain) => {
      if (m.rows <= maxPoints) return { m, labels };
      const idx = sampleIndices(m.rows, maxPoints, rand);
      notes.push({ level: 'info', message: `${d}: probes trained on ${maxPoints} of ${m.rows} rows (seeded subsample, --max-points)` });
      return { m: takeRows(m, idx), labels: labels && labels.length === m.rows ? Int32Array.from(idx, (i) => labels[i]!) : undefined };
    };
    const s = subsample(fs, dom.source.labels, 'source');
    const t = subsample(ft, dom.target.labels, 'target');
    progress('linear domain probe', 0.1);
    const probe = trainDomainProbe(tf, s.m, t.m, { seed, ...(opts.probeSteps ? { steps: opts.probeSteps } : {}) });
    if (probe) results.domainProbe = { accuracy: probe.accuracy, aDistance: probe.aDistance, heldOut: probe.heldOut, seed: probe.seed };
    if (opts.perClassADistance !== false && s.labels && t.labels && s.labels.length === s.m.rows && t.labels.length === t.m.rows) {
      results.perClassADistance = perClassADistance(tf, s.m, s.labels, t.m, t.labels, numClasses, {
        seed,
        ...(opts.probeSteps ? { steps: opts.probeSteps } : {}),
        onClass: (c) => progress(`per-class A-distance (class ${c + 1}/${numClasses})`, 0.15 + (0.15 * c) / numClasses),
      });
    }
    const budget = opts.discBudgetSteps ?? DISC_BUDGET_STEPS;
    if (budget > 0) {
      const run = (batchNorm: boolean, base: number) =>
        trainDiscriminator(tf, s.m, t.m, {
          seed, batchNorm, budgetSteps: budget,
          ...(opts.discHidden ? { hidden: opts.discHidden } : {}),
          onStep: (step, total) => {
            if (step % 10 === 0 || step === total) {
              progress(`discriminator ${batchNorm ? 'with' : 'without'} BatchNorm, step ${step}/${total}`, base + (0.35 * step) / total);
            }
          },
        });
      const withBn = run(true, 0.3);
      const withoutBn = run(false, 0.65);
      if (withBn && withoutBn) {
        results.discriminatorCounterfactual = {
          withBatchNorm: { stepsToSeparate: withBn.stepsToSeparate, finalAccuracy: withBn.finalAccuracy },
          withoutBatchNorm: { stepsToSeparate: withoutBn.stepsToSeparate, finalAccuracy: withoutBn.finalAccuracy },
          budgetSteps: budget,
        };
      }
    }
  }
  progress('done', 1);
  results.seconds = (performance.now() - t0) / 1000;
  return results;
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

function maxLabel(ls: (Int32Array | undefined)[]): number {
  let m = -1;
  for (const l of ls) if (l) for (const v of l) if (v > m) m = v;
  return m;
}
