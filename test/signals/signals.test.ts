// Tests of the pure signal functions (src/signals) against hand-checked values and numpy/scipy results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saturationRun } from '../../src/signals/saturation-run.js';
import { firstNonFinite } from '../../src/signals/first-non-finite.js';
import { changePoint } from '../../src/signals/change-point.js';
import { plateau, trailingPlateau } from '../../src/signals/plateau.js';
import { oscillation } from '../../src/signals/oscillation.js';
import { theilSen } from '../../src/signals/trend.js';
import { median as ssMedian } from 'simple-statistics';
import { epochMeans, epochMeansCached, epochMeanValues } from '../../src/signals/epoch-means.js';
import { grlCoefficient, grlWarmupEnd } from '../../src/signals/grl-schedule.js';
import { firstExplosion } from '../../src/signals/first-explosion.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('saturationRun finds the longest stretch and lets NaN break it', () => {
  assert.deepEqual(saturationRun([50, 95, 97, 60, 99], 90, 'above'), { start: 1, end: 2, length: 2 });
  assert.deepEqual(saturationRun([95, NaN, 95, 96, 97], 90, 'above'), { start: 2, end: 4, length: 3 });
  assert.deepEqual(saturationRun([10, 20], 5, 'below'), null);
  assert.deepEqual(saturationRun([1, 2, 1], 1, 'below'), { start: 0, end: 0, length: 1 });
});

test('firstNonFinite reports the first bad value or running average and counts them', () => {
  const pts = [{ step: 0, value: 3 }, { step: 50, value: 2, avg: Infinity }, { step: 100, value: NaN }];
  const hit = firstNonFinite(pts);
  assert.equal(hit?.index, 1);
  assert.equal(hit?.count, 2);
  assert.equal(firstNonFinite([{ step: 0, value: 1 }]), null);
});

test('changePoint matches a brute-force numpy search (dh-digits-b1-b loss-like curve)', () => {
  // python3 -c "import numpy as np; v=np.array([66.8,50,50,50,50,49.95,59.6,60.8,63.3,55.7,57.9,58.3]);
  //   c=[(k,((v[:k]-v[:k].mean())**2).sum()+((v[k:]-v[k:].mean())**2).sum()) for k in range(2,11)]; ..."
  //   -> k=6, 52.791666666666664, 59.26666666666666, pooled sd 4.7410917929195255
  const cp = changePoint([66.8, 50, 50, 50, 50, 49.95, 59.6, 60.8, 63.3, 55.7, 57.9, 58.3], 2)!;
  assert.equal(cp.index, 6);
  close(cp.meanBefore, 52.791666666666664, 1e-9);
  close(cp.meanAfter, 59.26666666666666, 1e-9);
  close(cp.pooledSd, 4.7410917929195255, 1e-9);
  assert.deepEqual(changePoint([1, 1, 1, 5, 5, 5], 2), { index: 3, meanBefore: 1, meanAfter: 5, shift: 4, pooledSd: 0, score: Infinity });
  assert.equal(changePoint([1, 2, 3], 2), null);
  assert.equal(changePoint([1, 2, NaN, 4, 5, 6], 2), null);
});

test('plateau and trailingPlateau find where a curve settled (healthy domain acc epoch means, truth.json)', () => {
  const dom = [81.68, 67.18, 59.41, 58.08, 58.18, 57.36, 56.39, 54.84, 55.04, 54.83, 54.81, 54.14, 54.19, 53.72, 54.69];
  const t = trailingPlateau(dom, 2, 3)!;
  assert.equal(t.start, 7); // 54.84 .. 54.69 (range 1.32); adding 56.39 would make it 56.39 - 53.72 = 2.67 > 2
  assert.ok(t.max - t.min <= 2);
  const p = plateau([80, 60, 55, 56, 54, 55], 3, 3)!;
  assert.deepEqual([p.start, p.end, p.mean, p.min, p.max], [2, 5, 55, 54, 56]);
  assert.equal(plateau([1, NaN, 2], 5, 2), null);
});

