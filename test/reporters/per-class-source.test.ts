// Issue 17 item 14: the per-class finding, the UI's per-class pane and the HTML per-class chart quote one table (the
// final model's: the last validation epoch), and each names it. Before, the HTML chart drew the test-phase table
// (best checkpoint) while the finding quoted the last epoch's, neither saying which.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { perClassFromReport } from '../../src/plot/per-class-bars-svg.js';
import { perClassView } from '../../src/ui/state/report-view.js';
import { FIXTURES } from '../helpers/shared.js';

test('label_shift log (no features.npz): finding, UI pane and HTML chart name the same table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-perclass-'));
  try {
    const src = join(FIXTURES, 'runs', 'label_shift');
    const name = readdirSync(src).find((f) => f.endsWith('.txt'))!;
    copyFileSync(join(src, name), join(dir, name));
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    const r = (await diagnose([dir])).runs[0];
    // the log prints a per-class table after each epoch's validation and one more in the final test (best model)
    const tables = r.perClass.filter((t) => t.domain === 'target');
    assert.ok(tables.some((t) => t.phase === 'test'), 'the log has a test-phase table too');
    const last = tables.filter((t) => t.phase === 'val').at(-1)!;
    // tllib numbers epochs from 0 as printed: the last `Epoch: [N]` line above the table says which epoch it is
    const printed = lines.slice(0, last.line! - 1).reverse().map((l) => /^Epoch: \[(\d+)\]/.exec(l)).find(Boolean)!;
    assert.equal(printed[1], '14');
    const label = `log val table, epoch 14 at ${name}:${last.line}`;
    const f = r.findings.find((x) => x.ruleId === 'per-class-imbalance')!;
    assert.ok(f.message.includes(label), f.message);
    assert.equal(perClassView(r, undefined)!.targetFrom, label);
    const chart = perClassFromReport(r)!;
    assert.ok(chart.title.includes(label), chart.title);
    // the chart's bars are that table's rows
    assert.deepEqual(chart.groups.at(-1)!.values, last.rows.map((x) => x.acc));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
