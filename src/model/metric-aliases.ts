// Maps the metric names other tools write (tllib meters, Lightning/Keras/Dassl/DeepDA/pytorch-adapt keys) onto
// canonical keys, and decides whether an accuracy came as a fraction (0..1) or percent. Unknown names are kept as-is.
import { KEY } from './metric-keys.js';
import type { Algorithm, HyperValue, Note, Point, Series, SeriesUnit } from './types.js';

/** Lower-cased, separator-normalised raw name -> canonical key. Extend with the config file's `metricAliases`. */
export const DEFAULT_ALIASES: Record<string, string> = {
  // classification accuracy on labelled source batches
  'cls acc': KEY.clsAcc, 'cls_acc': KEY.clsAcc, 'train/cls_acc': KEY.clsAcc, 'acc_x': KEY.clsAcc, 'train/acc_x': KEY.clsAcc,
  'train/top1': KEY.clsAcc, 'src_acc': KEY.clsAcc, 'source_acc': KEY.clsAcc, 'train_acc': KEY.clsAcc, 'train/acc': KEY.clsAcc,
  'acc': KEY.clsAcc, 'accuracy': KEY.clsAcc, 'train/accuracy': KEY.clsAcc,
  // discriminator accuracy
  'domain acc': KEY.domainAcc, 'domain_acc': KEY.domainAcc, 'train/domain_acc': KEY.domainAcc, 'd_acc': KEY.domainAcc,
  'disc_acc': KEY.domainAcc, 'disc_accuracy': KEY.domainAcc, 'discriminator_acc': KEY.domainAcc, 'epoch_disc_acc': KEY.domainAcc,
  'train/disc_acc': KEY.domainAcc, 'train/d_acc': KEY.domainAcc,
  // losses
  'loss': KEY.loss, 'train/loss': KEY.loss, 'total_loss': KEY.loss, 'total loss': KEY.loss, 'total_loss/total': KEY.loss,
  'engine_output_total_loss/total': KEY.loss, 'epoch_loss': KEY.loss, 'train_loss': KEY.loss,
  'cls loss': KEY.clsLoss, 'cls_loss': KEY.clsLoss, 'train/cls_loss': KEY.clsLoss, 'loss_x': KEY.clsLoss, 'src_c_loss': KEY.clsLoss,
  'train/loss (s)': KEY.clsLoss, 'engine_output_total_loss/src_c_loss': KEY.clsLoss, 'classification_loss': KEY.clsLoss,
  'trans loss': KEY.transferLoss, 'transfer loss': KEY.transferLoss, 'transfer_loss': KEY.transferLoss,
  'train/transfer_loss': KEY.transferLoss, 'loss_d': KEY.transferLoss, 'disc_loss': KEY.transferLoss, 'd_loss': KEY.transferLoss,
  'domain_loss': KEY.transferLoss, 'adv_loss': KEY.transferLoss, 'train/loss (trans)': KEY.transferLoss, 'epoch_disc_loss': KEY.transferLoss,
  // learning rate and GRL coefficient
  'lr': KEY.lr, 'train/lr': KEY.lr, 'learning_rate': KEY.lr, 'lr-sgd': KEY.lr,
  'grl_coeff': KEY.grlCoeff, 'grl/coeff': KEY.grlCoeff, 'lambda': KEY.grlCoeff, 'grl_lambda': KEY.grlCoeff, 'coeff': KEY.grlCoeff,
  // target validation
  'acc@1': KEY.valAcc, 'val/acc1': KEY.valAcc, 'val/acc': KEY.valAcc, 'val_acc': KEY.valAcc, 'val/accuracy': KEY.valAcc,
  'val_accuracy': KEY.valAcc, 'test_acc': KEY.valAcc, 'test/accuracy': KEY.valAcc, 'target_acc': KEY.valAcc, 'tgt_acc': KEY.valAcc,
  'validation_score': KEY.valAcc, 'val/top1': KEY.valAcc, 'target/accuracy': KEY.valAcc, 'epoch_val_accuracy': KEY.valAcc,
  'val/loss': KEY.valLoss, 'val_loss': KEY.valLoss, 'test_loss': KEY.valLoss, 'validation/epoch_loss': KEY.valLoss,
  'valid/acc': KEY.valAcc, 'valid_acc': KEY.valAcc, 'val/target_acc': KEY.valAcc, 'val_acc1': KEY.valAcc,
  'validation/epoch_accuracy': KEY.valAcc, 'validation/epoch_acc': KEY.valAcc,
  'val/source_acc': KEY.sourceValAcc, 'val_source_acc': KEY.sourceValAcc, 'source_val_acc': KEY.sourceValAcc,
  // Keras TensorBoard callback: `train/` subdir with `epoch_*` tags (readTfeventsDir prefixes the subdir)
  'train/epoch_loss': KEY.loss, 'train/epoch_accuracy': KEY.clsAcc, 'train/epoch_acc': KEY.clsAcc,
  'train/epoch_disc_acc': KEY.domainAcc, 'train/epoch_disc_loss': KEY.transferLoss,
  // pytorch-adapt DANN hooks: src_domain_loss + target_domain_loss are the adversarial loss; the source half stands for it
  'src_domain_loss': KEY.transferLoss, 'total_loss/src_domain_loss': KEY.transferLoss, 'total_loss/src_c_loss': KEY.clsLoss,
  'engine_output_total_loss/src_domain_loss': KEY.transferLoss,
  // Dassl TensorBoard tags (`train/<loss key>`) and other common spellings
  'train/loss_x': KEY.clsLoss, 'train/loss_d': KEY.transferLoss, 'train/domain_loss': KEY.transferLoss,
  'train/disc_loss': KEY.transferLoss, 'train/adv_loss': KEY.transferLoss, 'domain_accuracy': KEY.domainAcc,
  'disc/acc': KEY.domainAcc, 'discriminator/accuracy': KEY.domainAcc,
};

