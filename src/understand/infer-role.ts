// Role of one series from its name alone (tokens and the tools' conventions), and the canonical key a role fills.
// Run-level evidence (config, other series, value ranges) is combined in assign-roles.ts.
import { KEY } from '../model/metric-keys.js';
import type { RoleDomain, RoleQuantity, RoleSplit, SeriesRole } from '../model/role-types.js';
import { granularityMarker, tokenize } from './tokens.js';
import * as W from './lexicon.js';

/** Confidence of a part named by an explicit word, and of a part filled by a convention or assumption. */
export const EXPLICIT = 0.95;
export const CONVENTION = 0.8;
export const ASSUMED = 0.6;
/** Below this a name-only role does not give a canonical key (the series keeps its own name). */
export const MIN_KEY_CONFIDENCE = 0.45;

const pick = (tokens: readonly string[], words: ReadonlySet<string>): string | undefined => tokens.find((t) => words.has(t));

interface Part<T> {
  value: T;
  conf: number;
  reason?: string;
}

function splitOf(tokens: readonly string[], raw: string): Part<RoleSplit> | undefined {
  const tr = pick(tokens, W.TRAIN_WORDS);
  const va = pick(tokens, W.VAL_WORDS);
  const te = pick(tokens, W.TEST_WORDS);
  // "val" wins over "train" in `train_val_acc`-like names only when it comes later (the last qualifier is the split)
  if (va && te) return { value: tokens.indexOf(va) > tokens.indexOf(te) ? 'val' : 'test', conf: EXPLICIT, reason: `split from "${va}"/"${te}"` };
  if (va) return { value: 'val', conf: EXPLICIT, reason: `split "${va}"` };
  if (te) return { value: 'test', conf: EXPLICIT, reason: `split "${te}"` };
  if (tr) return { value: 'train', conf: EXPLICIT, reason: `split "${tr}"` };
  void raw;
  return undefined;
}

function quantityOf(tokens: readonly string[], raw: string): Part<RoleQuantity> & { domainHint?: Part<RoleDomain> } {
  const low = raw.trim().toLowerCase();
  if (W.PLACEHOLDER_NAMES.has(low)) return { value: 'placeholder', conf: EXPLICIT, reason: `"${raw}" is a logger placeholder, not a training signal` };
  if (W.EPOCH_COUNTER_NAMES.has(low)) return { value: 'epoch-counter', conf: EXPLICIT, reason: `"${raw}" counts epochs/steps` };
  if (pick(tokens, W.LR_WORDS) || (tokens.includes('learning') && tokens.includes('rate'))) return { value: 'lr', conf: EXPLICIT, reason: 'learning-rate word' };
  const acc = pick(tokens, W.ACCURACY_WORDS) ?? (/(acc@\d|top-?\d)/i.test(raw) ? 'acc@k' : undefined);
  const loss = pick(tokens, W.LOSS_WORDS);
  const cls = pick(tokens, W.CLASS_WORDS);
  const disc = pick(tokens, W.DISCRIMINATOR_WORDS);
  const trans = pick(tokens, W.TRANSFER_WORDS);
  const total = pick(tokens, W.TOTAL_WORDS);
  const src = pick(tokens, W.SOURCE_WORDS);
  const tgt = pick(tokens, W.TARGET_WORDS);
  const f1 = pick(tokens, W.F1_WORDS);
  if (f1) return { value: 'f1', conf: EXPLICIT, reason: `per-class summary metric word "${f1}" (F1/recall/macro), not an accuracy` };
  const analysis = pick(tokens, W.ANALYSIS_WORDS);
  if (analysis) return { value: 'other', conf: 0, reason: `post-training analysis word "${analysis}"` };
  const pseudo = pick(tokens, W.PSEUDO_WORDS);
  if (acc && pseudo) return { value: 'accuracy', conf: CONVENTION, reason: `accuracy word "${acc}" with "${pseudo}": a pseudo-label accuracy, weaker than the model's own` };
  if (acc) return { value: 'accuracy', conf: EXPLICIT, reason: `accuracy word "${acc}"` };
  if (tokens.includes('score') && !loss) return { value: 'accuracy', conf: CONVENTION, reason: '"score" read as an accuracy' };
  const err = pick(tokens, W.ERROR_WORDS);
  if (err && !loss) return { value: 'error', conf: CONVENTION, reason: `error word "${err}" (a rate or a summed loss; not an accuracy)` };
  const res = pick(tokens, W.RESOURCE_WORDS);
  if (res && !loss) return { value: 'resource', conf: CONVENTION, reason: `resource/bookkeeping word "${res}"` };
  const ent = pick(tokens, W.ENTROPY_WORDS);
  if (loss || (cls && ['nll', 'ce', 'xent'].includes(cls))) {
    const l = loss ?? cls!;
    if (disc) return { value: 'domain-loss', conf: EXPLICIT, reason: `"${l}" with discriminator word "${disc}"`, domainHint: { value: 'domain-discriminator', conf: EXPLICIT } };
    if (trans) return { value: 'transfer-loss', conf: EXPLICIT, reason: `"${l}" with transfer word "${trans}"` };
    if (cls) return { value: 'class-loss', conf: EXPLICIT, reason: `classification word "${cls}"`, domainHint: { value: 'source', conf: CONVENTION, reason: 'the classification loss is computed on labelled source batches' } };
    if (ent) return { value: 'entropy', conf: EXPLICIT, reason: `entropy word "${ent}"` };
    if (total) return { value: 'total-loss', conf: EXPLICIT, reason: `"${l}" with "${total}"`, domainHint: { value: 'total', conf: EXPLICIT } };
    if (src && !tgt) return { value: 'class-loss', conf: CONVENTION, reason: `a loss on the source ("${src}") alone is the classification loss`, domainHint: { value: 'source', conf: EXPLICIT } };
    return { value: 'loss', conf: EXPLICIT, reason: `loss word "${l}"` };
  }
  if (pick(tokens, W.GRL_WORDS)) return { value: 'grl-coeff', conf: CONVENTION, reason: `GRL/coefficient word "${pick(tokens, W.GRL_WORDS)}"` };
  if (tokens.includes('tradeoff') || (tokens.includes('trade') && tokens.includes('off'))) return { value: 'trade-off', conf: EXPLICIT, reason: 'trade-off word' };
  if (ent) return { value: 'entropy', conf: CONVENTION, reason: `entropy word "${ent}"` };
  if (trans) return { value: 'transfer-loss', conf: ASSUMED, reason: `discrepancy/transfer word "${trans}" without "loss"` };
  return { value: 'other', conf: 0, reason: 'no known quantity word' };
}

