// The UI after its background evaluation (the report judged again with it) and keys that arrive several per read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderApp } from './render.js';
import { reportOf, labelShiftRun } from './report-fixtures.js';
import type { EvalResults } from '../../src/model/types.js';
import { splitKeys } from '../../src/ui/state/keys.js';

const EVAL: EvalResults = {
  backend: 'wasm', backendReason: 'test', numClasses: 10, seconds: 3, notes: [],
  target: { n: 225, accuracy: 52.0, perClassAcc: [45.45, 30.43, 50.0, 60.87, 30.43, 78.26, 100.0, 9.09, 27.27, 86.36], confusion: [], predHistogram: [10, 13, 12, 35, 11, 25, 34, 20, 23, 42], labelHistogram: [], predEntropyNorm: 0.95, predictionsFrom: 'logits' },
};

test('after the background evaluation the header, detail and verdict come from the report judged with it', async (t) => {
  const report = reportOf(labelShiftRun());
  const before = report.runs[0];
  const seen: EvalResults[] = [];
  const r = await renderApp(report, {
    load: {
      evaluate: async () => EVAL,
      // stands in for ui-loaders' rejudge (re-read + judgeRun, tested in test/ui/ui-loaders.test.ts)
      rejudge: async (_id, ev) => {
        seen.push(ev);
        return { ...before, eval: ev, causes: before.causes.map((c, i) => (i === 0 ? { ...c, confidence: 0.97 } : c)), notChecked: [] };
      },
    },
  });
  t.after(() => r.unmount());
  const f = await r.waitFor(/likely cause: class-imbalance-or-label-shift \(confidence 0\.97\)/);
  assert.equal(seen[0], EVAL);
  assert.doesNotMatch(f, /not evaluated \(run with --eval/);
});

test('splitKeys: a read of several plain keys is several key presses; escape sequences and Ctrl pass through', () => {
  assert.deepEqual(splitKeys('jj', {}).map((k) => k.input), ['j', 'j']);
  assert.deepEqual(splitKeys('kkk', {}).length, 3);
  assert.deepEqual(splitKeys('jG', {}).map((k) => k.key.shift ?? false), [false, true]);
  assert.deepEqual(splitKeys('j\r', {}).map((k) => k.key.return ?? false), [false, true]);
  assert.deepEqual(splitKeys('j', { downArrow: false }), [{ input: 'j', key: { downArrow: false } }]);
  assert.deepEqual(splitKeys('c', { ctrl: true }), [{ input: 'c', key: { ctrl: true } }]);
});

test('jj and kkk in one read move the cursor two and three rows', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  await r.press('jj');
  assert.match(await r.waitFor(/▸ ℹ oracle-model-selection/), /▸ ℹ oracle-model-selection/);
  await r.press('kkk');
  await r.waitFor(/▸ ✖ per-class-imbalance/);
});

test('q while an export is written waits for it and then quits; a failed export does not quit', async () => {
  const { reduce, initialState } = await import('../../src/ui/state/ui-state.js');
  const report = reportOf(labelShiftRun());
  let s = initialState(report);
  s = reduce(report, s, { type: 'key', input: 'e', key: {} });
  s = reduce(report, s, { type: 'key', input: 'h', key: {} });
  assert.equal(s.exporting, true);
  s = reduce(report, s, { type: 'key', input: 'q', key: {} });
  assert.equal(s.quit, null, 'not before the file is written');
  assert.match(s.message ?? '', /quitting once it is written/);
  const done = reduce(report, s, { type: 'exportDone', path: '/tmp/x.html' });
  assert.equal(done.quit, 0);
  const failed = reduce(report, s, { type: 'exportFailed', message: 'EACCES' });
  assert.equal(failed.quit, null);
  // Ctrl-C still leaves at once
  assert.equal(reduce(report, s, { type: 'key', input: 'c', key: { ctrl: true } }).quit, 130);
});
