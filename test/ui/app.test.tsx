// The Ink app rendered with ink-testing-library: every pane and key binding, asserted on frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderApp, KEYS } from './render.js';
import { reportOf, labelShiftRun, healthyRun, divergedRun } from './report-fixtures.js';
import type { EvalResults } from '../../src/model/types.js';
import type { DrawnEmbedding } from '../../src/tsne/embed-features.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** The line of the frame that contains `needle` (fails loudly when absent). */
function lineWith(frame: string, needle: string): string {
  const l = frame.split('\n').find((x) => x.includes(needle));
  assert.ok(l !== undefined, `no line with ${JSON.stringify(needle)} in:\n${frame}`);
  return l;
}

test('header: run, algorithm, status, verdict, headline numbers (label_shift log), key hyperparameters', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  const f = r.lastFrame();
  assert.match(lineWith(f, 'dann-doctor'), /dann-doctor ─ label_shift ─ DANN ─ finished ─ not evaluated/);
  assert.match(f, /✖ likely cause: class-imbalance-or-label-shift \(confidence 0\.78\)/);
  assert.match(f, /source 99\.8 {2}target 52\.0 \(best 59\.6 at epoch 1\) {2}test 59\.6 {2}domain 56\.2 +✖ 1 {2}⚠ 1 {2}ℹ 1/);
  assert.match(f, /15 ep × 300 it · arch lenet_small · batch 32 · lr 0\.01 · trade_off 1/);
});

test('findings list worst first; the detail shows message, evidence, ranked causes with bars, fixes, not checked', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  const f = r.lastFrame();
  const lines = f.split('\n');
  const order = ['✖ per-class-imbalance', '⚠ target-acc-degrading', 'ℹ oracle-model-selection'].map((id) => lines.findIndex((l) => l.startsWith(`║▸ ${id}`) || l.startsWith(`║  ${id}`)));
  assert.deepEqual(order.map((i) => i - order[0]), [0, 1, 2], `worst first, one per row:\n${f}`);
  assert.match(lineWith(f, '▸ ✖ per-class-imbalance'), /▸ ✖ per-class-imbalance/);
  assert.match(f, /target per-class accuracy 9%\.\.100% \(classes 7, 8, 1, 4 below 35%\)/);
  assert.match(f, /evidence +train-2026-11-27-18_38_15\.txt:394-403 +observed 9\.1\.\.100 vs threshold 35/);
  assert.match(f, /causes +class-imbalance-or-label-shift ████████░░ 0\.78/);
  assert.match(f, /conditional-shift +███░░░░░░░ 0\.31/);
  assert.match(f, /per-class target accuracy spans 9%\.\.100% while source classes are balanced/);
  assert.match(f, /fix +class-weighted adversarial loss or CDAN\+E/);
  assert.match(f, /tell apart +retrain with target classes re-balanced/);
  assert.match(f, /not checked +features\.npz not evaluated \(run with --eval\)/);
});

test('j/k and arrows move the selection; the curves pane marks the selected finding\'s epochs', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  assert.doesNotMatch(r.lastFrame(), /finding: ep/, 'per-class-imbalance has no epoch range');
  await r.press('j');
  let f = await r.waitFor('▸ ⚠ target-acc-degrading');
  assert.match(f, /target accuracy fell 59\.6% -> 52\.0% after epoch 1/);
  assert.match(f, /val\/acc1 epochs 1\.\.14 · observed 52 vs threshold 59\.56/);
  // 15 epochs, one column each: the mark starts under epoch 1 and runs to epoch 14
  assert.match(lineWith(f, 'Curves per epoch'), /Curves per epoch \(0\.\.14\) +▔ finding: ep 1\.\.14/);
  // 15 epochs, one column each, after the 13-column label: the mark runs under epochs 1..14
  assert.match(f, /^│ {16}▔{14}\s*│/m);
  await r.press(KEYS.down);
  await r.waitFor('▸ ℹ oracle-model-selection');
  await r.press('k', KEYS.up);
  f = await r.waitFor('▸ ✖ per-class-imbalance');
  await r.press('k');
  assert.match(r.lastFrame(), /▸ ✖ per-class-imbalance/, 'the cursor stops at the top');
});

