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
  assert.match(f, /✖ likely cause: class-imbalance-or-label-shift/);
});

test('t-SNE with colour: braille dots from src/plot/terminal-scatter; under NO_COLOR: glyphs instead', async (t) => {
  const { renderApp, plain } = await import('./render.js');
  const tsne = {
    xy: new Float64Array([0, 0, 0, 10, 1, 0, 1, 10, 20, 0, 20, 10]),
    n: 6,
    label: new Int32Array([0, 1, 0, 1, 0, 1]),
    domain: new Uint8Array([0, 0, 0, 0, 1, 1]),
    numClasses: 2,
    subsampled: false,
    totalPoints: 6,
  };
  const on = await renderApp(reportOf(labelShiftRun()), { color: true, load: { tsne: async () => tsne } });
  t.after(() => on.unmount());
  await on.press('d');
  const f = plain(await on.waitFor((x) => plain(x).includes('mixed 0%')));
  assert.match(f, /t-SNE \(by domain\) 6 pts/);
  assert.match(f, /[\u2801-\u28FF]/, 'braille dots drawn');
  assert.match(f, /● source 4 {2}● target 2/);
  const off = await renderApp(reportOf(labelShiftRun()), { color: false, load: { tsne: async () => tsne } });
  t.after(() => off.unmount());
  await off.press('d');
  const g = await off.waitFor('◦ source 4');
  assert.doesNotMatch(g, /[\u2801-\u28FF]/);
});
