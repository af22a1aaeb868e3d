// The run's configuration as a ReplayConfig, the fixes attached to its likely causes as variants, and `--try`.
import type { Run } from '../model/types.js';
import type { CauseId } from '../report/schema.js';
import { HYPER_NAMES, hyperBool, hyperNumber } from '../facts/hyper.js';
import { totalIterationsOf } from '../facts/facts.js';
import type { ReplayAlgorithm, ReplayConfig, ReplayVariant } from '../report/replay-schema.js';

/** tllib dann.py's argparse defaults and its DomainDiscriminator / WarmStartGradientReverseLayer defaults. */
export const TLLIB_DEFAULTS: ReplayConfig = {
  algorithm: 'dann',
  tradeOff: 1,
  lr: 0.01,
  lrGamma: 0.001,
  lrDecay: 0.75,
  momentum: 0.9,
  weightDecay: 1e-3,
  batchSize: 32,
  bottleneckDim: 256,
  discHidden: 1024,
  discBatchNorm: true,
  discLrMult: 1,
  grlAlpha: 1,
  grlLo: 0,
  grlHi: 1,
  grlMaxIters: 1000,
  runIterations: 10000,
};

/** Spellings of the knobs that HYPER_NAMES does not cover (tllib argparse names first). */
const EXTRA_NAMES = {
  lrGamma: ['lr_gamma'],
  lrDecay: ['lr_decay'],
  momentum: ['momentum'],
  weightDecay: ['weight_decay', 'wd'],
  bottleneckDim: ['bottleneck_dim', 'bottleneck', 'bottleneck_width'],
} as const;

/** A trade-off above this is not a DANN weight any more; the replay caps variants there. */
const MAX_TRY_VALUE = 1e6;

export interface ConfigFromRun {
  config: ReplayConfig;
  /** knobs the run did not state, filled from tllib's defaults (said in the report) */
  defaulted: (keyof ReplayConfig)[];
}

function algorithmOf(run: Readonly<Run>): ReplayAlgorithm {
  const a = String(run.algorithm ?? '').toLowerCase();
  if (a.startsWith('cdan')) {
    const e = hyperBool(run, ['entropy', 'cdan_e', 'use_entropy']);
    return a.includes('+e') || a.endsWith('_e') || e?.value ? 'cdan+e' : 'cdan';
  }
  if (a === 'source-only' || a === 'erm' || a === 'source_only') return 'source-only';
  return 'dann';
}

/** The run's own configuration; what it does not state is tllib's default, listed in `defaulted`. */
export function replayConfigOf(run: Readonly<Run>): ConfigFromRun {
  const config: ReplayConfig = { ...TLLIB_DEFAULTS, algorithm: algorithmOf(run) };
  const defaulted: (keyof ReplayConfig)[] = [];
  const num = (key: keyof ReplayConfig, names: readonly string[]) => {
    const hit = hyperNumber(run, names);
    if (hit && Number.isFinite(hit.value)) (config as unknown as Record<string, number>)[key] = hit.value;
    else defaulted.push(key);
  };
  num('tradeOff', HYPER_NAMES.tradeOff);
  num('lr', HYPER_NAMES.lr);
  num('lrGamma', EXTRA_NAMES.lrGamma);
  num('lrDecay', EXTRA_NAMES.lrDecay);
  num('momentum', EXTRA_NAMES.momentum);
  num('weightDecay', EXTRA_NAMES.weightDecay);
  num('batchSize', HYPER_NAMES.batchSize);
  num('bottleneckDim', EXTRA_NAMES.bottleneckDim);
  num('discHidden', HYPER_NAMES.discHidden);
  num('discLrMult', HYPER_NAMES.discLrMult);
  num('grlAlpha', HYPER_NAMES.grlAlpha);
  num('grlLo', HYPER_NAMES.grlLo);
  num('grlHi', HYPER_NAMES.grlHi);
  num('grlMaxIters', HYPER_NAMES.grlMaxIters);
  const bn = hyperBool(run, HYPER_NAMES.discBatchNorm);
  if (bn) config.discBatchNorm = bn.value;
  else defaulted.push('discBatchNorm');
  const total = totalIterationsOf(run);
  if (total) config.runIterations = total.value;
  else defaulted.push('runIterations');
  if (config.tradeOff === 0) config.algorithm = 'source-only';
  return { config, defaulted };
}

/** Knob names a user may `--try`, in the spelling of tllib's argparse. */
export const TRY_KNOBS: Record<string, keyof ReplayConfig> = {
  algorithm: 'algorithm',
  trade_off: 'tradeOff',
  lr: 'lr',
  lr_gamma: 'lrGamma',
  lr_decay: 'lrDecay',
  momentum: 'momentum',
  weight_decay: 'weightDecay',
  batch_size: 'batchSize',
  bottleneck_dim: 'bottleneckDim',
  disc_hidden: 'discHidden',
  disc_batch_norm: 'discBatchNorm',
  disc_lr_mult: 'discLrMult',
  grl_alpha: 'grlAlpha',
  grl_lo: 'grlLo',
  grl_hi: 'grlHi',
  grl_max_iters: 'grlMaxIters',
};

/** A `--try` value that cannot be replayed: the CLI turns it into exit 2 with this message. */
export class TryParseError extends Error {}