test('curves pane: source, target, domain acc, loss and lr per epoch with last value and range', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  const f = r.lastFrame();
  assert.match(f, /Curves per epoch \(0\.\.14\)/);
  assert.match(lineWith(f, '│ domain acc'), /domain acc +█▄▂▂▂▂▂▂▁▁▁▁▁▁▁ +56\.2 \(55\.8–82\.4\)/);
  assert.match(lineWith(f, '│ source acc'), /source acc +▁▇█{13} +99\.8 \(85\.3–99\.8\)/);
  assert.match(lineWith(f, '│ target acc'), /target acc +\S{15} +52 \(50\.22–59\.56\)/);
  assert.match(lineWith(f, '│ loss '), /loss +█▁▃/);
  assert.match(lineWith(f, '│ lr '), /lr +█▆▅▄▄▃▃▂▂▂▂▁▁▁▁/);
});

test('Tab moves focus (double border) and Enter zooms the curve under the cursor into a chart; Esc returns', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  assert.match(lineWith(r.lastFrame(), 'Findings (3)'), /^║Findings/);
  await r.press(KEYS.tab);
  let f = await r.waitFor((x) => /║Curves per epoch/.test(x));
  assert.match(lineWith(f, 'Findings (3)'), /^│Findings/);
  await r.press('j', 'j', KEYS.enter);
  f = await r.waitFor('domain acc — train/domain_acc (Domain Acc)');
  assert.doesNotMatch(f, /Findings \(3\)/, 'zoomed: the chart has the screen below the header');
  assert.match(f, /^║ +82\.4 /m, 'top of the y axis is the max epoch mean');
  assert.match(f, /^║ +55\.8 /m, 'bottom of the y axis is the min');
  assert.match(f, /epochs 0\.\.14 · last 56\.2/);
  await r.press(KEYS.escape);
  f = await r.waitFor('Findings (3)');
  assert.match(f, /║Curves per epoch/);
  await r.press(KEYS.shiftTab);
  await r.waitFor((x) => /║Findings \(3\)/.test(x));
});

test('per-class pane: target bars from the log\'s last-epoch table, weak classes flagged', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  const f = r.lastFrame();
  assert.match(lineWith(f, '7 - seven'), /!7 - seven ██▎·+ +9\.1/);
  assert.match(lineWith(f, '6 - six'), / 6 - six +█+ 100\.0/);
  assert.match(lineWith(f, '5 - five'), / 5 - five +█+▋·+ +78\.3/);
  assert.match(f, /target: log val table, epoch 14 at /);
  const healthy = await renderApp(reportOf(healthyRun()));
  t.after(() => healthy.unmount());
  assert.match(healthy.lastFrame(), /unknown: no per-class table in the log/);
});

test('evaluation fills in later: progress in the header, then the backend and source-vs-target per class', async (t) => {
  const ev = deferred<EvalResults | null>();
  const calls: string[] = [];
  const r = await renderApp(reportOf(labelShiftRun()), { load: { evaluate: (id) => { calls.push(id); return ev.promise; } } });
  t.after(() => r.unmount());
  await r.waitFor(/evaluating… \d+s/);
  assert.deepEqual(calls, ['label_shift']);
  // the target numbers are truth.json's; the source side is illustrative
  const names = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];
  ev.resolve({
    backend: 'wasm', backendReason: 'test', numClasses: 10, classNames: names, seconds: 3, notes: [],
    source: { n: 899, accuracy: 99.11, perClassAcc: new Array(10).fill(99), confusion: [], predHistogram: [], labelHistogram: [], predEntropyNorm: 1, predictionsFrom: 'logits' },
    target: { n: 225, accuracy: 52.0, perClassAcc: [45.45, 30.43, 50.0, 60.87, 30.43, 78.26, 100.0, 9.09, 27.27, 86.36], confusion: [], predHistogram: [10, 13, 12, 35, 11, 25, 34, 20, 23, 42], labelHistogram: [], predEntropyNorm: 0.95, predictionsFrom: 'logits' },
  });
  const f = await r.waitFor('backend: wasm');
  assert.match(lineWith(f, '7 - seven'), /!7 - seven ▉·+ +9\.1 █+▉?·* +99\.0/);
  assert.match(f, /target: re-evaluated \(logits, n=225\)/);
  assert.match(f, /source: re-evaluated \(logits, n=899\)/);
});

