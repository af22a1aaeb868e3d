// Quick evaluation: everything a feature dump answers without training a network, in plain typed arrays (no TF.js).
import type { NdArray } from '../model/ndarray.js';
import type { DomainEval, EvalResults, Note } from '../model/types.js';
import { toDistribution } from './classification.js';
import { headFromStateDict, type TllibHead } from './head.js';
import { type Matrix, argmaxRows, takeRows } from './matrix.js';
import type { DenseLayer } from './mlp.js';
import { forwardDense, macsPerRow } from './dense-forward.js';
import { forwardMlpOnnx } from './onnx-mlp.js';
import { ridgeDomainProbe, QUICK_PROBE_MAX_ROWS } from './ridge-probe.js';
import { DOMAINS, domainArrays, evalOf, maxLabel, type Domain, type DomainArrays } from './dump-arrays.js';
import { mulberry32, sampleIndices } from './rng.js';

/** Default seed of every split and subsample, so two runs of the tool print the same numbers. */
export const DEFAULT_SEED = 0;
/**
 * Multiply-adds the quick path does in plain JavaScript (~1.5 GFLOP/s here, so ~0.1 s). Bigger forward passes go to
 * onnxruntime-node when it loads, else are run on a seeded subsample of rows (said in a note).
 */
export const QUICK_JS_MAX_MACS = 1e8;
/** Rows on which a rebuilt classifier is checked against the dumped logits: 2,000 rows tell "same model" (~100%) from "another checkpoint" clearly. */
export const REBUILD_CHECK_ROWS = 2000;

export interface QuickInputs {
  arrays: ReadonlyMap<string, NdArray>;
  arraysFile?: string;
  stateDict?: ReadonlyMap<string, NdArray>;
  checkpointFile?: string;
  classNames?: string[];
}

export interface QuickOptions {
  seed?: number;
  /** rows per domain for the domain probe (default QUICK_PROBE_MAX_ROWS) */
  maxPoints?: number;
  /** engine for a rebuilt classifier's forward pass: 'auto' = plain JS, onnxruntime-node above QUICK_JS_MAX_MACS */
  inference?: 'auto' | 'js' | 'onnxruntime';
}

/** What the deep evaluation builds on. */
export interface QuickState {
  results: EvalResults;
  dom: Record<Domain, DomainArrays>;
  head: TllibHead | null;
}

/**
 * Predictions (dumped logits, else dumped predictions, else the classifier rebuilt from the checkpoint), per-class
 * accuracy, confusion, prediction histogram + entropy, the estimated target label distribution, and a ridge domain
 * probe on the features. Cost is linear in the rows except the probe (capped rows) and a rebuilt forward pass (capped
 * multiply-adds, see QUICK_JS_MAX_MACS).
 */