/** DEFAULT_ALIASES with normalised keys, built once (canonicalKey is called for every column of every file). */
const NORMALISED_DEFAULTS = new Map(Object.entries(DEFAULT_ALIASES).map(([k, v]) => [normaliseMetricName(k), v]));

/** Canonical keys whose values are accuracies (so fraction vs percent matters). */
const ACCURACY_KEYS = new Set<string>([KEY.clsAcc, KEY.domainAcc, KEY.valAcc, KEY.sourceValAcc]);

export function normaliseMetricName(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Canonical key for a raw metric name, or the raw name itself when unknown (kept, never lost).
 * Lightning's `<name>_step` / `<name>_epoch` suffixes are stripped before the lookup.
 */
export function canonicalKey(raw: string, extra: Record<string, string> = {}): string {
  const n = normaliseMetricName(raw);
  const lookup = (name: string): string | undefined => {
    for (const [k, v] of Object.entries(extra)) if (normaliseMetricName(k) === name) return v;
    return NORMALISED_DEFAULTS.get(name);
  };
  const direct = lookup(n);
  if (direct !== undefined) return direct;
  const stripped = n.replace(/_(step|epoch)$/, '');
  if (stripped !== n) {
    const hit = lookup(stripped);
    if (hit !== undefined) return hit;
  }
  return raw;
}

export function isAccuracyKey(key: string): boolean {
  return ACCURACY_KEYS.has(key) || /(^|[/_ ])acc(uracy)?(@?\d)?$/i.test(key);
}

export function unitOf(key: string): SeriesUnit {
  if (isAccuracyKey(key)) return 'percent';
  if (key === KEY.lr) return 'lr';
  if (key === KEY.grlCoeff) return 'coefficient';
  if (/loss/i.test(key)) return 'loss';
  return 'other';
}

/**
 * An accuracy series is a fraction when every finite value lies in [0, 1] and at least one is not 0 or 1
 * exactly (a series of only 0/1 could be either; percent logs of batch accuracy are never all <= 1 in practice).
 */
export function looksLikeFraction(values: Iterable<number>): boolean {
  let any = false;
  let interior = false;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    any = true;
    if (v < 0 || v > 1) return false;
    if (v > 0 && v < 1) interior = true;
  }
  return any && interior;
}

/**
 * Validates the config file's `metricAliases` object (raw name -> canonical key) and returns it as a plain table for
 * `ReadOptions.metricAliases`. Anything that is not a string->string entry is reported in `problems`, not thrown,
 * so one bad entry does not stop the run.
 */
export function loadMetricAliases(config: unknown): { aliases: Record<string, string>; problems: string[] } {
  const aliases: Record<string, string> = {};
  const problems: string[] = [];
  if (config === undefined || config === null) return { aliases, problems };
  if (typeof config !== 'object' || Array.isArray(config)) {
    problems.push('metricAliases must be an object mapping raw metric names to canonical keys');
    return { aliases, problems };
  }
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.trim() === '' || k.trim() === '') problems.push(`metricAliases["${k}"] must be a non-empty string`);
    else aliases[k] = v.trim();
  }
  return { aliases, problems };
}

/** One metric as a reader collected it, before naming and unit decisions. */
export interface RawSeries {
  rawName: string;
  file: string;
  granularity: 'iteration' | 'epoch';
  points: Point[];
}

/**
 * Names that are epoch-level by convention: validation/test metrics, Keras `epoch_*` tags, Lightning `*_epoch`
 * columns. Readers use it where the file itself does not say (tfevents, MLflow, JSONL).
 */
