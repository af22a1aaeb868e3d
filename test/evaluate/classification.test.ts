// Per-domain classification measures: accuracy, per-class accuracy, confusion, histograms, entropy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationEval, normalisedEntropy, toDistribution } from '../../src/evaluate/classification.js';

test('confusion rows are true classes, columns predictions; per-class accuracy is the diagonal over the row', () => {
  // y = [0,0,1,1,1,2], p = [0,1,1,1,0,2]: sklearn.metrics.confusion_matrix(y, p) = [[1,1,0],[1,2,0],[0,0,1]]
  const e = classificationEval(Int32Array.from([0, 0, 1, 1, 1, 2]), Int32Array.from([0, 1, 1, 1, 0, 2]), 3, 'logits');
  assert.deepEqual(e.confusion, [[1, 1, 0], [1, 2, 0], [0, 0, 1]]);
  assert.equal(e.accuracy, (100 * 4) / 6);
  assert.deepEqual(e.perClassAcc, [50, (100 * 2) / 3, 100]);
  assert.deepEqual(e.predHistogram, [2, 3, 1]);
  assert.deepEqual(e.labelHistogram, [2, 3, 1]);
  assert.equal(e.n, 6);
  assert.equal(e.predictionsFrom, 'logits');
});

test('a class without samples has NaN accuracy; out-of-range labels are skipped; -1 predictions count as wrong', () => {
  const e = classificationEval(Int32Array.from([0, -1, 0, 7]), Int32Array.from([0, 0, -1, 0]), 2, 'predictions');
  assert.equal(e.skipped, 2);
  assert.equal(e.n, 2);
  assert.equal(e.accuracy, 50);
  assert.ok(Number.isNaN(e.perClassAcc[1]!));
  assert.deepEqual(e.predHistogram, [1, 0]);
});

test('normalised entropy: uniform 1, one class 0, empty NaN', () => {
  assert.equal(normalisedEntropy([5, 5, 5, 5]), 1);
  assert.equal(normalisedEntropy([0, 9, 0]), 0);
  assert.ok(Number.isNaN(normalisedEntropy([0, 0])));
  // scipy.stats.entropy([1, 3]) / log(2) = 0.8112781244591328
  assert.ok(Math.abs(normalisedEntropy([1, 3]) - 0.8112781244591328) < 1e-12);
});

test('toDistribution sums to one', () => {
  assert.deepEqual(toDistribution([1, 3]), [0.25, 0.75]);
  assert.deepEqual(toDistribution([0, 0]), [0, 0]);
});

test('labels and predictions of different lengths are refused', () => {
  assert.throws(() => classificationEval(Int32Array.from([0]), Int32Array.from([0, 1]), 2, 'logits'), /differ in length/);
});
