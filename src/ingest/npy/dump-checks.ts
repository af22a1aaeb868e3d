// Sanity bounds for a feature dump (features.npz), checked up front by everything that reads one (evaluation, t-SNE,
// plots): one clear message naming the array instead of an abort, a minutes-long loop or a silently wrapped label.
import type { NdArray } from '../../model/ndarray.js';
import { InputError } from '../input-error.js';

/**
 * Most classes a dump may imply. ImageNet-21k has 21,841; a label of 2**31-1 implies two billion and made --eval
 * loop for minutes building per-class tables. Everything above this is a corrupt or hostile dump.
 */
export const MAX_CLASSES = 100_000;
/** Most rows (samples) per array: DomainNet's largest domain has ~175k images; 50M leaves room and stops 10**9. */
export const MAX_ROWS = 50_000_000;
/** Above this many classes a confusion matrix is kept sparse (k^2 cells: 5,000 classes made a 25M-cell JSON array). */
export const DENSE_CONFUSION_MAX_CLASSES = 256;

const LABELS = /(^|_)(labels?|y|predictions|preds?)$/;
const FEATURES = /(^|_)(features|feats|bottleneck_features|backbone_features)$/;
const LOGITS = /(^|_)(logits|outputs)$/;

function rowsCols(a: NdArray): [number, number] {
  return [a.shape[0] ?? 1, a.shape.slice(1).reduce((x, y) => x * y, 1)];
}

/** Labels (and predicted classes): whole numbers in -1..MAX_CLASSES-1 (negatives mean "unlabelled"), checked exactly. */
export function checkLabels(file: string, name: string, a: NdArray): void {
  const d = a.data;
  for (let i = 0; i < d.length; i++) {
    const v = Number(d[i]);
    if (!Number.isInteger(v)) throw new InputError(file, `array '${name}': label at row ${i} is ${v}, not a whole number`);
    if (v >= MAX_CLASSES || v < -MAX_CLASSES) {
      throw new InputError(file, `array '${name}': label ${v} at row ${i} is outside 0..${MAX_CLASSES - 1} (at most ${MAX_CLASSES} classes; corrupt dump or wrong dtype?)`);
    }
  }
}

/**
 * Every array of a feature dump whose name gives its role (tllib-style `source_features`, `target_labels`,
 * `t_logits`...): features have at least one row and one column, logits at most MAX_CLASSES columns, no array more
 * than MAX_ROWS rows, labels in range. Throws InputError naming the file and array.
 */
export function checkFeatureDump(arrays: ReadonlyMap<string, NdArray>, file: string): void {
  for (const [name, a] of arrays) {
    const [rows, cols] = rowsCols(a);
    if (rows > MAX_ROWS) throw new InputError(file, `array '${name}' has ${rows} rows, over the ${MAX_ROWS}-row limit for a feature dump`);
    if (FEATURES.test(name)) {
      if (a.shape.length < 2) throw new InputError(file, `array '${name}': features must be (rows, dims), got shape (${a.shape.join(', ')})`);
      if (cols === 0) throw new InputError(file, `array '${name}' of shape (${a.shape.join(', ')}) has zero-width features (no dimensions to measure)`);
      if (rows === 0) throw new InputError(file, `array '${name}' has no rows`);
    } else if (LOGITS.test(name)) {
      if (a.shape.length === 2 && cols > MAX_CLASSES) throw new InputError(file, `array '${name}' has ${cols} classes, over the ${MAX_CLASSES}-class limit`);
      if (a.shape.length === 2 && cols === 0) throw new InputError(file, `array '${name}' of shape (${a.shape.join(', ')}) has no classes`);
    } else if (LABELS.test(name)) {
      checkLabels(file, name, a);
    }
  }
}
