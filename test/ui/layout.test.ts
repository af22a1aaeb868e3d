// Screen layout maths: panes fill the terminal exactly and degrade to one pane when it is small.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeLayout, HEADER_ROWS, FOOTER_ROWS, SPARE_ROWS, THREE_PANE_COLUMNS } from '../../src/ui/state/layout.js';

function check(columns: number, rows: number) {
  const l = computeLayout(columns, rows, 'findings', false, false);
  for (const band of [0, 1] as const) {
    const panes = l.panes.filter((p) => p.row === band);
    if (!panes.length) continue;
    assert.equal(panes.reduce((w, p) => w + p.box.width, 0), columns, `band ${band} fills ${columns} columns`);
  }
  const height = Math.max(...l.panes.filter((p) => p.row === 0).map((p) => p.box.height)) +
    Math.max(0, ...l.panes.filter((p) => p.row === 1).map((p) => p.box.height));
  assert.equal(HEADER_ROWS + height + FOOTER_ROWS + SPARE_ROWS, rows, `${rows} rows used, one spare so Ink does not clear the screen`);
  return l;
}

test('160×45 (the tmux size): findings band on top, curves / per-class / t-SNE side by side', () => {
  const l = check(160, 45);
  assert.deepEqual(l.panes.map((p) => p.id), ['findings', 'curves', 'perClass', 'tsne']);
});

test('below the three-pane width the bottom band shows curves plus per-class, or t-SNE when focused', () => {
  const l = check(THREE_PANE_COLUMNS - 1, 30);
  assert.deepEqual(l.panes.map((p) => p.id), ['findings', 'curves', 'perClass']);
  assert.deepEqual(computeLayout(120, 30, 'tsne', false, false).panes.map((p) => p.id), ['findings', 'curves', 'tsne']);
});

test('small terminals and zoom show only the focused pane', () => {
  const l = computeLayout(70, 20, 'curves', false, false);
  assert.equal(l.compact, true);
  assert.deepEqual(l.panes.map((p) => [p.id, p.box.width]), [['curves', 70]]);
  assert.deepEqual(computeLayout(160, 45, 'perClass', true, false).panes.map((p) => p.id), ['perClass']);
});

test('the run list takes 60% of the width with the preview beside it', () => {
  const l = computeLayout(160, 45, 'runs', false, true);
  assert.deepEqual(l.panes.map((p) => [p.id, p.box.width]), [['runs', 96], ['findings', 64]]);
});