test('oscillation: zig-zag vs monotone; numpy mean/median |diff| on the healthy curve', () => {
  const z = oscillation([50, 70, 50, 70])!;
  assert.equal(z.meanAbsSwing, 20);
  assert.equal(z.reversalRate, 1);
  // np.abs(np.diff(y)).mean() = 2.116428571428571, median = 0.745 (python3 + numpy 2.4.6)
  const h = oscillation([81.68, 67.18, 59.41, 58.08, 58.18, 57.36, 56.39, 54.84, 55.04, 54.83, 54.81, 54.14, 54.19, 53.72, 54.69])!;
  close(h.meanAbsSwing, 2.116428571428571, 1e-9);
  close(h.medianAbsSwing, 0.745, 1e-9);
  assert.equal(oscillation([1, NaN, 2, 3]), null);
});

test('theilSen: slope and intercept are exactly simple-statistics medians of the pairwise slopes, y and x', () => {
  // simple-statistics' median is numpy's linear quantile: for an even count lower + 0.5 x (upper - lower), not (a + b) / 2
  let a = 7;
  const rnd = () => ((a = (a * 16807) % 2147483647) / 2147483647);
  for (let c = 0; c < 40; c++) {
    const n = 2 + (c % 17);
    const xs = Array.from({ length: n }, (_, i) => (c % 3 === 0 ? Math.floor(rnd() * 5) : i));
    const ys = Array.from({ length: n }, () => 50 + rnd() * 10);
    const slopes: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (xs[j] !== xs[i]) slopes.push((ys[j] - ys[i]) / (xs[j] - xs[i]));
    const r = theilSen(xs, ys);
    if (!slopes.length) { assert.equal(r, null); continue; }
    assert.equal(r!.slope, ssMedian(slopes));
    assert.equal(r!.intercept, ssMedian(ys) - r!.slope * ssMedian(xs));
  }
  // six slopes, middle two -0.631 and 0.8043: (a + b) / 2 = 0.08666666666666717, the linear quantile 0.08666666666666711
  assert.equal(theilSen([0, 1, 2, 3], [54.723, 52.816, 52.185, 57.136])!.slope, 0.08666666666666711);
});

test('theilSen matches scipy.stats.theilslopes on label_shift val acc (truth.json)', () => {
  // python3 -c "from scipy.stats import theilslopes; print(theilslopes(y, range(15)))" -> slope -0.4446666666666677,
  //   intercept 57.77966666666668 (scipy 1.17.1)
  const y = [54.667, 59.556, 59.111, 56.889, 53.778, 57.333, 53.778, 57.778, 54.667, 54.667, 55.111, 53.333, 53.778, 50.222, 52.0];
  const r = theilSen(y.map((_, i) => i), y)!;
  close(r.slope, -0.4446666666666677, 1e-9);
  close(r.intercept, 57.77966666666668, 1e-9);
  assert.equal(theilSen([0, 1, 2], [1, NaN, 3])?.dropped, 1);
  assert.equal(theilSen([0], [1]), null);
});

test('epochMeans uses the last running average, the plain mean without one, and keeps NaN', () => {
  const tl = epochMeans({
    granularity: 'iteration',
    points: [
      { step: 0, epoch: 0, value: 60, avg: 60, line: 16 },
      { step: 50, epoch: 0, value: 50, avg: 55, line: 17 },
      { step: 300, epoch: 1, value: 40, avg: 40, line: 25 },
    ],
  });
  assert.deepEqual(tl.map((e) => [e.epoch, e.mean, e.from, e.firstLine, e.lastLine]), [[0, 55, 'running-avg', 16, 17], [1, 40, 'running-avg', 25, 25]]);
  const csv = epochMeans({ granularity: 'iteration', points: [{ step: 49, value: 0.5 }, { step: 99, value: 0.7 }, { step: 349, value: 0.9 }] }, 300);
  assert.deepEqual(csv.map((e) => [e.epoch, e.mean, e.from]), [[0, 0.6, 'mean'], [1, 0.9, 'mean']]);
  const bad = epochMeans({ granularity: 'iteration', points: [{ step: 0, epoch: 0, value: NaN, avg: 3 }, { step: 1, epoch: 0, value: 2, avg: 3 }] });
  assert.ok(Number.isNaN(bad[0].mean));
  assert.deepEqual(epochMeans({ granularity: 'iteration', points: [{ step: 0, value: 1 }] }), []);
});