test('a failed evaluation says so in the header and leaves the rest usable', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()), { load: { evaluate: async () => { throw new Error('no checkpoint in run'); } } });
  t.after(() => r.unmount());
  await r.waitFor('evaluation failed: no checkpoint in run');
  await r.press('j');
  await r.waitFor('▸ ⚠ target-acc-degrading');
});

function twoClusters(): DrawnEmbedding {
  // source points (domain 0) on the left, target (1) on the right; classes 0 and 1 split top/bottom
  return {
    xy: new Float64Array([0, 0, 0, 10, 1, 0, 1, 10, 20, 0, 20, 10]),
    n: 6,
    label: new Int32Array([0, 1, 0, 1, 0, 1]),
    domain: new Uint8Array([0, 0, 0, 0, 1, 1]),
    numClasses: 2,
    classNames: ['zero', 'one'],
    subsampled: false,
    totalPoints: 6,
  };
}

test('t-SNE: progress while computing (rest of the UI usable), then the scatter by class; d/c toggle colouring', async (t) => {
  const ts = deferred<DrawnEmbedding | null>();
  let progress!: (f: number) => void;
  const r = await renderApp(reportOf(labelShiftRun()), { load: { tsne: (_id, onProgress) => { progress = onProgress; return ts.promise; } } });
  t.after(() => r.unmount());
  await r.waitFor('computing t-SNE');
  progress(0.4);
  await r.waitFor(/computing t-SNE █+░+ 40%/);
  await r.press('j');
  await r.waitFor('▸ ⚠ target-acc-degrading');
  ts.resolve(twoClusters());
  let f = await r.waitFor('0=zero 1=one');
  assert.match(f, /t-SNE \(by class\) 6 pts/);
  assert.match(f, /t-SNE \(by class\)/);
  assert.match(lineWith(f, 't-SNE (by class)'), /t-SNE \(by class\)/);
  // top row of the grid: class-1 points at y=10 for both domains; bottom row: class 0
  const tsneCol = f.split('\n').find((l) => l.includes('t-SNE (by class)'))!.indexOf('t-SNE (by class)');
  const gridRows = f.split('\n').map((l) => l.slice(tsneCol)).filter((l) => /^[01 ]+│?$/.test(l.replace(/│$/, '').trimEnd()) && /[01]/.test(l));
  assert.ok(gridRows.length >= 2, `class glyphs drawn:\n${f}`);
  assert.match(gridRows[0], /^1 +1 +1/, 'y grows upwards: class 1 (y=10) on the top row, source x=0,1 and target x=20');
  assert.match(gridRows.at(-1)!, /^0 +0 +0/);
  await r.press('d');
  f = await r.waitFor('t-SNE (by domain)');
  assert.match(f, /◦ source 4 {2}• target 2 {2}◉ both 0%/);
  assert.match(f, /◦ +◦ +•/);
  await r.press('c');
  await r.waitFor('t-SNE (by class)');
});

test('t-SNE without class names: the legend says the glyph is the class index', async (t) => {
  const { classNames: _drop, ...noNames } = twoClusters();
  const r = await renderApp(reportOf(labelShiftRun()), { load: { tsne: async () => noNames } });
  t.after(() => r.unmount());
  await r.waitFor('glyph = class index (01)');
});

test('t-SNE pane explains itself when there is nothing to draw', async (t) => {
  const none = await renderApp(reportOf(labelShiftRun()), { load: { tsne: async () => null } });
  t.after(() => none.unmount());
  await none.waitFor('no feature dump to embed');
  const off = await renderApp(reportOf(labelShiftRun()));
  t.after(() => off.unmount());
  assert.match(off.lastFrame(), /t-SNE not requested/);
});

