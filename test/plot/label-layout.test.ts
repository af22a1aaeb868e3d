// Issue 17 item 14: the "level before" / "level after" labels of a curve-jump plot overlapped when the ranges were
// close (and sat under the curve). Labels now take the first free text row, clamp inside the plot, and draw last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeLabels, labelWidth } from '../../src/plot/label-layout.js';
import { curvePlotSvg } from '../../src/plot/curves-svg.js';

test('placeLabels: close anchors stack, far ones share a row, a label at the right edge moves left', () => {
  const p = placeLabels([{ anchor: 100, text: 'level before' }, { anchor: 130, text: 'level after' }, { anchor: 400, text: 'x' }], 10, 64, 530);
  assert.deepEqual(p.map((l) => l.row), [0, 1, 0]);
  const edge = placeLabels([{ anchor: 520, text: 'first value past the midpoint' }], 10, 64, 530)[0];
  assert.equal(edge.x + edge.width, 530);
  assert.equal(labelWidth('abc', 10), Math.ceil(3 * 10 * 0.62));
});

/** The label boxes (x, baseline y, estimated width) of one class of <text> in an SVG. */
function boxes(svg: string, cls: string): { x: number; y: number; w: number }[] {
  return [...svg.matchAll(new RegExp(`<text class="${cls}" x="([\\d.]+)" y="([\\d.]+)" font-size="(\\d+)"[^>]*>([^<]*)</text>`, 'g'))]
    .map((m) => ({ x: Number(m[1]), y: Number(m[2]), w: labelWidth(m[4], Number(m[3])) }));
}

test('curve-jump plot: range labels of adjacent ranges never overlap, and are drawn after the curves', () => {
  const points = Array.from({ length: 100 }, (_, i) => ({ step: i, value: i < 20 ? 50 : 0.7 }));
  const svg = curvePlotSvg({
    title: 'jump', series: [{ key: 'train/loss', label: 'loss', points }],
    // a short "before" range right next to the "after" one: the labels' anchors are a few px apart
    highlights: [{ from: 14, to: 19, label: 'level before' }, { from: 20, to: 99, label: 'level after' }],
    markers: [{ step: 20, label: 'first value past the midpoint' }, { step: 22, label: 'another marker' }],
  });
  for (const cls of ['range-label', 'marker-label']) {
    const b = boxes(svg, cls);
    assert.equal(b.length, 2, cls);
    const [p, q] = b;
    const apart = p.y !== q.y || p.x + p.w <= q.x || q.x + q.w <= p.x;
    assert.ok(apart, `${cls} labels overlap: ${JSON.stringify(b)}`);
  }
  assert.ok(svg.indexOf('class="range-label"') > svg.indexOf('<polyline'), 'labels come after the curve');
});
