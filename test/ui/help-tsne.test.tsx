// Issue 17 item 14: the help described t-SNE glyphs (◦ • ◉) that the UI draws only under NO_COLOR; with colour the
// pane draws braille dots coloured per cell. The help now says what this terminal is shown (tmux e2e: NO_COLOR side).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderApp } from './render.js';
import { reportOf, labelShiftRun } from './report-fixtures.js';
import { tsneHelp } from '../../src/ui/components/HelpPane.js';
import { SOURCE_GLYPH, TARGET_GLYPH, BOTH_GLYPH } from '../../src/ui/components/TsnePane.js';

test('help with colour: braille dots coloured per cell, no glyph names', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()), { color: true, columns: 200 });
  t.after(() => r.unmount());
  await r.press('?');
  const f = await r.waitFor('Help');
  assert.match(f, /braille dots/);
  for (const g of [SOURCE_GLYPH, TARGET_GLYPH, BOTH_GLYPH]) assert.ok(!f.includes(`${g} source`) && !f.includes(`${g} both`), `no ${g} in the colour help`);
});

test('help without colour names the glyphs the pane draws', () => {
  const text = tsneHelp(false);
  assert.ok(text.includes(`${SOURCE_GLYPH} source ${TARGET_GLYPH} target ${BOTH_GLYPH} both`));
  assert.doesNotMatch(text, /braille/);
});
