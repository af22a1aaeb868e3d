// Maps the metric names other tools write (tllib meters, Lightning/Keras/Dassl/DeepDA/pytorch-adapt keys) onto
// canonical keys, and decides whether an accuracy came as a fraction (0..1) or percent. Unknown names are kept as-is.
// The meaning of a name comes from role inference (src/understand/infer-role.ts: tokens and tool conventions), not
// from a table of spellings; the config file's `metricAliases` and `roles` override it.
import { KEY } from '../model/metric-keys.js';
import { keyFromName } from './infer-role.js';
import { HYPER_NAMES, hyperLookup } from './hyper-aliases.js';
import { ASSUMED_DANN_NOTE, algorithmOfWord } from './algorithm.js';
import type { Algorithm, HyperValue, Note, Point, Series, SeriesUnit } from '../model/types.js';

/** Canonical keys whose values are accuracies (so fraction vs percent matters). */
const ACCURACY_KEYS = new Set<string>([KEY.clsAcc, KEY.domainAcc, KEY.valAcc, KEY.sourceValAcc]);

export function normaliseMetricName(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Canonical key for a raw metric name, or the raw name itself when unknown (kept, never lost): the user's aliases
 * first (Lightning's `<name>_step` / `<name>_epoch` suffixes stripped), then the role the name's words give.
 */
export function canonicalKey(raw: string, extra: Record<string, string> = {}): string {
  const n = normaliseMetricName(raw);
  const lookup = (name: string): string | undefined => {
    for (const [k, v] of Object.entries(extra)) if (normaliseMetricName(k) === name) return v;
    return undefined;
  };
  const direct = lookup(n);
  if (direct !== undefined) return direct;
  const stripped = n.replace(/_(step|epoch)$/, '');
  if (stripped !== n) {
    const hit = lookup(stripped);
    if (hit !== undefined) return hit;
  }
  return keyFromName(raw) ?? raw;
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

/**
 * The algorithm a run used, from an explicit hyperparameter (`algorithm: dann`, `method: CDAN+E`); failing that,
 * 'dann' when the run logs a discriminator accuracy, with a note saying it was guessed. The run-level pass
 * (src/understand/algorithm.ts) may overrule it with a config file or folder name.
 */
export function guessAlgorithm(
  hparams: Record<string, HyperValue> | undefined,
  keys: Iterable<string>,
  file: string,
): { algorithm?: Algorithm; note?: Note } {
  const hit = hparams ? hyperLookup(hparams, HYPER_NAMES.algorithm) : undefined;
  if (hit && typeof hit.value === 'string') {
    const a = algorithmOfWord(hit.value);
    if (a && a !== 'framework') return { algorithm: a };
  }
  for (const k of keys) {
    if (k === KEY.domainAcc) return { algorithm: 'dann', note: { level: 'info', file, message: ASSUMED_DANN_NOTE } };
  }
  return {};
}