test('e exports: the prompt, then m writes Markdown and the footer shows the path; failures are reported', async (t) => {
  const calls: [string, string][] = [];
  const r = await renderApp(reportOf(labelShiftRun()), { onExport: async (format, runId) => { calls.push([format, runId]); return './dann-doctor-label_shift.md'; } });
  t.after(() => r.unmount());
  await r.press('e');
  await r.waitFor('export as: m Markdown · h HTML · Esc cancel');
  await r.press('m');
  await r.waitFor('exported to ./dann-doctor-label_shift.md');
  assert.deepEqual(calls, [['markdown', 'label_shift']]);
  await r.press('e', 'h');
  await r.waitFor(() => calls.length === 2);
  assert.deepEqual(calls[1], ['html', 'label_shift']);

  const bad = await renderApp(reportOf(labelShiftRun()), { onExport: async () => { throw new Error('EACCES: permission denied'); } });
  t.after(() => bad.unmount());
  await bad.press('e', 'h');
  await bad.waitFor('export failed: EACCES: permission denied');
  await bad.press('e', KEYS.escape);
  await bad.waitFor((f) => !f.includes('export as:') && f.includes('? help'));
});

test('? shows the help with every binding; ? closes it', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  await r.press('?');
  const f = await r.waitFor('Help');
  for (const k of ['↑ ↓  j k', '⏎ Enter', 'Tab  ⇧Tab', 'd  c', 'e', '?', 'q']) assert.ok(f.includes(k), `help lists ${k}`);
  assert.match(f, /export the report \(m Markdown, h HTML\)/);
  await r.press('?');
  await r.waitFor('Findings (3)');
});

test('q quits with exit code 0, Ctrl-C with 130', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  await r.press('q');
  await r.waitFor(() => r.exitCode() !== undefined);
  assert.equal(r.exitCode(), 0);
  const c = await renderApp(reportOf(labelShiftRun()));
  t.after(() => c.unmount());
  await c.press(KEYS.ctrlC);
  await c.waitFor(() => c.exitCode() !== undefined);
  assert.equal(c.exitCode(), 130);
});

test('several runs: a run list worst first with a preview; Enter opens one, Esc goes back', async (t) => {
  const r = await renderApp(reportOf(healthyRun(), labelShiftRun(), divergedRun()));
  t.after(() => r.unmount());
  let f = r.lastFrame();
  assert.match(f, /dann-doctor ─ 3 runs/);
  assert.match(f, /✖ 2 with errors {2}⚠ 0 with warnings {2}✔ 1 healthy/);
  const lines = f.split('\n');
  const rows = ['▸ ✖ diverged ', '  ✖ label_shift ', '  ✔ healthy '].map((id) => lines.findIndex((l) => l.startsWith(`║${id}`)));
  assert.deepEqual(rows.map((i) => i - rows[0]), [0, 1, 2], `worst first, one per row:\n${f}`);
  assert.match(lineWith(f, '▸ ✖ diverged'), /tgt +9\.8 +✖1 ⚠0 ℹ0 +learning-rate-too-high \(0\.90\)/);
  assert.match(f, /loss-divergence +loss exploded to 9\.17e10 by epoch 1/, 'preview of the highlighted run');
  await r.press('j');
  f = await r.waitFor('▸ ✖ label_shift');
  await r.press(KEYS.enter);
  f = await r.waitFor('dann-doctor ─ label_shift ─ DANN');
  assert.match(f, /esc runs/);
  await r.press(KEYS.escape);
  await r.waitFor('dann-doctor ─ 3 runs');
});

test('a healthy run says so plainly with the numbers that show it', async (t) => {
  const r = await renderApp(reportOf(healthyRun()));
  t.after(() => r.unmount());
  const f = r.lastFrame();
  assert.match(f, /✔ no problems found/);
  assert.match(f, /✔ No problems found in this run\./);
  assert.match(f, /checked +domain acc 81\.6% -> 55\.0%: settled near chance after warm-up/);
  assert.match(f, /target 85\.8% vs source-only 49\.8% \(\+36\.0\)/);
  assert.match(f, /not checked +no per-class table \(run with --per-class-eval\)/);
  assert.match(f, /target 85\.8 \(best 85\.8 at epoch 14\)/);
});

test('a crashed run shows the exception and where it was logged', async (t) => {
  // made up: none of the shared runs crashed
  // (as the engine reports it: run-crashed fires on every crashed run, so the ✖ matches --fail-on error)
  const crashFinding = { ruleId: 'run-crashed', messageId: 'crashed', severity: 'error' as const, message: 'the run crashed', data: {}, evidence: [], causes: [], fingerprint: 'x' };
  const run = { ...healthyRun(), status: 'crashed' as const, crash: { file: '/runs/x/train.txt', line: 120, type: 'RuntimeError', message: 'CUDA out of memory' }, findings: [crashFinding], causes: [] };
  const r = await renderApp(reportOf(run));
  t.after(() => r.unmount());
  const f = r.lastFrame();
  assert.match(f, /─ crashed \(RuntimeError\) ─/);
  assert.match(f, /✖ crashed: RuntimeError: CUDA out of memory {2}train\.txt:120/);
});

