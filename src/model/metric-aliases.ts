// Maps the metric names other tools write (tllib meters, Lightning/Keras/Dassl/DeepDA/pytorch-adapt keys) onto
// canonical keys, and decides whether an accuracy came as a fraction (0..1) or percent. Unknown names are kept as-is.
import { KEY } from './metric-keys.js';
import type { SeriesUnit } from './types.js';

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
};

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
  for (const table of [extra, DEFAULT_ALIASES]) {
    for (const [k, v] of Object.entries(table)) if (normaliseMetricName(k) === n) return v;
  }
  const stripped = n.replace(/_(step|epoch)$/, '');
  if (stripped !== n) {
    for (const table of [extra, DEFAULT_ALIASES]) {
      for (const [k, v] of Object.entries(table)) if (normaliseMetricName(k) === stripped) return v;
    }
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
