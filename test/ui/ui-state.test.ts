// The UI reducer and key map, tested without rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, reduce, RUN_PANES, type UiState, type Action } from '../../src/ui/state/ui-state.js';
import { keyToAction, EXIT_INTERRUPTED, PAGE_ROWS, type KeyPress } from '../../src/ui/state/keys.js';
import { reportOf, labelShiftRun, healthyRun, divergedRun } from './report-fixtures.js';

const single = reportOf(labelShiftRun());
const multi = reportOf(healthyRun(), labelShiftRun(), divergedRun());

function run(report: typeof single, actions: Action[], from?: UiState): UiState {
  return actions.reduce((s, a) => reduce(report, s, a), from ?? initialState(report));
}

test('one run opens straight on its findings; several runs start on the run list, worst first', () => {
  const s1 = initialState(single);
  assert.equal(s1.active, 0);
  assert.equal(s1.focus, 'findings');
  const sm = initialState(multi);
  assert.equal(sm.active, null);
  assert.equal(sm.focus, 'runs');
  // label_shift and diverged both have an error; diverged ended at 9.8% target (< 52.0) so it is worse; healthy last
  assert.deepEqual(sm.order.map((i) => multi.runs[i].id), ['diverged', 'label_shift', 'healthy']);
});

test('move clamps at both ends of the focused list', () => {
  const s = run(single, [{ type: 'move', delta: 1 }, { type: 'move', delta: 1 }, { type: 'move', delta: 1 }]);
  assert.equal(s.findingCursor, 2, 'three findings: cursor stops at the last');
  assert.equal(run(single, [{ type: 'move', delta: -1 }]).findingCursor, 0);
  assert.equal(run(single, [{ type: 'moveTo', where: 'last' }]).findingCursor, 2);
});

test('Tab cycles findings -> curves -> per-class -> t-SNE -> findings; shift-Tab goes back', () => {
  const seen: string[] = [];
  let s = initialState(single);
  for (let i = 0; i < RUN_PANES.length + 1; i++) {
    seen.push(s.focus);
    s = reduce(single, s, { type: 'focusNext' });
  }
  assert.deepEqual(seen, ['findings', 'curves', 'perClass', 'tsne', 'findings']);
  assert.equal(run(single, [{ type: 'focusPrev' }]).focus, 'tsne');
});

test('each pane keeps its own cursor: moving in curves does not move the finding cursor', () => {
  const s = run(single, [{ type: 'focusNext' }, { type: 'move', delta: 2 }]);
  assert.equal(s.curveCursor, 2);
  assert.equal(s.findingCursor, 0);
});

test('Enter on the run list opens the highlighted run; Esc returns to the list', () => {
  const opened = run(multi, [{ type: 'move', delta: 1 }, { type: 'open' }]); // second worst
  assert.equal(multi.runs[opened.active!].id, 'label_shift');
  assert.equal(opened.focus, 'findings');
  const back = reduce(multi, opened, { type: 'back' });
  assert.equal(back.active, null);
  assert.equal(back.focus, 'runs');
  assert.equal(back.runCursor, 1, 'the list remembers where the user was');
});

test('Enter zooms the focused pane and Esc unzooms before anything else; Esc on a single run is a no-op', () => {
  const z = run(single, [{ type: 'focusNext' }, { type: 'open' }]);
  assert.equal(z.zoomed, true);
  const back = reduce(single, z, { type: 'back' });
  assert.equal(back.zoomed, false);
  assert.equal(back.active, 0);
  assert.deepEqual(reduce(single, back, { type: 'back' }), back);
});

test('a late t-SNE progress tick does not turn a finished embedding back into "loading"', () => {
  const value = { xy: new Float64Array([0, 0]), n: 1, label: new Int32Array([0]), domain: new Uint8Array([0]), numClasses: 1, subsampled: false, totalPoints: 1 };
  const s = run(single, [
    { type: 'tsneStarted', runId: 'label_shift' },
    { type: 'tsneProgress', runId: 'label_shift', fraction: 0.5 },
    { type: 'tsneDone', runId: 'label_shift', value },
    { type: 'tsneProgress', runId: 'label_shift', fraction: 0.9 },
  ]);
  assert.equal(s.tsne.label_shift.status, 'done');
  const p = run(single, [{ type: 'tsneStarted', runId: 'x' }, { type: 'tsneProgress', runId: 'x', fraction: 1.7 }]);
  assert.deepEqual(p.tsne.x, { status: 'loading', progress: 1 }, 'progress is clamped to 0..1');
});