test('epochMeans: points out of epoch order (an appended restart) are grouped by epoch, in epoch order', () => {
  // epoch 0, epoch 1, then epoch 0 again (a second attempt appended): epoch 0 holds lines 1, 2 and 5, in that order
  const series = {
    granularity: 'iteration' as const,
    points: [
      { step: 0, epoch: 0, value: 10, line: 1 },
      { step: 1, epoch: 0, value: 20, line: 2 },
      { step: 2, epoch: 1, value: 30, line: 3 },
      { step: 3, epoch: 1, value: 50, line: 4 },
      { step: 0, epoch: 0, value: 60, line: 5 },
    ],
  };
  // epoch 0: (10 + 20 + 60) / 3 = 30 over lines 1..5; epoch 1: (30 + 50) / 2 = 40
  assert.deepEqual(epochMeans(series).map((e) => [e.epoch, e.mean, e.n, e.firstLine, e.lastLine]), [[0, 30, 3, 1, 5], [1, 40, 2, 3, 4]]);
  // the report's epoch/mean pairs are the same numbers
  assert.deepEqual(epochMeanValues(series), [{ epoch: 0, mean: 30 }, { epoch: 1, mean: 40 }]);
  // one point without any epoch makes the whole series epoch-less, wherever it is
  assert.deepEqual(epochMeans({ granularity: 'iteration', points: [{ step: 0, epoch: 1, value: 1 }, { step: 1, epoch: 0, value: 2 }, { step: 2, value: 3 }] }), []);
});

test('epochMeansCached: the same array for the same series and iters/epoch; computed afresh once the series grows', () => {
  const s = { granularity: 'iteration' as const, points: [{ step: 0, value: 1 }, { step: 10, value: 3 }] };
  const a = epochMeansCached(s, 10);
  assert.equal(epochMeansCached(s, 10), a);
  assert.deepEqual(a.map((e) => [e.epoch, e.mean]), [[0, 1], [1, 3]]);
  assert.deepEqual(epochMeansCached(s, 100).map((e) => [e.epoch, e.mean]), [[0, 2]]);
  s.points.push({ step: 11, value: 5 });
  assert.deepEqual(epochMeansCached(s, 10).map((e) => [e.epoch, e.mean]), [[0, 1], [1, 4]]);
});

test('GRL schedule is tanh(i/2000) with tllib defaults (formats.md 3.2)', () => {
  close(grlCoefficient(1000), 0.46211715726000974, 1e-12);
  close(grlCoefficient(2000), Math.tanh(1), 1e-12);
  close(grlCoefficient(5000), 0.9866142981514303, 1e-12);
  close(grlWarmupEnd(0.9), 2000 * Math.atanh(0.9), 1e-9);
  assert.equal(Math.round(grlWarmupEnd(0.9)), 2944);
  close(grlWarmupEnd(0.9, { alpha: 1, lo: 0, hi: 1, maxIters: 500 }), 1000 * Math.atanh(0.9), 1e-9);
});

test('firstExplosion: diverged run (lr 10) vs a bounded spike', () => {
  // diverged/train-*.txt: Loss 3.01 at [0][0], 1453032.62 at [0][50]
  const e = firstExplosion([3.01, 1453032.62, 1012.27], { factor: 100, head: 1, floor: 1 })!;
  assert.equal(e.index, 1);
  assert.equal(e.kind, 'exploded');
  // strong_disc: a batch loss of 7.42 after 3.17 is a spike, not an explosion
  assert.equal(firstExplosion([3.17, 1.39, 7.42, 0.61], { factor: 100, head: 1, floor: 1 }), null);
  assert.equal(firstExplosion([1, NaN], { factor: 100 })?.kind, 'non-finite');
});
