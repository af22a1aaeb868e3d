// The one table of hyperparameter spellings (lr, batch size, trade-off, GRL, epochs, discriminator, seed ...) shared
// by every reader, rule and report, and the lookup that finds them in flat or nested configs (`config.train.lr`,
// Lightning's `cfg.lr`, W&B's unwrapped values, DomainBed's `hparams.lr` / `args.test_envs`).
import type { HyperValue, Run, SourceRef } from '../model/types.js';

/** Accepted spellings per concept, most specific first. Lookup ignores case and treats '-' and '.' as '_'. */
export const HYPER_NAMES = {
  tradeOff: [
    'trade_off', 'tradeoff', 'trade_off_weight', 'transfer_loss_weight', 'adv_weight', 'adversarial_weight', 'da_weight',
    'domain_loss_weight', 'lambda_adv', 'lambda_d', 'loss_weight_adv', 'lambda_domain', 'dann_weight', 'weight_domain',
    'lambda_transfer', 'transfer_weight', 'lambda', 'lamb',
  ],
  discBatchNorm: ['disc_batch_norm', 'discriminator_batch_norm', 'd_batch_norm', 'disc_bn', 'domain_discriminator_batch_norm'],
  discHidden: ['disc_hidden', 'discriminator_hidden', 'disc_hidden_size', 'hidden_size_d', 'd_hidden', 'mlp_width'],
  discLrMult: ['disc_lr_mult', 'discriminator_lr_mult', 'd_lr_mult', 'disc_lr_ratio', 'lr_d_mult'],
  grlHi: ['grl_hi', 'grl_max', 'grl_lambda_max', 'lambda_max'],
  grlLo: ['grl_lo', 'grl_min'],
  grlAlpha: ['grl_alpha', 'grl_gamma'],
  grlMaxIters: ['grl_max_iters', 'grl_iters', 'grl_warmup_iters'],
  grlSwitchIter: ['grl_switch_iter', 'grl_switch_step', 'grl_change_iter'],
  grlSwitchHi: ['grl_switch_hi', 'grl_switch_value', 'grl_hi_after_switch'],
  discSteps: ['disc_steps', 'd_steps', 'discriminator_steps', 'n_critic', 'd_iters', 'd_steps_per_g_step'],
  batchSize: ['batch_size', 'batchsize', 'bs', 'train_batch_size', 'per_device_train_batch_size', 'batch_size_train', 'train_bs', 'ims_per_batch'],
  lr: ['lr', 'learning_rate', 'base_lr', 'lr0', 'init_lr', 'opt_learning_rate', 'learningrate'],
  itersPerEpoch: ['iters_per_epoch', 'steps_per_epoch', 'iterations_per_epoch', 'n_iters_per_epoch', 'n_iter_per_epoch'],
  epochs: ['epochs', 'max_epochs', 'num_epochs', 'n_epochs', 'n_epoch', 'max_epoch', 'nepochs', 'epoch'],
  steps: ['steps', 'max_steps', 'max_iter', 'max_iters', 'num_iters', 'num_iterations', 'n_steps', 'iterations', 'total_steps'],
  optimizer: ['optimizer', 'optim', 'opt', 'optimizer_name'],
  numClasses: ['num_classes', 'n_classes', 'nclasses', 'class_num', 'classes'],
  seed: ['seed', 'random_seed', 'trial_seed', 'manual_seed'],
  algorithm: ['algorithm', 'method', 'da_method', 'adaptation', 'adapt_method', 'model_name', 'trainer_name', 'approach'],
} as const;

export type HyperConcept = keyof typeof HYPER_NAMES;

export interface HyperHit<T> {
  /** the name as written in the run (e.g. `config.train.lr`) */
  name: string;
  value: T;
  /** where the hyperparameters were read */
  ref?: SourceRef;
}

const norm = (k: string) => k.toLowerCase().replace(/[-\s]/g, '_');

/** Wrappers whose child is the value (`lr.value` in W&B, `trainer.lr` is not one). */
const VALUE_WRAPPERS = new Set(['value']);

/**
 * The hyperparameter one of `names` stands for: an exact (normalised) key first, then a nested key whose last part
 * matches (`config.train.lr`, `cfg.lr`, `hparams.batch_size`), shallowest first; null values are skipped.
 */
interface HyperIndex {
  keys: number;
  byNorm: Map<string, string>;
  /** dotted keys with their last part normalised (`config.train.LR` -> `lr`), fewest dots first */
  nested: { k: string; parts: string[]; last: string }[];
}

/**
 * Normalised name -> written name (and the nested keys), per hyperparameter object. Rules and causes look up ~60
 * names per run; building this for every lookup was ~5% of a sweep's CPU. Rebuilt if keys were added since.
 */
const indexCache = new WeakMap<object, HyperIndex>();

/** Own enumerable keys of a plain object, counted without building Object.keys' array (it is asked per lookup). */
function keyCount(hp: object): number {
  let n = 0;
  for (const k in hp) if (Object.hasOwn(hp, k)) n++;
  return n;
}

