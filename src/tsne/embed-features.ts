// From a run's feature dump (source/target features + labels) to a 2-D embedding with domain and class per point.
import type { NdArray } from '../model/ndarray.js';
import { InputError } from '../ingest/input-error.js';
import { matrixFromNdArray, takeRows, type DenseMatrix } from './matrix.js';
import { stratifiedSubsample, DEFAULT_TSNE_CAP } from './subsample.js';
import { tsne, DEFAULT_SEED, type TsneOptions, type TsneProgress, type TsneResult } from './tsne.js';
import { runTsneInWorker } from './run-in-worker.js';

export const DOMAIN_SOURCE = 0;
export const DOMAIN_TARGET = 1;

export interface DomainFeatures {
  features: DenseMatrix;
  /** class index per row; absent when the dump has no labels */
  labels?: ArrayLike<number>;
}

export interface EmbedInput {
  source?: DomainFeatures;
  target?: DomainFeatures;
  classNames?: string[];
  /** which arrays were embedded, e.g. 'features' (bottleneck) or 'backbone_features' */
  featureName?: string;
  /** file the features came from, for messages */
  file?: string;
}

export interface EmbedOptions extends TsneOptions {
  /** most points embedded; above it a stratified (domain x class) subsample is taken. Default 5,000. */
  cap?: number;
}

/** A t-SNE of source and target features, what plots, the HTML report and the terminal scatter draw. */
export interface FeatureEmbedding {
  /** n x 2 interleaved */
  xy: Float64Array;
  n: number;
  /** 0 = source, 1 = target */
  domain: Uint8Array;
  /** class index, -1 when unknown */
  label: Int32Array;
  numClasses: number;
  classNames?: string[];
  featureName: string;
  file?: string;
  /** rows of the source/target arrays that were embedded (all of them unless subsampled) */
  sourceRows: Int32Array;
  targetRows: Int32Array;
  cap: number;
  totalPoints: number;
  subsampled: boolean;
  perplexity: number;
  iterations: number;
  learningRate: number;
  seed: number;
  kl: number;
  seconds: number;
}

/**
 * What a scatter of an embedding draws (the terminal scatter, the UI's t-SNE pane): a FeatureEmbedding's points, their
 * colours, and how many there were before subsampling. A FeatureEmbedding is one; tests build the few fields alone.
 */
export type DrawnEmbedding = Pick<FeatureEmbedding, 'xy' | 'n' | 'domain' | 'label' | 'numClasses' | 'classNames' | 'subsampled' | 'totalPoints'>;

interface Prepared {
  matrix: DenseMatrix;
  domain: Uint8Array;
  label: Int32Array;
  sourceRows: Int32Array;
  targetRows: Int32Array;
  total: number;
  cap: number;
  numClasses: number;
}

function checkLabels(d: DomainFeatures | undefined, which: string, file: string): void {
  if (!d) return;
  if (d.labels && d.labels.length !== d.features.rows)
    throw new InputError(file, `${which} labels have ${d.labels.length} entries but ${which} features have ${d.features.rows} rows`);
}