function domainOf(tokens: readonly string[], quantity: RoleQuantity, split: RoleSplit): Part<RoleDomain> {
  const disc = pick(tokens, W.DISCRIMINATOR_WORDS);
  const tgt = pick(tokens, W.TARGET_WORDS);
  const src = pick(tokens, W.SOURCE_WORDS);
  const cls = pick(tokens, W.CLASS_WORDS);
  if (disc && (quantity === 'accuracy' || quantity === 'domain-loss' || quantity === 'error'))
    return { value: 'domain-discriminator', conf: EXPLICIT, reason: `discriminator word "${disc}"` };
  if (tgt && !src) return { value: 'target', conf: EXPLICIT, reason: `target word "${tgt}"` };
  if (src && !tgt) return { value: 'source', conf: EXPLICIT, reason: `source word "${src}"` };
  if (quantity === 'accuracy') {
    if (split === 'train') return { value: 'source', conf: CONVENTION, reason: cls ? `classifier accuracy ("${cls}") during training is on labelled source batches` : 'training accuracy is measured on labelled source batches' };
    return { value: 'target', conf: ASSUMED, reason: `assumed: ${split} accuracy is the target's (tllib, DeepDA, SHOT and most DA code validate on the target)` };
  }
  // learning rates, coefficients, transfer terms and bookkeeping belong to no one domain: nothing to doubt
  return { value: 'unknown', conf: EXPLICIT };
}

