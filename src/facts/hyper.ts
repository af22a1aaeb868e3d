// Reads hyperparameters defensively: names vary across scripts (trade_off, lambda, disc_batch_norm, batch_size, bs ...).
import type { HyperValue, Run, SourceRef } from '../model/types.js';

/** Accepted spellings per concept, most specific first. Lookup ignores case and treats '-' and '.' as '_'. */
export const HYPER_NAMES = {
  tradeOff: ['trade_off', 'tradeoff', 'trade_off_weight', 'transfer_loss_weight', 'adv_weight', 'adversarial_weight', 'da_weight', 'domain_loss_weight', 'lambda_adv', 'lambda_d', 'loss_weight_adv'],
  discBatchNorm: ['disc_batch_norm', 'discriminator_batch_norm', 'd_batch_norm', 'disc_bn', 'domain_discriminator_batch_norm'],
  discHidden: ['disc_hidden', 'discriminator_hidden', 'disc_hidden_size', 'hidden_size_d', 'd_hidden'],
  discLrMult: ['disc_lr_mult', 'discriminator_lr_mult', 'd_lr_mult', 'disc_lr_ratio'],
  grlHi: ['grl_hi', 'grl_max', 'grl_lambda_max', 'lambda_max'],
  grlLo: ['grl_lo', 'grl_min'],
  grlAlpha: ['grl_alpha', 'grl_gamma'],
  grlMaxIters: ['grl_max_iters', 'grl_iters', 'grl_warmup_iters'],
  grlSwitchIter: ['grl_switch_iter', 'grl_switch_step', 'grl_change_iter'],
  grlSwitchHi: ['grl_switch_hi', 'grl_switch_value', 'grl_hi_after_switch'],
  discSteps: ['disc_steps', 'd_steps', 'discriminator_steps', 'n_critic', 'd_iters'],
  batchSize: ['batch_size', 'batchsize', 'bs', 'train_batch_size', 'per_device_train_batch_size', 'batch_size_train'],
  lr: ['lr', 'learning_rate', 'base_lr', 'lr0', 'init_lr'],
  itersPerEpoch: ['iters_per_epoch', 'steps_per_epoch', 'iterations_per_epoch', 'n_iters_per_epoch'],
  epochs: ['epochs', 'max_epochs', 'num_epochs', 'n_epochs', 'epoch'],
  optimizer: ['optimizer', 'optim', 'opt', 'optimizer_name'],
  numClasses: ['num_classes', 'n_classes', 'nclasses', 'class_num'],
} as const;

export interface HyperHit<T> {
  /** the name as written in the run */
  name: string;
  value: T;
  /** where the hyperparameters were read */
  ref?: SourceRef;
}

const norm = (k: string) => k.toLowerCase().replace(/[-.]/g, '_');

/**
 * Normalised name -> written name, per hyperparameter object. Rules and causes look up ~60 names per run; building
 * this map for every lookup was ~5% of a sweep's CPU. Rebuilt if keys were added since (the count changes).
 */
const normIndex = new WeakMap<object, { keys: number; byNorm: Map<string, string> }>();

function byNormOf(hp: Record<string, HyperValue>): Map<string, string> {
  const keys = Object.keys(hp);
  const hit = normIndex.get(hp);
  if (hit && hit.keys === keys.length) return hit.byNorm;
  const byNorm = new Map(keys.map((k) => [norm(k), k]));
  normIndex.set(hp, { keys: keys.length, byNorm });
  return byNorm;
}

function find(run: Readonly<Run>, names: readonly string[]): { name: string; value: HyperValue } | undefined {
  const hp = run.hyperparameters ?? {};
  const byNorm = byNormOf(hp);
  for (const n of names) {
    const k = byNorm.get(norm(n));
    if (k !== undefined && hp[k] !== null && hp[k] !== undefined) return { name: k, value: hp[k] };
  }
  return undefined;
}

/** A numeric hyperparameter (numbers, numeric strings, or a one-element list such as tllib's `batch_size=[32]`). */
export function hyperNumber(run: Readonly<Run>, names: readonly string[]): HyperHit<number> | undefined {
  const hit = find(run, names);
  if (!hit) return undefined;
  let v: HyperValue = hit.value;
  if (Array.isArray(v) && v.length === 1) v = v[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? { name: hit.name, value: n, ref: run.hyperparametersFrom } : undefined;
}

/** A boolean hyperparameter: true/false, 'True'/'False'/'yes'/'no', 1/0. */
export function hyperBool(run: Readonly<Run>, names: readonly string[]): HyperHit<boolean> | undefined {
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
export function hyperString(run: Readonly<Run>, names: readonly string[]): HyperHit<string> | undefined {
  const hit = find(run, names);
  if (!hit || typeof hit.value !== 'string') return undefined;
  return { name: hit.name, value: hit.value, ref: run.hyperparametersFrom };
}

/** "name=value" the way the user wrote it (Python spelling for booleans), for messages and fixes. */
export function showHyper(hit: HyperHit<number | boolean | string>): string {
  const v = typeof hit.value === 'boolean' ? (hit.value ? 'True' : 'False') : String(hit.value);
  return `${hit.name}=${v}`;
}
