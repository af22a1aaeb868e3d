// Per-domain classification measurements from labels and predicted classes: accuracy, per-class, confusion, collapse.
import type { DomainEval } from '../model/types.js';
import { DENSE_CONFUSION_MAX_CLASSES } from '../ingest/npy/dump-checks.js';

/**
 * Accuracy (percent), per-class accuracy, confusion matrix (rows = true class, cols = predicted), prediction
 * and label histograms, and the normalised entropy of the prediction histogram (1 = spread evenly, 0 = one class).
 * Rows whose label is outside 0..numClasses-1 (e.g. -1 for "unlabelled") are left out and counted in `skipped`.
 * A prediction outside the range (argmax of a NaN row gives -1) counts as wrong and is not in the histogram.
 * Cost O(n + numClasses^2).
 */
export function classificationEval(
  labels: Int32Array,
  preds: Int32Array,
  numClasses: number,
  predictionsFrom: DomainEval['predictionsFrom'],
): DomainEval & { skipped: number } {
  if (labels.length !== preds.length) throw new Error(`labels (${labels.length}) and predictions (${preds.length}) differ in length`);
  // k x k cells stop fitting in memory and JSON long before k = 21,841 (ImageNet-21k): many classes count only the
  // cells that occur (at most one per row), kept as [true, predicted, count] triples
  const dense = numClasses <= DENSE_CONFUSION_MAX_CLASSES;
  const confusion = dense ? Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0)) : [];
  const cells = dense ? undefined : new Map<number, number>();
  const diagonal = new Array<number>(numClasses).fill(0);
  const predHistogram = new Array<number>(numClasses).fill(0);
  const labelHistogram = new Array<number>(numClasses).fill(0);
  let n = 0;
  let correct = 0;
  let skipped = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    const p = preds[i]!;
    if (y < 0 || y >= numClasses) { skipped++; continue; }
    n++;
    labelHistogram[y]!++;
    if (p >= 0 && p < numClasses) {
      predHistogram[p]!++;
      if (cells) cells.set(y * numClasses + p, (cells.get(y * numClasses + p) ?? 0) + 1);
      else confusion[y]![p]!++;
      if (p === y) { correct++; diagonal[y]!++; }
    }
  }
  const perClassAcc = labelHistogram.map((count, c) => (count === 0 ? NaN : (100 * diagonal[c]!) / count));
  return {
    n,
    accuracy: n === 0 ? NaN : (100 * correct) / n,
    perClassAcc,
    confusion,
    ...(cells ? { confusionCells: [...cells].sort((a, b) => a[0] - b[0]).map(([key, count]) => [Math.floor(key / numClasses), key % numClasses, count] as [number, number, number]) } : {}),
    predHistogram,
    labelHistogram,
    predEntropyNorm: normalisedEntropy(predHistogram),
    predictionsFrom,
    skipped,
  };
}

/** Shannon entropy of a histogram divided by ln(bins): 1 = uniform, 0 = all mass in one bin. NaN when empty. */
export function normalisedEntropy(hist: readonly number[]): number {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0 || hist.length < 2) return NaN;
  let h = 0;
  for (const c of hist) if (c > 0) h -= (c / total) * Math.log(c / total);
  return h / Math.log(hist.length);
}

/** A histogram as fractions summing to 1 (all zeros when empty). */
export function toDistribution(hist: readonly number[]): number[] {
  const total = hist.reduce((a, b) => a + b, 0);
  return hist.map((c) => (total === 0 ? 0 : c / total));
}
