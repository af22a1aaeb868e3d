// The UI on real Reports: diagnose() on every run in ../shared/runs and ../shared/real-logs, rendered, every
// pane visited; headline numbers checked against truth.json.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderApp, KEYS } from './render.js';
import { SHARED_RUNS, SHARED_REAL_LOGS, hasShared } from '../helpers/shared.js';
import type { Report } from '../../src/report/schema.js';
import { sortedFindings, SEVERITY_BADGE } from '../../src/ui/state/report-view.js';

const skip = hasShared ? false : '../shared is missing';
let report: Report;
let truth: Record<string, { final_target_acc: number }>;

before(async () => {
  if (skip) return;
  const { diagnose } = await import('../../src/index.js');
  report = await diagnose([SHARED_RUNS, SHARED_REAL_LOGS]);
  truth = JSON.parse(readFileSync(join(SHARED_RUNS, 'truth.json'), 'utf8'));
});

function single(id: string): Report {
  const run = report.runs.find((r) => r.id === id);
  assert.ok(run, `diagnose found ${id} (it found ${report.runs.map((r) => r.id).join(', ')})`);
  return { ...report, runs: [run] };
}

test('all nine runs in the run list, worst first: the diverged run on top, healthy runs last', { skip }, async (t) => {
  assert.equal(report.runs.length, 9);
  const r = await renderApp(report);
  t.after(() => r.unmount());
  const f = r.lastFrame();
  assert.match(f, /dann-doctor ─ 9 runs/);
  const rows = f.split('\n').map((l) => /^║[▸ ] [✖⚠ℹ✔] (\S+)/.exec(l)?.[1]).filter((id): id is string => id !== undefined);
  assert.equal(rows.length, 9, f);
  assert.equal(rows[0], 'runs/diverged', 'an error and 9.8% target: the worst run');
  assert.deepEqual(rows.slice(-2).sort(), ['runs/healthy', 'runs/healthy_lightning']);
});

for (const name of ['diverged', 'healthy', 'label_shift', 'source_only', 'strong_disc', 'healthy_lightning']) {
  test(`runs/${name}: header target accuracy matches truth.json, every finding opens, every pane draws`, { skip }, async (t) => {
    const rep = single(`runs/${name}`);
    const run = rep.runs[0];
    const r = await renderApp(rep);
    t.after(() => r.unmount());
    let f = r.lastFrame();
    assert.match(f, new RegExp(`dann-doctor ─ runs/${name} ─ `));
    assert.ok(f.includes(`target ${truth[name].final_target_acc.toFixed(1)}`), `target ${truth[name].final_target_acc} in the header:\n${f}`);
    const findings = sortedFindings(run);
    assert.ok(f.includes(`Findings (${findings.length})`));
    for (let i = 0; i < findings.length; i++) {
      f = await r.waitFor(`▸ ${SEVERITY_BADGE[findings[i].severity]} ${findings[i].ruleId}`);
      assert.ok(f.includes(findings[i].message.slice(0, 40)), `detail of ${findings[i].ruleId}:\n${f}`);
      await r.press('j');
    }
    if (findings.length === 0) assert.match(f, /No problems found in this run/);
    for (const pane of ['║Curves per epoch', '║Per-class accuracy', '║t-SNE (by class)', '║Findings']) {
      await r.press(KEYS.tab);
      await r.waitFor((x) => x.includes(pane));
    }
    assert.ok(r.lastFrame().split('\n').every((l) => l.length <= 160));
  });
}

test('runs/healthy: the healthy verdict and the checked numbers', { skip }, async (t) => {
  const r = await renderApp(single('runs/healthy'));
  t.after(() => r.unmount());
  const f = r.lastFrame();
  assert.match(f, /✔ no problems found/);
  assert.match(f, /checked +domain acc settled/);
});

for (const name of ['dao-dan-l1', 'dh-a2w-2ep', 'dh-digits-b1-b']) {
  test(`real-logs/${name}: renders at 160×45 and 80×24 with every line inside the terminal`, { skip }, async (t) => {
    const rep = single(`real-logs/${name}`);
    const r = await renderApp(rep);
    t.after(() => r.unmount());
    let f = r.lastFrame();
    assert.match(f, new RegExp(`dann-doctor ─ real-logs/${name}`));
    assert.match(f, /Curves per epoch \(0\.\./);
    await r.resize(80, 24);
    f = r.lastFrame();
    assert.ok(f.split('\n').every((l) => l.length <= 80), f);
    assert.ok(f.split('\n').length <= 24, `${f.split('\n').length} rows`);
  });
}

test('real-logs/dh-digits-b1-b: the loss step at epoch 22 (48.2 -> 0.68) is marked in the zoomed chart', { skip }, async (t) => {
  const r = await renderApp(single('real-logs/dh-digits-b1-b'));
  t.after(() => r.unmount());
  await r.press(KEYS.tab);
  await r.waitFor('║Curves per epoch');
  // curves in reading order: source acc, target acc, domain acc, loss
  await r.press('j', 'j', 'j', KEYS.enter);
  const f = await r.waitFor('loss — train/loss');
  assert.match(f, /◆ step at epoch 22: 48\.21 → 0\.6779/);
});

test('runs/healthy_lightning: Enter on the verdict shows the readers\' notes', { skip }, async (t) => {
  const r = await renderApp(single('runs/healthy_lightning'));
  t.after(() => r.unmount());
  assert.doesNotMatch(r.lastFrame(), /holds fractions/, 'info notes wait for the full view');
  await r.press(KEYS.enter);
  const f = await r.waitFor('Esc back');
  assert.match(f, /notes +metrics\.csv +"train\/cls_acc" holds fractions \(0\.\.1\); shown as percent/);
});