/** Parses `key=value[,key=value]` into knob changes. */
export function parseTry(text: string): Partial<ReplayConfig> {
  const out: Partial<ReplayConfig> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new TryParseError(`--try ${part}: expected key=value (keys: ${Object.keys(TRY_KNOBS).join(', ')})`);
    const key = part.slice(0, eq).trim().toLowerCase().replace(/-/g, '_');
    const raw = part.slice(eq + 1).trim();
    const knob = TRY_KNOBS[key];
    if (!knob) throw new TryParseError(`--try ${part}: unknown key ${key} (keys: ${Object.keys(TRY_KNOBS).join(', ')})`);
    if (knob === 'algorithm') {
      const a = raw.toLowerCase();
      if (a !== 'dann' && a !== 'cdan' && a !== 'cdan+e' && a !== 'source-only') throw new TryParseError(`--try ${part}: algorithm must be dann, cdan, cdan+e or source-only`);
      out.algorithm = a;
    } else if (knob === 'discBatchNorm') {
      const b = raw.toLowerCase();
      if (!['true', 'false', '1', '0'].includes(b)) throw new TryParseError(`--try ${part}: expected True or False`);
      out.discBatchNorm = b === 'true' || b === '1';
    } else {
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0 || n > MAX_TRY_VALUE) throw new TryParseError(`--try ${part}: expected a number between 0 and ${MAX_TRY_VALUE}`);
      if ((knob === 'batchSize' || knob === 'discHidden' || knob === 'bottleneckDim') && (!Number.isInteger(n) || n < 1)) throw new TryParseError(`--try ${part}: expected a whole number >= 1`);
      (out as Record<string, number>)[knob] = n;
    }
  }
  return out;
}

const KNOB_TEXT = Object.fromEntries(Object.entries(TRY_KNOBS).map(([k, v]) => [v, k])) as Record<keyof ReplayConfig, string>;

/** "disc_batch_norm=False, trade_off=1" — the changes in the spelling a user types. */
export function describeChanges(changes: Partial<ReplayConfig>): string {
  const parts = Object.entries(changes).map(([k, v]) => {
    const name = KNOB_TEXT[k as keyof ReplayConfig] ?? k;
    const text = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
    return `${name}=${text}`;
  });
  return parts.length ? parts.join(', ') : 'as configured';
}

/** tllib's defaults a fix points back to. */
const DEFAULT_TRADE_OFF = 1;
const DEFAULT_DISC_HIDDEN = 1024;
const MIN_BN_BATCH = 32;
/** A learning rate judged too high is replayed 10x lower: the step tllib users take. */
const LR_FIX_FACTOR = 10;

/**
 * The knob changes that the fixes of a likely cause stand for, on this configuration. A cause whose fix is not a
 * knob of the replayed game (crash, a different label space, more capacity) gives none.
 */
export function changesForCause(id: CauseId, cfg: ReplayConfig): Partial<ReplayConfig>[] {
  switch (id) {
    case 'discriminator-too-strong': {
      const out: Partial<ReplayConfig>[] = [];
      if (cfg.discBatchNorm) out.push({ discBatchNorm: false });
      if (cfg.discHidden > DEFAULT_DISC_HIDDEN) out.push({ discHidden: DEFAULT_DISC_HIDDEN });
      if (cfg.discLrMult > 1) out.push({ discLrMult: 1 });
      if (out.length > 1) out.push(Object.assign({}, ...out));
      return out;
    }
    case 'learning-rate-mismatch':
      return cfg.discLrMult !== 1 ? [{ discLrMult: 1 }] : [];
    case 'grl-coefficient-too-low': {
      const out: Partial<ReplayConfig>[] = [];
      if (cfg.tradeOff < DEFAULT_TRADE_OFF) out.push({ tradeOff: DEFAULT_TRADE_OFF });
      if (cfg.grlHi < 1) out.push({ grlHi: 1 });
      return out;
    }
    case 'trade-off-too-high':
      return [{ tradeOff: cfg.tradeOff > DEFAULT_TRADE_OFF ? DEFAULT_TRADE_OFF : round3(cfg.tradeOff / 3) }];
    case 'learning-rate-too-high':
      return [{ lr: round3(cfg.lr / LR_FIX_FACTOR) }];
    case 'class-imbalance-or-label-shift':
    case 'conditional-shift':
      return cfg.algorithm === 'dann' ? [{ algorithm: 'cdan+e' }] : [];
    case 'tiny-batch-batchnorm':
      return cfg.batchSize < MIN_BN_BATCH ? [{ batchSize: MIN_BN_BATCH }] : [];
    default:
      return [];
  }
}

function round3(n: number): number {
  return Number(n.toPrecision(3));
}

/**
 * The variants to replay: the run as configured, source-only as the reference, each cause's fixes (top causes
 * first, duplicates dropped) and the user's `--try`s. At most `max` variants.
 */
export function variantsFor(base: ReplayConfig, causes: readonly CauseId[], tries: readonly Partial<ReplayConfig>[], max: number): ReplayVariant[] {
  const out: ReplayVariant[] = [{ label: 'as configured', origin: 'run', changes: {}, config: base }];
  const seen = new Set<string>([JSON.stringify(base)]);
  const add = (changes: Partial<ReplayConfig>, origin: string) => {
    const config = { ...base, ...changes };
    if (config.tradeOff === 0) config.algorithm = 'source-only';
    const key = JSON.stringify(config);
    if (seen.has(key) || out.length >= max) return;
    seen.add(key);
    out.push({ label: describeChanges(changes), origin, changes, config });
  };
  for (const t of tries) add(t, 'try');
  for (const c of causes) for (const ch of changesForCause(c, base)) add(ch, c);
  if (base.algorithm !== 'source-only') add({ algorithm: 'source-only', tradeOff: 0 }, 'reference');
  return out;
}