/** Stacks source over target, subsampling per (domain, class) above the cap. */
export function prepareFeatures(input: EmbedInput, cap = DEFAULT_TSNE_CAP, seed = DEFAULT_SEED): Prepared {
  const file = input.file ?? 'features';
  const { source, target } = input;
  if (!source && !target) throw new InputError(file, 'no source or target features to embed');
  if (source && target && source.features.cols !== target.features.cols)
    throw new InputError(file, `source features are ${source.features.cols}-d but target features are ${target.features.cols}-d`);
  checkLabels(source, 'source', file);
  checkLabels(target, 'target', file);
  const ns = source?.features.rows ?? 0;
  const nt = target?.features.rows ?? 0;
  let numClasses = input.classNames?.length ?? 0;
  const labelOf = (d: DomainFeatures | undefined, i: number): number => {
    const v = d?.labels ? Number(d.labels[i]) : -1;
    return Number.isInteger(v) && v >= 0 ? v : -1;
  };
  for (let i = 0; i < ns; i++) numClasses = Math.max(numClasses, labelOf(source, i) + 1);
  for (let i = 0; i < nt; i++) numClasses = Math.max(numClasses, labelOf(target, i) + 1);
  const strata = new Int32Array(ns + nt);
  for (let i = 0; i < ns; i++) strata[i] = labelOf(source, i) + 1;
  for (let i = 0; i < nt; i++) strata[ns + i] = numClasses + 2 + labelOf(target, i);
  const picked = stratifiedSubsample(strata, cap, seed);
  const sourceRows = Int32Array.from(picked.filter((i) => i < ns));
  const targetRows = Int32Array.from(picked.filter((i) => i >= ns).map((i) => i - ns));
  const parts: { m: DenseMatrix; rows: ArrayLike<number> }[] = [];
  if (source) parts.push({ m: source.features, rows: sourceRows });
  if (target) parts.push({ m: target.features, rows: targetRows });
  const matrix = takeRows(parts);
  const n = sourceRows.length + targetRows.length;
  // a NaN in a feature dump is a finding about the run, but t-SNE cannot place it: say where it is
  for (let t = 0; t < matrix.data.length; t++) {
    if (Number.isFinite(matrix.data[t])) continue;
    const r = Math.floor(t / matrix.cols);
    const isSource = r < sourceRows.length;
    const row = isSource ? sourceRows[r] : targetRows[r - sourceRows.length];
    const name = `${isSource ? 'source' : 'target'}_${input.featureName ?? 'features'}`;
    throw new InputError(file, `${name} has a non-finite value (${matrix.data[t]}) at row ${row}, column ${t % matrix.cols}; t-SNE needs finite features`);
  }
  const domain = new Uint8Array(n);
  const label = new Int32Array(n);
  sourceRows.forEach((r, i) => {
    domain[i] = DOMAIN_SOURCE;
    label[i] = labelOf(source, r);
  });
  targetRows.forEach((r, i) => {
    domain[sourceRows.length + i] = DOMAIN_TARGET;
    label[sourceRows.length + i] = labelOf(target, r);
  });
  return { matrix, domain, label, sourceRows, targetRows, total: ns + nt, cap, numClasses };
}

function assemble(input: EmbedInput, p: Prepared, r: TsneResult): FeatureEmbedding {
  return {
    xy: r.embedding,
    n: r.n,
    domain: p.domain,
    label: p.label,
    numClasses: p.numClasses,
    classNames: input.classNames,
    featureName: input.featureName ?? 'features',
    file: input.file,
    sourceRows: p.sourceRows,
    targetRows: p.targetRows,
    cap: p.cap,
    totalPoints: p.total,
    subsampled: r.n < p.total,
    perplexity: r.perplexity,
    iterations: r.iterations,
    learningRate: r.learningRate,
    seed: r.seed,
    kl: r.kl,
    seconds: r.timings.total / 1000,
  };
}

/** Synchronous (tests, scripts): prepare, embed on this thread, label the points. */
export function embedFeatures(input: EmbedInput, opts: EmbedOptions = {}, onProgress?: (p: TsneProgress) => void): FeatureEmbedding {
  const p = prepareFeatures(input, opts.cap, opts.seed);
  return assemble(input, p, tsne(p.matrix, opts, onProgress));
}

/** Same as embedFeatures, with the t-SNE on a worker thread so a UI keeps drawing. */
export async function embedFeaturesInWorker(
  input: EmbedInput,
  opts: EmbedOptions = {},
  onProgress?: (p: TsneProgress) => void,
  signal?: AbortSignal,
): Promise<FeatureEmbedding> {
  const p = prepareFeatures(input, opts.cap, opts.seed);
  return assemble(input, p, await runTsneInWorker(p.matrix, opts, onProgress, signal));
}

/**
 * The arrays of a features.npz (tllib-style names: source_features, target_features, source_labels,
 * target_labels; `prefix` picks e.g. 'backbone_features') as an EmbedInput.
 */
export function embedInputFromArrays(arrays: Map<string, NdArray> | Record<string, NdArray>, file: string, prefix = 'features', classNames?: string[]): EmbedInput {
  const get = (name: string): NdArray | undefined => (arrays instanceof Map ? arrays.get(name) : arrays[name]);
  const side = (d: 'source' | 'target'): DomainFeatures | undefined => {
    const f = get(`${d}_${prefix}`);
    if (!f) return undefined;
    if (f.shape.length !== 2) throw new InputError(file, `${d}_${prefix} has shape [${f.shape.join(', ')}], expected 2-D`);
    const l = get(`${d}_labels`);
    if (l && l.shape.length !== 1) throw new InputError(file, `${d}_labels has shape [${l.shape.join(', ')}], expected 1-D`);
    return { features: matrixFromNdArray(f, `${d}_${prefix}`), labels: l?.data };
  };
  const input: EmbedInput = { source: side('source'), target: side('target'), classNames, featureName: prefix, file };
  if (!input.source && !input.target) throw new InputError(file, `no source_${prefix} or target_${prefix} array`);
  return input;
}