function indexOf(hp: Readonly<Record<string, HyperValue>>): HyperIndex {
  const count = keyCount(hp);
  const hit = indexCache.get(hp);
  if (hit && hit.keys === count) return hit;
  const keys = Object.keys(hp);
  const byNorm = new Map<string, string>();
  // spellings that normalise alike (`trade-off`, `trade_off`): the first one holding a value
  for (const k of keys) if (hp[k] !== null && hp[k] !== undefined && !byNorm.has(norm(k))) byNorm.set(norm(k), k);
  // nested: the last dotted part (ignoring a W&B `.value` wrapper), fewest dots first
  const nested = keys
    .map((k) => {
      const parts = k.split('.');
      while (parts.length > 1 && VALUE_WRAPPERS.has(parts[parts.length - 1])) parts.pop();
      return { k, parts, last: norm(parts[parts.length - 1]) };
    })
    .filter((x) => x.parts.length > 1)
    .sort((a, b) => a.parts.length - b.parts.length);
  const idx = { keys: count, byNorm, nested };
  indexCache.set(hp, idx);
  return idx;
}

/** The normalised spellings of a list of names: the lists are HYPER_NAMES' constants, normalised once each. */
const normCache = new WeakMap<readonly string[], string[]>();

function normalisedNames(names: readonly string[]): string[] {
  let n = normCache.get(names);
  if (!n) normCache.set(names, (n = names.map(norm)));
  return n;
}

export function hyperLookup(hp: Readonly<Record<string, HyperValue>>, names: readonly string[]): { name: string; value: HyperValue } | undefined {
  const { byNorm, nested } = indexOf(hp);
  const wanted = normalisedNames(names);
  for (const n of wanted) {
    const k = byNorm.get(n);
    if (k !== undefined && hp[k] !== null && hp[k] !== undefined) return { name: k, value: hp[k] };
  }
  if (nested.length === 0) return undefined;
  for (const want of wanted) {
    // dotted spellings in the table (none today) and the last part
    const hit = nested.find((x) => x.last === want && hp[x.k] !== null && hp[x.k] !== undefined);
    if (hit) return { name: hit.k, value: hp[hit.k] };
  }
  return undefined;
}

function find(run: Readonly<Pick<Run, 'hyperparameters'>>, names: readonly string[]): { name: string; value: HyperValue } | undefined {
  return hyperLookup(run.hyperparameters ?? {}, names);
}

/** A number from a hyperparameter value: numbers, numeric strings, a one-element list (tllib's `batch_size=[32]`). */
export function hyperValueNumber(v: HyperValue): number | undefined {
  if (Array.isArray(v) && v.length === 1) v = v[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A numeric hyperparameter. */
export function hyperNumber(run: Readonly<Pick<Run, 'hyperparameters' | 'hyperparametersFrom'>>, names: readonly string[]): HyperHit<number> | undefined {
  const hit = find(run, names);
  if (!hit) return undefined;
  const n = hyperValueNumber(hit.value);
  return n !== undefined ? { name: hit.name, value: n, ref: run.hyperparametersFrom } : undefined;
}

/** A boolean hyperparameter: true/false, 'True'/'False'/'yes'/'no', 1/0. */
export function hyperBool(run: Readonly<Pick<Run, 'hyperparameters' | 'hyperparametersFrom'>>, names: readonly string[]): HyperHit<boolean> | undefined {
  const hit = find(run, names);
  if (!hit) return undefined;
  const v = hit.value;
  let b: boolean | undefined;
  if (typeof v === 'boolean') b = v;
  else if (typeof v === 'number') b = v !== 0;
  else if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(s)) b = true;
    else if (['false', 'no', '0', 'off', 'none'].includes(s)) b = false;
  }
  return b === undefined ? undefined : { name: hit.name, value: b, ref: run.hyperparametersFrom };
}

/** A string hyperparameter (e.g. the optimizer name). */
export function hyperString(run: Readonly<Pick<Run, 'hyperparameters' | 'hyperparametersFrom'>>, names: readonly string[]): HyperHit<string> | undefined {
  const hit = find(run, names);
  if (!hit || typeof hit.value !== 'string') return undefined;
  return { name: hit.name, value: hit.value, ref: run.hyperparametersFrom };
}

/** "name=value" the way the user wrote it (Python spelling for booleans), for messages and fixes. */
export function showHyper(hit: HyperHit<number | boolean | string>): string {
  const v = typeof hit.value === 'boolean' ? (hit.value ? 'True' : 'False') : String(hit.value);
  return `${hit.name}=${v}`;
}

/** Every concept found in a run's hyperparameters: concept -> the name it was found under and its value. */
export function canonicalHyperparameters(hp: Readonly<Record<string, HyperValue>>): Partial<Record<HyperConcept, { name: string; value: HyperValue }>> {
  const out: Partial<Record<HyperConcept, { name: string; value: HyperValue }>> = {};
  for (const concept of Object.keys(HYPER_NAMES) as HyperConcept[]) {
    const hit = hyperLookup(hp, HYPER_NAMES[concept]);
    if (hit) out[concept] = hit;
  }
  return out;
}