test('resizes cleanly: every line fits the new width; small terminals show the focused pane only', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()));
  t.after(() => r.unmount());
  const widest = (f: string) => Math.max(...f.split('\n').map((l) => l.length));
  assert.equal(widest(r.lastFrame()), 160);
  await r.resize(100, 30);
  let f = r.lastFrame();
  assert.equal(widest(f), 100);
  assert.ok(f.split('\n').length <= 30, 'fits 30 rows');
  assert.match(f, /Per-class accuracy/);
  assert.doesNotMatch(f, /t-SNE \(by/, '100 columns: t-SNE only when focused');
  await r.press(KEYS.shiftTab);
  f = await r.waitFor('t-SNE (by class)');
  assert.doesNotMatch(f, /Per-class accuracy/);
  await r.resize(60, 20);
  await r.press(KEYS.tab); // back to findings
  f = await r.waitFor('Findings (3)');
  assert.ok(widest(f) <= 60, `fits 60 columns:\n${f}`);
  assert.doesNotMatch(f, /Curves per epoch/);
  assert.match(f, /per-class-imbalance/);
});

test('narrow detail: confidence bars go before the cause id so they are never cut off', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()), { columns: 80, rows: 30 });
  t.after(() => r.unmount());
  assert.match(r.lastFrame(), /causes +████████░░ 0\.78 class-imbalance-or-la/);
});

test('input errors are said at once; a report with no runs still renders', async (t) => {
  // made up: one unreadable path beside one good run
  const withError = { ...reportOf(labelShiftRun()), errors: [{ path: '/runs/broken/train.txt', message: 'line 3: not a tllib log' }] };
  const r = await renderApp(withError);
  t.after(() => r.unmount());
  assert.match(r.lastFrame(), /1 input error: \/runs\/broken\/train\.txt: line 3: not a tllib log/);
  const empty = await renderApp({ ...reportOf(), errors: withError.errors });
  t.after(() => empty.unmount());
  const f = empty.lastFrame();
  assert.match(f, /dann-doctor ─ 0 runs/);
  assert.match(f, /\/runs\/broken\/train\.txt: line 3: not a tllib log/);
  await empty.press('j', KEYS.enter, 'e', KEYS.tab);
  assert.match(empty.lastFrame(), /dann-doctor ─ 0 runs/);
});

test('quitting aborts the background loads through their signal', async (t) => {
  const signals: AbortSignal[] = [];
  const never = new Promise<never>(() => {});
  const r = await renderApp(reportOf(labelShiftRun()), {
    load: {
      evaluate: (_id, signal) => { signals.push(signal!); return never; },
      tsne: (_id, _p, signal) => { signals.push(signal!); return never; },
    },
  });
  t.after(() => r.unmount());
  await r.waitFor('computing t-SNE');
  await r.waitFor(() => signals.length === 2);
  assert.deepEqual(signals.map((s) => s.aborted), [false, false]);
  await r.press('q');
  await r.waitFor(() => signals.every((s) => s.aborted));
});

test('Enter on the per-class or t-SNE pane gives it the screen below the header', async (t) => {
  const r = await renderApp(reportOf(labelShiftRun()), { load: { tsne: async () => twoClusters() } });
  t.after(() => r.unmount());
  await r.press(KEYS.tab, KEYS.tab);
  await r.waitFor('║Per-class accuracy');
  await r.press(KEYS.enter);
  let f = await r.waitFor((x) => !x.includes('Findings (3)'));
  assert.match(f, /!7 - seven/);
  assert.doesNotMatch(f, /Curves per epoch/);
  await r.press(KEYS.tab, KEYS.enter);
  f = await r.waitFor((x) => x.includes('║t-SNE (by class) 6 pts') && !x.includes('Findings (3)'));
  assert.ok(f.split('\n').filter((l) => /[01]/.test(l) && l.startsWith('║')).length >= 2, 'the scatter spans the screen');
});
