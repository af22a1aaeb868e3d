// The replay pane (`r`): reducer (start, progress, cancel, late answers, quit), key map, and the pane's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, reduce, type UiState, type Action } from '../../src/ui/state/ui-state.js';
import { keyToAction, EXIT_INTERRUPTED } from '../../src/ui/state/keys.js';
import { replayPaneLines, NO_DUMP_TEXT } from '../../src/ui/state/replay-view.js';
import { replayReport } from './replay-fixture.js';
import { reportOf, labelShiftRun, healthyRun } from './report-fixtures.js';

const single = reportOf(labelShiftRun());
const multi = reportOf(healthyRun(), labelShiftRun());
const id = single.runs[0].id;
const key = (s: UiState, input: string, k = {}) => keyToAction(input, k, s);

function run(report: typeof single, actions: Action[], from?: UiState): UiState {
  return actions.reduce((s, a) => reduce(report, s, a), from ?? initialState(report));
}

test('r opens the replay pane on the open run and asks for a replay; not on the run list', () => {
  const s = run(single, [{ type: 'replayOpen' }]);
  assert.equal(s.replayOpen, true);
  assert.deepEqual(s.replayRequest, { runId: id, gen: 1 });
  assert.equal(s.replay[id]!.status, 'loading');
  assert.deepEqual(key(initialState(single), 'r'), { type: 'replayOpen' });
  assert.equal(key(initialState(multi), 'r'), null, 'no run open: r does nothing');
});

test('progress, then the result; a second r shows it without replaying again', () => {
  const value = replayReport();
  let s = run(single, [{ type: 'replayOpen' }, { type: 'replayProgress', runId: id, gen: 1, fraction: 0.4, label: 'replay as configured (seed 1)' }]);
  assert.deepEqual(s.replay[id], { status: 'loading', progress: 0.4, label: 'replay as configured (seed 1)', gen: 1 });
  s = run(single, [{ type: 'replayDone', runId: id, gen: 1, value }, { type: 'replayClose' }, { type: 'replayOpen' }], s);
  assert.equal(s.replayOpen, true);
  assert.equal(s.replay[id]!.status, 'done');
  assert.equal(s.replayGen, 1, 'not started again');
});

test('Esc cancels a running replay and closes the pane; its late answers are ignored; r in the pane starts anew', () => {
  let s = run(single, [{ type: 'replayOpen' }]);
  assert.deepEqual(key(s, '', { escape: true }), { type: 'replayClose' });
  s = run(single, [{ type: 'replayClose' }], s);
  assert.equal(s.replayOpen, false);
  assert.deepEqual(s.replay[id], { status: 'cancelled' });
  assert.equal(s.message, 'replay cancelled');
  const late = run(single, [{ type: 'replayProgress', runId: id, gen: 1, fraction: 0.9, label: 'x' }, { type: 'replayDone', runId: id, gen: 1, value: replayReport() }], s);
  assert.deepEqual(late.replay[id], { status: 'cancelled' }, 'a cancelled replay stays cancelled');
  // open again: a cancelled replay starts over (gen 2); a late answer of gen 1 does not finish gen 2
  s = run(single, [{ type: 'replayOpen' }], s);
  assert.deepEqual(s.replayRequest, { runId: id, gen: 2 });
  s = run(single, [{ type: 'replayDone', runId: id, gen: 1, value: null }], s);
  assert.equal(s.replay[id]!.status, 'loading');
  s = run(single, [{ type: 'replayFailed', runId: id, gen: 2, message: 'features.npz: no source_labels' }], s);
  assert.deepEqual(s.replay[id], { status: 'error', message: 'features.npz: no source_labels' });
  assert.deepEqual(key(s, 'r'), { type: 'replayAgain' });
  s = run(single, [{ type: 'replayAgain' }], s);
  assert.deepEqual(s.replayRequest, { runId: id, gen: 3 });
  // r while one runs does not start a second
  assert.equal(run(single, [{ type: 'replayAgain' }], s).replayGen, 3);
});

test('q and Ctrl-C in the pane quit and cancel the replay still running', () => {
  const s = run(single, [{ type: 'replayOpen' }]);
  const q = run(single, [{ type: 'key', input: 'q', key: {} }], s);
  assert.equal(q.quit, 0);
  assert.equal(q.replay[id]!.status, 'cancelled');
  const c = run(single, [{ type: 'key', input: 'c', key: { ctrl: true } }], s);
  assert.equal(c.quit, EXIT_INTERRUPTED);
  assert.equal(c.replay[id]!.status, 'cancelled');
});

test('--replay on a terminal opens the pane and starts the replay at once (one run)', () => {
  const s = initialState(single, { replay: true });
  assert.equal(s.replayOpen, true);
  assert.deepEqual(s.replayRequest, { runId: id, gen: 1 });
  assert.equal(initialState(multi, { replay: true }).replayOpen, false, 'several runs: r on the one opened');
});

test('the pane: progress while it runs; then the caveat once, the table with seed noise and verdicts, notes', () => {
  const loading = replayPaneLines({ status: 'loading', progress: 0.25, label: 'replay as configured (seed 1)', gen: 1 }, undefined, 60);
  assert.match(loading[0]!.text, /replaying… 25%  replay as configured \(seed 1\)/);
  assert.match(loading.map((l) => l.text).join('\n'), /Esc cancels/);
  const lines = replayPaneLines({ status: 'done', value: replayReport() }, undefined, 120);
  const text = lines.map((l) => l.text);
  assert.equal(text.filter((t) => t.includes('A replay trains only')).length, 1, 'the caveat once');
  assert.match(text[2]!, /^variant\s+domain acc\s+target acc\s+source acc\s+A-distance\s+collapse\s+verdict$/);
  // as configured: target seeds 80, 82 -> 81.0 ± 1.4; domain 60, 62 -> 61.0 ± 1.4
  assert.match(text[3]!, /^as configured\s+61\.0% ± 1\.4 contested\s+81\.0% ± 1\.4\s+97\.0% ± 0\.0\s+1\.20 ± 0\.00\s+no\s+reference point$/);
  assert.match(text[4]!, /^algorithm=cdan\+e\s+56\.0% ± 1\.4 contested\s+87\.0% ± 1\.4 .* better \(\+6\.0 points target\)$/);
  assert.equal(lines[4]!.tone, 'good');
  assert.match(text.join('\n'), /300 steps x up to 2 seed\(s\)/);
  assert.match(text.at(-1)!, /tllib's defaults/);
  assert.deepEqual(replayPaneLines({ status: 'done', value: null }, undefined, 80).map((l) => l.text), [NO_DUMP_TEXT]);
  assert.match(replayPaneLines({ status: 'cancelled' }, undefined, 80)[0]!.text, /cancelled · r replays again/);
  // a replay already in the report (--replay before the UI) is shown before any is started here
  assert.match(replayPaneLines(undefined, replayReport(), 80)[2]!.text, /^variant/);
});
