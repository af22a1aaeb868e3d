// The replay pane in the rendered app: r starts the loader with progress shown, Esc aborts its signal and says so,
// r again replays and the table appears. The loader is a stand-in (the replay itself is tested in test/replay).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderApp, KEYS } from './render.js';
import { reportOf, labelShiftRun } from './report-fixtures.js';
import type { UiLoaders } from '../../src/ui/App.js';
import type { ReplayReport } from '../../src/report/replay-schema.js';
import { replayReport } from './replay-fixture.js';

test('r: progress, Esc cancels (signal aborted), r again shows the table with the caveat once', async () => {
  const signals: AbortSignal[] = [];
  let finish: ((r: ReplayReport) => void) | undefined;
  const load: UiLoaders = {
    replay: (_runId, onProgress, signal) => new Promise<ReplayReport | null>((resolve, reject) => {
      signals.push(signal);
      onProgress('replay as configured (seed 1)', 0.3);
      signal.addEventListener('abort', () => reject(Object.assign(new Error('replay cancelled'), { name: 'AbortError' })));
      finish = resolve;
    }),
  };
  const app = await renderApp(reportOf(labelShiftRun()), { load });
  try {
    await app.press('r');
    await app.waitFor(/replaying… 30%\s+replay as configured \(seed 1\)/);
    await app.press(KEYS.escape);
    await app.waitFor('replay cancelled');
    assert.equal(signals.length, 1);
    // the app aborts in an effect after the frame is committed: bounded poll
    await app.waitFor(() => signals[0]!.aborted, 2000);
    await app.waitFor('Findings', 1000);
    await app.press('r');
    await app.waitFor(/replaying…/);
    await app.waitFor(() => signals.length === 2, 2000); // a cancelled replay starts over (loader called after the frame)
    finish!(replayReport());
    const f = await app.waitFor(/algorithm=cdan\+e .* better \(\+6\.0 points target\)/);
    assert.equal(f.split('A replay trains only').length - 1, 1, 'the caveat once');
    assert.equal(signals[1]!.aborted, false);
  } finally {
    app.unmount();
  }
});
