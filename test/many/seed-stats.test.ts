// Seed statistics against scipy: t quantiles/CDF, mean CI, Welch and one-sample tests, and the noise verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studentTCdf, studentTQuantile, studentTTwoSidedP, regularizedBeta } from '../../src/seeds/student-t.js';
import { meanInterval, welchTest, oneSampleTest, noiseVerdict } from '../../src/seeds/seed-stats.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

test('t quantiles match scipy.stats.t.ppf(0.975, df)', () => {
  // python3 -c "from scipy import stats; print(stats.t.ppf(0.975,[1,2,4,9,30]).tolist())"
  const want: [number, number][] = [[1, 12.706204736174694], [2, 4.302652729749462], [4, 2.7764451051977934], [9, 2.262157162798205], [30, 2.0422724563012378]];
  for (const [df, q] of want) close(studentTQuantile(0.975, df), q, 1e-9);
  close(studentTQuantile(0.025, 4), -2.7764451051977934, 1e-9);
  assert.equal(studentTQuantile(0.5, 3), 0);
});

test('t CDF matches scipy.stats.t.cdf', () => {
  // stats.t.cdf([-2.5,0.3,1.0,4.0],[3,7,1,12])
  const want: [number, number, number][] = [[-2.5, 3, 0.04385332350403278], [0.3, 7, 0.6135549747989328], [1, 1, 0.75], [4, 12, 0.9991191518778025]];
  for (const [t, df, p] of want) close(studentTCdf(t, df), p, 1e-10);
  close(studentTTwoSidedP(1, 1), 0.5, 1e-12);
  close(regularizedBeta(0.5, 2, 2), 0.5, 1e-12);
  assert.ok(Number.isNaN(studentTCdf(NaN, 3)));
  assert.ok(Number.isNaN(studentTCdf(1, 0)));
});

test('mean and 95% CI over seeds match numpy/scipy', () => {
  // x=[85.8,84.9,86.3]; m +- t.ppf(.975,2)*x.std(ddof=1)/sqrt(3) -> 85.6667 [83.90427060276961, 87.42906273056373]
  const i = meanInterval([85.8, 84.9, 86.3]);
  close(i.mean, 85.66666666666667);
  close(i.low, 83.90427060276961, 1e-9);
  close(i.high, 87.42906273056373, 1e-9);
  const one = meanInterval([85.8]);
  assert.equal(one.n, 1);
  assert.ok(Number.isNaN(one.low), 'one seed has no interval');
});

test('Welch t-test matches scipy.stats.ttest_ind(equal_var=False)', () => {
  // stats.ttest_ind([85.8,84.9,86.3],[80.1,82.0,79.5,81.2],equal_var=False) -> 7.172918038466541 0.0008555679877201739
  const w = welchTest([85.8, 84.9, 86.3], [80.1, 82.0, 79.5, 81.2]);
  close(w.t, 7.172918038466541, 1e-9);
  close(w.p, 0.0008555679877201739, 1e-7);
  assert.equal(noiseVerdict(w), 'better');
  // ([85.8,85.1],[85.3,86.0,84.9]) -> 0.10521459357471832 0.924041448650936: same config, seed noise
  const n = welchTest([85.8, 85.1], [85.3, 86.0, 84.9]);
  close(n.t, 0.10521459357471832, 1e-9);
  close(n.p, 0.924041448650936, 1e-7);
  assert.equal(noiseVerdict(n), 'within-noise');
});

test('one-sample test against a single baseline run matches scipy.stats.ttest_1samp', () => {
  // stats.ttest_1samp([85.8,84.9,86.3],49.8) -> 87.56363816377734 0.00013039695565589615
  const o = oneSampleTest([85.8, 84.9, 86.3], 49.8);
  close(o.t, 87.56363816377734, 1e-9);
  close(o.p, 0.00013039695565589615, 1e-6);
  // welchTest falls back to it when one side has one run, with the sign of a - b
  const w = welchTest([49.8], [85.8, 84.9, 86.3]);
  close(w.t, -87.56363816377734, 1e-9);
  assert.equal(noiseVerdict(w), 'worse');
});

test('degenerate inputs give unknown or zero-variance verdicts, never NaN verdicts', () => {
  assert.equal(noiseVerdict(welchTest([85.8], [49.8])), 'unknown');
  assert.equal(noiseVerdict(welchTest([], [1, 2])), 'unknown');
  // all seeds diverged to exactly chance: the gap to a healthy group is not noise
  const z = welchTest([9.78, 9.78, 9.78], [9.78, 9.78]);
  assert.equal(z.method, 'zero-variance');
  assert.equal(noiseVerdict(z), 'within-noise');
  assert.equal(noiseVerdict(welchTest([9.78, 9.78], [85.8, 85.8])), 'worse');
});
