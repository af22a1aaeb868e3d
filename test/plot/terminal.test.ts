// Tests of the terminal pieces: braille scatter (dots, colours per cell, legend) and sparklines (scale, NaN marks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalScatter, scatterToAnsi } from '../../src/plot/terminal-scatter.js';
import { sparkline, NON_FINITE_MARK } from '../../src/plot/sparkline.js';
import { classColor, DOMAIN_COLORS } from '../../src/plot/palette.js';
import type { FeatureEmbedding } from '../../src/tsne/index.js';
import { tsneOfFeatureDump } from '../../src/plot/tsne-of-run.js';
import { join } from 'node:path';
import { SHARED_RUNS, hasShared } from '../helpers/shared.js';

/** Four points at the corners of the unit square: made up so each lands in a known braille dot. */
function corners(): FeatureEmbedding {
  return {
    xy: Float64Array.from([0, 1, 1, 1, 0, 0, 1, 0]), n: 4, domain: Uint8Array.from([0, 0, 1, 1]), label: Int32Array.from([0, 1, 2, 3]),
    numClasses: 4, classNames: ['a', 'b', 'c', 'd'], featureName: 'features', sourceRows: Int32Array.from([0, 1]), targetRows: Int32Array.from([0, 1]),
    cap: 5000, totalPoints: 4, subsampled: false, perplexity: 1, iterations: 0, learningRate: 50, seed: 0, kl: 0, seconds: 0,
  };
}

test('braille scatter: each corner point sets the matching dot of the corner cell, coloured by its class', () => {
  const s = terminalScatter(corners(), { width: 3, height: 2, colorBy: 'class' });
  assert.deepEqual(s.lines.map((l) => l.length), [3, 3]);
  // top-left point -> dot (row 0, col 0) = bit 0x01; top-right -> (0, 1) = 0x08; bottom-left -> (3, 0) = 0x40; bottom-right -> (3, 1) = 0x80
  assert.equal(s.lines[0], '\u2801 \u2808');
  assert.equal(s.lines[1], '\u2840 \u2880');
  assert.equal(s.rows[0][0].color, classColor(0));
  assert.equal(s.rows[0].at(-1)!.color, classColor(1));
  assert.equal(s.rows[1].at(-1)!.color, classColor(3));
  assert.deepEqual(s.legend.map((l) => l.label), ['a', 'b', 'c', 'd']);
});

test('domain colouring and single-domain filter', () => {
  const s = terminalScatter(corners(), { width: 3, height: 2, colorBy: 'domain' });
  assert.equal(s.rows[0][0].color, DOMAIN_COLORS.source);
  assert.equal(s.rows[1][0].color, DOMAIN_COLORS.target);
  const onlyTarget = terminalScatter(corners(), { width: 3, height: 2, colorBy: 'domain', domain: 1 });
  assert.equal(onlyTarget.lines.join('').replace(/ /g, '').length, 2, 'two target points left');
  assert.match(scatterToAnsi(s)[0], /\u001b\[38;2;31;119;180m\u2801\u001b\[39m/);
});

test('sparkline: scaled to the range, bucketed to a width, NaN shown', () => {
  assert.equal(sparkline([1, 2, 3, 4]), '▁▃▆█');
  assert.equal(sparkline([0, 50, 100], { min: 0, max: 100 }), '▁▅█');
  assert.equal(sparkline([50, 50], { min: 0, max: 100 }), '▅▅');
  assert.equal(sparkline([3, 1, NaN, 5, 8]), `▃▁${NON_FINITE_MARK}▅█`);
  assert.equal(sparkline(Array.from({ length: 100 }, (_, i) => i), { width: 10 }).length, 10);
  assert.equal(sparkline([1, Infinity, 1, 1], { width: 2 }), `${NON_FINITE_MARK}▄`, 'a bucket with Inf is marked; a flat rest sits mid-height');
  assert.equal(sparkline([]), '');
});

test('tsneOfFeatureDump (the UI loader) embeds the healthy dump on a worker with rising progress', { skip: hasShared ? false : 'needs ../shared/runs' }, async () => {
  const fractions: number[] = [];
  const r = await tsneOfFeatureDump(join(SHARED_RUNS, 'healthy', 'features.npz'), { maxPoints: 100, onProgress: (f) => fractions.push(f) });
  assert.equal(r.n, 100);
  assert.equal(r.xy.length, 200);
  assert.ok(r.subsampled);
  assert.equal(r.totalPoints, 450, '100 of 450 points');
  assert.equal(r.domain.filter((d) => d === 1).length + r.domain.filter((d) => d === 0).length, 100);
  assert.ok(fractions.length > 3 && fractions.at(-1) === 1);
  assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]), 'progress never goes back');
});
