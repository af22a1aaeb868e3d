// Colour carries severity and focus, and disappears under NO_COLOR (no-color.org) while the glyphs remain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourEnabled, severityColour } from '../../src/ui/theme.js';
import { reportOf, labelShiftRun } from './report-fixtures.js';

// chalk decides its colour level when first imported: force it on so a colour code would show in the frames
process.env.FORCE_COLOR = '1';
const SGR_COLOUR = /\u001B\[(3[0-7]|9[0-7]|38;)/;

test('NO_COLOR (any non-empty value) and FORCE_COLOR=0 turn colour off', () => {
  assert.equal(colourEnabled({}), true);
  assert.equal(colourEnabled({ NO_COLOR: '1' }), false);
  assert.equal(colourEnabled({ NO_COLOR: '' }), true, 'no-color.org: an empty value does not count');
  assert.equal(colourEnabled({ FORCE_COLOR: '0' }), false);
  assert.equal(severityColour({ color: true }, 'error'), 'red');
  assert.equal(severityColour({ color: false }, 'error'), undefined);
});

test('frames carry colour codes with colour on and none with colour off; badges stay either way', async (t) => {
  const { renderApp } = await import('./render.js');
  const on = await renderApp(reportOf(labelShiftRun()), { color: true });
  t.after(() => on.unmount());
  assert.match(on.lastFrame(), SGR_COLOUR, 'severity colours are drawn');
  const off = await renderApp(reportOf(labelShiftRun()), { color: false });
  t.after(() => off.unmount());
  const f = off.lastFrame();
  assert.doesNotMatch(f, SGR_COLOUR);
  assert.match(f, /▸ ✖ per-class-imbalance/);
  assert.match(f, /✖ likely cause class-imbalance-or-label-shift/);
});