export function isEpochLevelName(raw: string, key: string): boolean {
  if (key === KEY.valAcc || key === KEY.valLoss || key === KEY.sourceValAcc) return true;
  const n = normaliseMetricName(raw);
  return /^(val|valid|validation|test|eval)([/_ .-]|$)/.test(n) || /(^|\/)epoch_/.test(n) || /_epoch$/.test(n);
}

/**
 * Turns raw series into canonical Series: key via canonicalKey (unknown names kept raw), unit from the key, and
 * accuracies that look like fractions scaled to percent (`scaledFrom: 'fraction'` plus an info note saying so).
 * When two raw names land on the same key (e.g. Lightning's `loss_step` and `loss_epoch`), the one with more points
 * keeps the canonical key and the other keeps its raw name, with a note. Empty series are dropped.
 */
export function buildSeries(raws: RawSeries[], aliases: Record<string, string> = {}): { series: Series[]; notes: Note[] } {
  const notes: Note[] = [];
  const keyed = raws
    .filter((r) => r.points.length > 0)
    .map((r) => ({ r, key: canonicalKey(r.rawName, aliases) }));
  // more points first, so the richest source of a key wins it
  const order = [...keyed].sort((a, b) => b.r.points.length - a.r.points.length);
  const taken = new Map<string, string>();
  const finalKey = new Map<RawSeries, string>();
  for (const { r, key } of order) {
    if (!taken.has(key)) {
      taken.set(key, r.rawName);
      finalKey.set(r, key);
    } else {
      const fallback = taken.has(r.rawName) ? `${r.rawName} (${r.file})` : r.rawName;
      taken.set(fallback, r.rawName);
      finalKey.set(r, fallback);
      notes.push({ level: 'info', file: r.file, message: `metric "${r.rawName}" also maps to ${key}, which "${taken.get(key)}" (more points) holds; kept it as "${fallback}"` });
    }
  }
  const series: Series[] = [];
  for (const { r } of keyed) {
    const key = finalKey.get(r)!;
    const unit = unitOf(key);
    let points = r.points;
    let scaledFrom: 'fraction' | undefined;
    if (unit === 'percent' && looksLikeFraction(points.map((p) => p.value))) {
      scaledFrom = 'fraction';
      points = points.map((p) => ({ ...p, value: p.value * 100, ...(p.avg !== undefined ? { avg: p.avg * 100 } : {}) }));
      notes.push({ level: 'info', file: r.file, message: `"${r.rawName}" holds fractions (0..1); shown as percent (x100) under ${key}` });
    }
    series.push({ key, rawName: r.rawName, file: r.file, unit, granularity: r.granularity, ...(scaledFrom ? { scaledFrom } : {}), points });
  }
  return { series, notes };
}

/** Parses a number the way Python prints it (`nan`, `inf`, `-inf`, `1e-05`) plus JS spellings; null when not a number. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const low = t.toLowerCase();
  if (low === 'nan' || low === '+nan' || low === '-nan') return NaN;
  if (low === 'inf' || low === '+inf' || low === 'infinity' || low === '+infinity') return Infinity;
  if (low === '-inf' || low === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  return Number(t);
}

/** Algorithms named the way users spell them in hyperparameters (`algorithm: dann`, `method: CDAN+E`). */
const ALGORITHM_WORDS: Record<string, Algorithm> = {
  dann: 'dann', cdan: 'cdan', 'cdan+e': 'cdan', cdane: 'cdan', mdd: 'mdd', erm: 'erm', source_only: 'erm', sourceonly: 'erm',
  dan: 'dan', jan: 'jan', mcd: 'mcd', adda: 'adda', afn: 'afn', bsp: 'bsp', mcc: 'mcc', fixmatch: 'fixmatch',
  self_ensemble: 'self_ensemble', cc_loss: 'cc_loss',
};
const ALGORITHM_PARAM_NAMES = ['algorithm', 'method', 'trainer', 'da_method', 'adaptation', 'model_name'];

/**
 * The algorithm a run used, from an explicit hyperparameter; failing that, 'dann' when the run logs a discriminator
 * accuracy (the only adversarial setup the metric names alone point at) with a note saying it was guessed.
 */
export function guessAlgorithm(
  hparams: Record<string, HyperValue> | undefined,
  keys: Iterable<string>,
  file: string,
): { algorithm?: Algorithm; note?: Note } {
  for (const name of ALGORITHM_PARAM_NAMES) {
    const v = hparams?.[name];
    if (typeof v === 'string') {
      const hit = ALGORITHM_WORDS[v.trim().toLowerCase()];
      if (hit) return { algorithm: hit };
    }
  }
  for (const k of keys) {
    if (k === KEY.domainAcc) {
      return { algorithm: 'dann', note: { level: 'info', file, message: 'no algorithm named in the hyperparameters; assumed DANN-style (a discriminator accuracy is logged)' } };
    }
  }
  return {};
}
