// Issue 17 item 14: t-SNE arrows ended in empty space. A class whose target points sit in two clusters had its
// arrow drawn to the mean of the two, between them, where no point is. Arrows now end on the class's medoid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tsneScatterSvg, classCentres } from '../../src/plot/tsne-scatter-svg.js';
import type { FeatureEmbedding } from '../../src/tsne/index.js';

/** Class 0: source around (0, 0); target split, 6 points around (10, 0) and 4 around (30, 0) (mean (18, 0): empty). */
function splitClass(): FeatureEmbedding {
  const pts: [number, number, number, number][] = []; // x, y, domain, label
  for (let i = 0; i < 5; i++) pts.push([i * 0.1, 0.2 * (i % 2), 0, 0]);
  for (let i = 0; i < 6; i++) pts.push([10 + i * 0.1, 0.1 * (i % 3), 1, 0]);
  for (let i = 0; i < 4; i++) pts.push([30 + i * 0.1, 0.1 * (i % 2), 1, 0]);
  // class 1 elsewhere, so the plot has extent in y
  for (let i = 0; i < 4; i++) pts.push([15, 20 + i * 0.1, i % 2, 1]);
  const n = pts.length;
  return {
    xy: Float64Array.from(pts.flatMap((p) => [p[0], p[1]])), n,
    domain: Uint8Array.from(pts.map((p) => p[2])), label: Int32Array.from(pts.map((p) => p[3])), numClasses: 2,
    featureName: 'features', sourceRows: pts.map((p, i) => (p[2] === 0 ? i : -1)).filter((i) => i >= 0), targetRows: pts.map((p, i) => (p[2] === 1 ? i : -1)).filter((i) => i >= 0),
    subsampled: false, totalPoints: n, cap: n, perplexity: 5, iterations: 10, seed: 1,
  } as unknown as FeatureEmbedding;
}

test('the arrow of a class split in two ends on one of its target points (the larger cluster), not between them', () => {
  const e = splitClass();
  const c0 = classCentres(e).find((c) => c.label === 0)!;
  const targets = Array.from({ length: e.n }, (_, i) => i).filter((i) => e.label[i] === 0 && e.domain[i] === 1).map((i) => [e.xy[2 * i], e.xy[2 * i + 1]]);
  assert.ok(targets.some(([x, y]) => x === c0.target[0] && y === c0.target[1]), `target end ${c0.target} is a target point`);
  assert.ok(c0.target[0] >= 10 && c0.target[0] < 11, 'in the 6-point cluster');
  // the plain mean would be 18: in the gap
  const mean = targets.reduce((a, [x]) => a + x, 0) / targets.length;
  assert.ok(mean > 17 && mean < 19);
  // in the SVG: the arrow's end is where one of class 0's target marks is drawn
  const svg = tsneScatterSvg(e, { colorBy: 'class', arrows: true });
  const arrow = /<line class="centroid-arrow" data-class="0" x1="[\d.]+" y1="[\d.]+" x2="([\d.]+)" y2="([\d.]+)"/.exec(svg)!;
  const [ax, ay] = [Number(arrow[1]), Number(arrow[2])];
  // target marks are triangles: `M x (y - h)L...` with h = 1.25 x the marker radius; compare x, and y within the mark
  const marks = [...svg.matchAll(/<path class="pt tgt" data-domain="target" data-class="0" d="M([\d.]+) ([\d.]+)L/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.ok(marks.some(([x, y]) => Math.abs(x - ax) < 0.01 && ay - y > 0 && ay - y < 10), `arrow end (${ax}, ${ay}) on a class-0 target mark`);
  assert.match(svg, /class medoid/);
});