export async function quickMeasure(inputs: QuickInputs, opts: QuickOptions = {}): Promise<QuickState> {
  const t0 = performance.now();
  const seed = opts.seed ?? DEFAULT_SEED;
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
  const numClasses = head?.numClasses ?? dom.source.logits?.cols ?? dom.target.logits?.cols ?? maxLabel([dom.source.labels, dom.target.labels]) + 1;
  const results: EvalResults = {
    depth: 'quick',
    backend: 'typed-arrays',
    backendReason: 'plain typed arrays; no TF.js backend needed',
    numClasses,
    seconds: 0,
    notes,
  };
  if (inputs.classNames?.length === numClasses) results.classNames = inputs.classNames;

  const rand = mulberry32(seed ^ 0x9e37);
  let onnxUsed = false;
  const forward = async (layers: DenseLayer[], x: Matrix): Promise<Matrix> => {
    const mode = opts.inference ?? 'auto';
    if (mode === 'onnxruntime' || (mode === 'auto' && x.rows * macsPerRow(layers) > QUICK_JS_MAX_MACS)) {
      const y = await forwardMlpOnnx(layers, x);
      if (y) { onnxUsed = true; return y; }
    }
    return forwardDense(layers, x);
  };

  // 1. The classifier rebuilt from the checkpoint: a check on the dump, and the predictions when the dump has none.
  const rebuiltPreds: Partial<Record<Domain, { preds: Int32Array; rows?: number[] }>> = {};
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
      // With dumped logits the rebuild is only a check: a seeded sample of rows is enough. Without, it makes the
      // predictions: all rows unless that is too much work for plain JavaScript and onnxruntime is not there.
      const perRow = macsPerRow(layers);
      const cap = a.logits ? REBUILD_CHECK_ROWS : Infinity;
      let rows = input.rows > cap ? sampleIndices(input.rows, cap, rand) : undefined;
      let x = rows ? takeRows(input, rows) : input;
      let logits: Matrix;
      if (!a.logits && x.rows * perRow > QUICK_JS_MAX_MACS) {
        const full = opts.inference !== 'js' ? await forwardMlpOnnx(layers, x) : null;
        if (full) { onnxUsed = true; logits = full; }
        else {
          const k = Math.max(1, Math.floor(QUICK_JS_MAX_MACS / perRow));
          rows = sampleIndices(input.rows, k, rand);
          x = takeRows(input, rows);
          notes.push({ level: 'info', message: `${d}: classifier rebuilt on ${k} of ${input.rows} rows (seeded subsample; onnxruntime-node not available for all rows)`, file });
          logits = forwardDense(layers, x);
        }
      } else logits = await forward(layers, x);
      const preds = argmaxRows(logits);
      rebuiltPreds[d] = { preds, ...(rows ? { rows } : {}) };
      const labels = a.labels && a.labels.length === input.rows ? (rows ? Int32Array.from(rows, (i) => a.labels![i]!) : a.labels) : undefined;
      if (labels) rb[d] = { ...evalOf(labels, preds, numClasses, 'rebuilt-head', notes, `${d} (rebuilt head)`), ...(a.backboneName && input === a.backbone ? { predictionsArray: a.backboneName } : a.featuresName ? { predictionsArray: a.featuresName } : {}) };
      if (a.logits && a.logits.rows === input.rows && a.logits.cols === logits.cols) {
        const ref = rows ? takeRows(a.logits, rows) : a.logits;
        const dumped = argmaxRows(ref);
        preds.forEach((p, i) => { if (p === dumped[i]) agree++; });
        compared += preds.length;
        for (let i = 0; i < logits.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(logits.data[i]! - ref.data[i]!));
      }
    }
    if (compared > 0) {
      rb.agreementWithDump = (100 * agree) / compared;
      rb.maxAbsLogitDiff = maxDiff;
      if (agree < compared) {
        notes.push({
          level: 'warn',
          message: `the rebuilt classifier agrees with the dumped logits on ${rb.agreementWithDump.toFixed(1)}% of ${compared} rows (max |logit diff| ${maxDiff.toPrecision(3)}): the dump was likely made with another checkpoint`,
          file: inputs.checkpointFile,
        });
      }
    }
    if (rb.source || rb.target || compared > 0) results.rebuiltHead = rb;
  }
  if (onnxUsed) notes.push({ level: 'info', message: 'classifier forward pass on onnxruntime-node (CPU)' });

  // 2. Classification per domain, from what the run itself computed when it dumped logits.
  const predHist: Partial<Record<Domain, number[]>> = {};
  for (const d of DOMAINS) {
    const a = dom[d];
    let preds: Int32Array | undefined;
    let from: DomainEval['predictionsFrom'] = 'logits';
    let array: string | undefined;
    let labels = a.labels;
    if (a.logits) { preds = argmaxRows(a.logits); array = a.logitsName; }
    else if (a.predictions) { preds = a.predictions; from = 'predictions'; array = a.predictionsName; }
    else if (rebuiltPreds[d]) {
      const rp = rebuiltPreds[d]!;
      preds = rp.preds; from = 'rebuilt-head';
      array = `${results.rebuiltHead?.[d]?.predictionsArray ?? `${d} features`} through the rebuilt classifier`;
      if (rp.rows && labels) labels = Int32Array.from(rp.rows, (i) => labels![i]!);
    }
    if (preds) {
      const hist = new Array<number>(numClasses).fill(0);
      for (const p of preds) if (p >= 0 && p < numClasses) hist[p]!++;
      predHist[d] = hist;
    }
    if (!labels) continue;
    if (!preds || preds.length !== labels.length) {
      notes.push({ level: 'info', message: `${d}: labels but no logits, predictions or classifier output of the same length to score them with`, file });
      continue;
    }
    results[d] = { ...evalOf(labels, preds, numClasses, from, notes, d), ...(array ? { predictionsArray: array } : {}) };
  }
  if (results.source) results.sourceLabelDistribution = toDistribution(results.source.labelHistogram);
  // In UDA the target labels are unknown to the method: estimate the target label distribution from the predictions
  // (works without target labels in the dump).
  if (predHist.target) results.targetLabelDistribution = toDistribution(predHist.target);

  // 3. Domain separability of the features the run's discriminator saw: a closed-form linear probe.
  const fs = dom.source.features;
  const ft = dom.target.features;
  if (!fs || !ft) {
    notes.push({ level: 'info', message: 'no source_features and target_features: domain probe skipped', file });
  } else if (fs.cols !== ft.cols) {
    notes.push({ level: 'warn', message: `source features have ${fs.cols} columns, target ${ft.cols}: domain probe skipped`, file });
  } else {
    const probe = ridgeDomainProbe(fs, ft, { seed, maxRowsPerDomain: opts.maxPoints ?? QUICK_PROBE_MAX_ROWS });
    if (probe) {
      results.domainProbe = {
        accuracy: probe.accuracy, aDistance: probe.aDistance, heldOut: probe.heldOut, seed: probe.seed,
        rowsPerDomain: probe.usedPerDomain, standardError: probe.standardError,
        arrays: [dom.source.featuresName ?? 'source features', dom.target.featuresName ?? 'target features'],
      };
      if (probe.usedPerDomain < probe.availablePerDomain) {
        notes.push({ level: 'info', message: `domain probe on ${probe.usedPerDomain} of ${probe.availablePerDomain} rows per domain (seeded subsample): held-out accuracy ±${probe.standardError.toFixed(1)} points (1 s.e.)`, file });
      }
    }
  }
  results.seconds = (performance.now() - t0) / 1000;
  return { results, dom, head };
}
