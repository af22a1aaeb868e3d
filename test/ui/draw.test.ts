// Terminal drawing helpers of the UI: sparklines, range marks, block charts, bars, scatter binning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sparkline, markRow, blockChart, resample, NON_FINITE_GLYPH } from '../../src/ui/draw/sparkline.js';
import { bar, confidenceBar } from '../../src/ui/draw/bar.js';
import { scatterGrid, EMPTY, MIXED } from '../../src/ui/draw/scatter-grid.js';

test('sparkline: lowest to highest block, one or more columns per point', () => {
  assert.equal(sparkline([1, 2, 3], 3), '▁▅█');
  assert.equal(sparkline([1, 2, 3], 6), '▁▁▅▅██');
  assert.equal(sparkline([5, 5], 2), '▄▄', 'a flat series sits mid-height');
});

test('sparkline keeps NaN/Inf visible and leaves gaps for missing epochs', () => {
  assert.equal(sparkline([1, NaN, 3, Infinity], 4), `▁${NON_FINITE_GLYPH}█${NON_FINITE_GLYPH}`);
  assert.equal(sparkline([1, null, 3], 3), '▁ █');
});

test('resample: bucket means, a NaN poisons its bucket', () => {
  assert.deepEqual(resample([1, 3, 5, 7], 2), { values: [2, 6], bucket: 2 });
  const r = resample([1, NaN, 5, 7], 2);
  assert.ok(Number.isNaN(r.values[0] as number));
});

test('markRow lines up with the sparkline columns', () => {
  // 15 epochs in 30 columns: 2 columns per epoch; epochs 1..3 -> columns 2..7
  assert.equal(markRow(15, 30, 1, 3), '  ▔▔▔▔▔▔');
  assert.equal(sparkline(new Array(15).fill(1), 30).length, 30);
});

test('blockChart: full columns for the max, a baseline for the min, × for NaN', () => {
  const rows = blockChart([0, 10, NaN], 3, 2);
  assert.deepEqual(rows, [' █ ', '▁█×']);
});

test('bars: eighth-block precision, clamped, NaN empty', () => {
  assert.equal(bar(0.5, 4), '██  ');
  assert.equal(bar(1.5, 3), '███');
  assert.equal(bar(NaN, 3, '·'), '···');
  assert.equal(bar(0.0625, 2), '▏ ');
  assert.equal(confidenceBar(0.78), '████████░░');
  assert.equal(confidenceBar(0.31), '███░░░░░░░');
});

test('scatterGrid: majority class per cell, MIXED where domains overlap, y up', () => {
  // three points at (0,0) classes 1,1,2 and one at (1,1) class 0
  const pts = new Float32Array([0, 0, 0, 0, 0, 0, 1, 1]);
  const g = scatterGrid(pts, [1, 1, 2, 0], 2, 2, 'majority');
  // bottom-left cell (row 1, col 0) holds the majority class 1; top-right holds class 0
  assert.deepEqual([...g.cells], [EMPTY, 0, 1, EMPTY]);
  assert.deepEqual([...g.counts], [0, 1, 3, 0]);
  const d = scatterGrid(pts, [0, 1, 0, 1], 2, 2, 'mixed');
  assert.deepEqual([...d.cells], [EMPTY, 1, MIXED, EMPTY]);
});

test('scatterGrid skips non-finite points and survives an empty or degenerate cloud', () => {
  const g = scatterGrid(new Float32Array([NaN, 1, 2, 2]), [0, 1], 3, 3, 'majority');
  assert.equal([...g.cells].filter((c) => c !== EMPTY).length, 1);
  assert.equal(scatterGrid(new Float32Array([]), [], 3, 3, 'majority').cells.every((c) => c === EMPTY), true);
});