test('evaluation results and failures are kept per run', () => {
  const s = run(multi, [
    { type: 'evalStarted', runId: 'healthy' },
    { type: 'evalFailed', runId: 'diverged', message: 'no checkpoint' },
  ]);
  assert.equal(s.evaluation.healthy.status, 'loading');
  assert.deepEqual(s.evaluation.diverged, { status: 'error', message: 'no checkpoint' });
});

test('export: prompt only inside a run; m asks the app to export Markdown; done/failed clear the request', () => {
  const key = (input: string): Action => ({ type: 'key', input, key: {} });
  assert.equal(run(multi, [key('e')]).exportPrompt, false, 'no run open: nothing to export');
  const s = run(single, [key('e'), key('m')]);
  assert.equal(s.exportPrompt, false);
  assert.equal(s.exporting, true);
  assert.equal(s.exportRequest, 'markdown');
  assert.equal(run(single, [key('e'), key('m'), key('e'), key('h')], undefined).exportRequest, 'markdown', 'one export at a time');
  const done = reduce(single, s, { type: 'exportDone', path: './dann-doctor-label_shift.md' });
  assert.equal(done.message, 'exported to ./dann-doctor-label_shift.md');
  assert.equal(done.exportRequest, null);
  assert.equal(reduce(single, s, { type: 'exportFailed', message: 'EACCES' }).message, 'export failed: EACCES');
  assert.equal(run(single, [key('e'), { type: 'key', input: '', key: { escape: true } }]).exportPrompt, false);
});

test('key actions are read against the latest state: e then m in one batch exports, q sets the exit code once', () => {
  const s = run(single, [{ type: 'key', input: 'e', key: {} }, { type: 'key', input: 'm', key: {} }]);
  assert.equal(s.exportRequest, 'markdown');
  const q = run(single, [{ type: 'key', input: '', key: { ctrl: true } }, { type: 'key', input: 'c', key: { ctrl: true } }, { type: 'key', input: 'q', key: {} }]);
  assert.equal(q.quit, 130);
  assert.equal(run(single, [{ type: 'key', input: 'j', key: {} }]).findingCursor, 1);
});

// key map: table of (input, key, state tweak) -> expected result
const base = initialState(single);
const cases: [string, string, KeyPress, Partial<UiState>, unknown][] = [
  ['q quits with 0', 'q', {}, {}, { type: 'quit', code: 0 }],
  ['Ctrl-C quits with 130', 'c', { ctrl: true }, {}, { type: 'quit', code: EXIT_INTERRUPTED }],
  ['j moves down', 'j', {}, {}, { type: 'move', delta: 1 }],
  ['k moves up', 'k', {}, {}, { type: 'move', delta: -1 }],
  ['down arrow moves down', '', { downArrow: true }, {}, { type: 'move', delta: 1 }],
  ['up arrow moves up', '', { upArrow: true }, {}, { type: 'move', delta: -1 }],
  ['page down jumps a page', '', { pageDown: true }, {}, { type: 'move', delta: PAGE_ROWS }],
  ['Enter opens', '\r', { return: true }, {}, { type: 'open' }],
  ['Tab focuses the next pane', '\t', { tab: true }, {}, { type: 'focusNext' }],
  ['shift-Tab focuses the previous pane', '', { tab: true, shift: true }, {}, { type: 'focusPrev' }],
  ['Esc goes back', '', { escape: true }, {}, { type: 'back' }],
  ['DEL (backspace in most terminals) goes back', '', { delete: true }, {}, { type: 'back' }],
  ['d colours t-SNE by domain', 'd', {}, {}, { type: 'tsneColour', colour: 'domain' }],
  ['c colours t-SNE by class', 'c', {}, {}, { type: 'tsneColour', colour: 'class' }],
  ['e opens the export prompt', 'e', {}, {}, { type: 'exportPrompt' }],
  ['? toggles help', '?', {}, {}, { type: 'toggleHelp' }],
  ['m in the export prompt exports Markdown', 'm', {}, { exportPrompt: true }, { type: 'export', format: 'markdown' }],
  ['h in the export prompt exports HTML', 'h', {}, { exportPrompt: true }, { type: 'export', format: 'html' }],
  ['j in the export prompt is ignored', 'j', {}, { exportPrompt: true }, null],
  ['Esc in the export prompt cancels', '', { escape: true }, { exportPrompt: true }, { type: 'exportCancel' }],
  ['j while help is open is ignored', 'j', {}, { help: true }, null],
  ['q while help is open still quits', 'q', {}, { help: true }, { type: 'quit', code: 0 }],
  ['an unbound key does nothing', 'x', {}, {}, null],
];
for (const [name, input, key, tweak, expected] of cases) {
  test(`key: ${name}`, () => {
    assert.deepEqual(keyToAction(input, key, { ...base, ...tweak }), expected);
  });
}
