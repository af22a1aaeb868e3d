// Finds each domain's arrays in a feature dump by name (features, backbone features, labels, logits, predictions).
import type { NdArray } from '../model/ndarray.js';
import type { DomainEval, Note } from '../model/types.js';
import { classificationEval } from './classification.js';
import { type Matrix, toMatrix, toLabels } from './matrix.js';

export type Domain = 'source' | 'target';
export const DOMAINS: readonly Domain[] = ['source', 'target'];
/** Prefixes dumps use for the two domains: the documented ones first. */
const DOMAIN_PREFIXES: Record<Domain, readonly string[]> = { source: ['source', 'src', 's'], target: ['target', 'tgt', 't'] };

export interface DomainArrays {
  features?: Matrix;
  featuresName?: string;
  backbone?: Matrix;
  backboneName?: string;
  labels?: Int32Array;
  labelsName?: string;
  logits?: Matrix;
  logitsName?: string;
  predictions?: Int32Array;
  predictionsName?: string;
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

export function domainArrays(arrays: ReadonlyMap<string, NdArray>, d: Domain): DomainArrays {
  const out: DomainArrays = {};
  const f = findArray(arrays, d, ['features', 'feats', 'bottleneck_features']);
  if (f) { out.features = toMatrix(f[0], f[1]); out.featuresName = f[0]; }
  const bb = findArray(arrays, d, ['backbone_features']);
  if (bb) { out.backbone = toMatrix(bb[0], bb[1]); out.backboneName = bb[0]; }
  const y = findArray(arrays, d, ['labels', 'label', 'y']);
  if (y) { out.labels = toLabels(y[0], y[1]); out.labelsName = y[0]; }
  const lg = findArray(arrays, d, ['logits', 'outputs']);
  if (lg) { out.logits = toMatrix(lg[0], lg[1]); out.logitsName = lg[0]; }
  const pr = findArray(arrays, d, ['predictions', 'preds', 'pred']);
  if (pr) { out.predictions = toLabels(pr[0], pr[1]); out.predictionsName = pr[0]; }
  return out;
}

/** DomainEval without the helper-only field; left-out rows become a note. */
export function evalOf(labels: Int32Array, preds: Int32Array, k: number, from: DomainEval['predictionsFrom'], notes: Note[], what: string): DomainEval {
  const { skipped, ...e } = classificationEval(labels, preds, k, from);
  if (skipped > 0) notes.push({ level: 'info', message: `${what}: ${skipped} rows with a label outside 0..${k - 1} left out` });
  return e;
}

export function maxLabel(ls: (Int32Array | undefined)[]): number {
  let m = -1;
  for (const l of ls) if (l) for (const v of l) if (v > m) m = v;
  return m;
}
