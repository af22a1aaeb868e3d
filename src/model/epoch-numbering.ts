// How a log numbers its epochs. Every series, evaluation and table holds 0-based epoch indices (epoch 0 is the first
// epoch trained, so iteration arithmetic is the same for every reader); messages show the number the log printed.
// tllib prints `Epoch: [0]`, DeepDA `Epoch: [ 1/500]`, Keras `Epoch 1/50`, Dassl `epoch [1/30]`: a reader that strips a
// 1-based numbering says so with `epochBase: 1`, and every message adds it back.

/** The number the log gives its first epoch. */
export type EpochBase = 0 | 1;

/** The epoch as the log numbers it, from a 0-based index. */
export function shownEpoch(epoch: number, base: EpochBase | undefined): number {
  return epoch + (base ?? 0);
}

/** Said once per run where epochs are shown, only when the log counts from 1 (0 is what dann-doctor's indices are). */
export function epochNumberingNote(base: EpochBase | undefined): string | undefined {
  return base === 1 ? 'epochs numbered from 1, as the log prints them' : undefined;
}