/** Role from the name alone. `granularity` is what the reader saw (one value per epoch or per step). */
export function inferRoleFromName(raw: string, granularity: 'step' | 'epoch' = 'step'): SeriesRole {
  const all = tokenize(raw);
  const g = granularityMarker(all);
  const tokens = g.rest;
  const reasons: string[] = [];
  const q = quantityOf(tokens, raw);
  if (q.reason) reasons.push(q.reason);
  let split = splitOf(tokens, raw);
  if (!split) {
    // top-k / Acc@1 names and target accuracies are evaluation conventions; the rest is per-step training
    const evalName = q.value === 'accuracy' && (pick(tokens, W.EVAL_ACCURACY_WORDS) || /(acc@\d|top-?\d)/i.test(raw) || pick(tokens, W.TARGET_WORDS));
    split = evalName
      ? { value: 'val', conf: CONVENTION, reason: 'no split named: an evaluation-style accuracy (target or top-k) is a validation metric' }
      : { value: 'train', conf: CONVENTION };
  }
  if (split.reason) reasons.push(split.reason);
  let d = q.domainHint && !(q.domainHint.value === 'source' && pick(tokens, W.TARGET_WORDS)) ? q.domainHint : domainOf(tokens, q.value, split.value);
  if (q.value === 'loss' && d.value === 'unknown' && split.value === 'train') d = { value: 'total', conf: CONVENTION, reason: 'a plain training "loss" is taken as the total objective' };
  if (d.reason) reasons.push(d.reason);
  if (g.marker) reasons.push(`granularity from "${g.marker}"`);
  const conf = q.value === 'other' ? 0 : Math.min(q.conf, 1) * d.conf * split.conf / (EXPLICIT * EXPLICIT);
  return {
    domain: d.value,
    quantity: q.value,
    split: split.value,
    granularity: g.granularity ?? granularity,
    confidence: Math.round(Math.min(1, conf) * 100) / 100,
    reasons,
    from: 'inferred',
  };
}

/** The canonical key (src/model/metric-keys.ts) a role fills, or undefined when none does. */
export function keyForRole(r: Pick<SeriesRole, 'domain' | 'quantity' | 'split'>): string | undefined {
  const evalSplit = r.split === 'val' || r.split === 'test';
  switch (r.quantity) {
    case 'accuracy':
      if (r.domain === 'domain-discriminator') return r.split === 'train' ? KEY.domainAcc : undefined;
      if (r.domain === 'source') return evalSplit ? KEY.sourceValAcc : KEY.clsAcc;
      if (r.domain === 'target') return evalSplit ? KEY.valAcc : undefined;
      return undefined;
    case 'lr':
      return KEY.lr;
    case 'grl-coeff':
      return KEY.grlCoeff;
    case 'class-loss':
      return evalSplit ? (r.domain === 'target' ? KEY.valLoss : undefined) : KEY.clsLoss;
    case 'domain-loss':
    case 'transfer-loss':
      return evalSplit ? undefined : KEY.transferLoss;
    case 'total-loss':
    case 'loss':
      if (evalSplit) return r.domain === 'target' || r.domain === 'unknown' || r.domain === 'total' ? KEY.valLoss : undefined;
      return r.domain === 'total' || r.domain === 'unknown' ? KEY.loss : r.domain === 'source' ? KEY.clsLoss : undefined;
    default:
      return undefined;
  }
}

/** The role a canonical key stands for (for series a reader keyed itself, e.g. tllib meters). */
export function roleOfKey(key: string): Pick<SeriesRole, 'domain' | 'quantity' | 'split'> | undefined {
  switch (key) {
    case KEY.clsAcc: return { domain: 'source', quantity: 'accuracy', split: 'train' };
    case KEY.domainAcc: return { domain: 'domain-discriminator', quantity: 'accuracy', split: 'train' };
    case KEY.loss: return { domain: 'total', quantity: 'total-loss', split: 'train' };
    case KEY.clsLoss: return { domain: 'source', quantity: 'class-loss', split: 'train' };
    case KEY.transferLoss: return { domain: 'domain-discriminator', quantity: 'transfer-loss', split: 'train' };
    case KEY.lr: return { domain: 'unknown', quantity: 'lr', split: 'train' };
    case KEY.grlCoeff: return { domain: 'domain-discriminator', quantity: 'grl-coeff', split: 'train' };
    case KEY.valAcc: return { domain: 'target', quantity: 'accuracy', split: 'val' };
    case KEY.valLoss: return { domain: 'target', quantity: 'loss', split: 'val' };
    case KEY.sourceValAcc: return { domain: 'source', quantity: 'accuracy', split: 'val' };
    default: return undefined;
  }
}

/** Canonical key from the name alone, or undefined (used by readers through metric-aliases.ts canonicalKey). */
export function keyFromName(raw: string): string | undefined {
  const r = inferRoleFromName(raw);
  return r.confidence >= MIN_KEY_CONFIDENCE ? keyForRole(r) : undefined;
}
