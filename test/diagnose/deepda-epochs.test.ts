// Issue 17 item 11: a DeepDA DAAN log (fixtures/textlogs/deepda-daan-d2a, made by us). DeepDA prints epochs from 1
// (`Epoch: [12/500]`); every message must use that numbering, the planned 500 epochs come from the log's own counter
// when no setting says it, and the algorithm is the transfer loss ('daan'), not the framework.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { renderRunText } from '../../src/reporters/text.js';
import { renderHtml } from '../../src/reporters/html.js';
import { perClassFromReport } from '../../src/plot/per-class-bars-svg.js';
import { FIXTURES } from '../helpers/shared.js';

const DIR = join(FIXTURES, 'textlogs', 'deepda-daan-d2a');
const LOG = join(DIR, 'DAAN_D2A.txt');
const LINES = readFileSync(LOG, 'utf8').split('\n');
/** The epoch the log itself prints on a 1-based file line. */
const printedEpoch = (line: number) => Number(/^Epoch:\s*\[\s*(\d+)\//.exec(LINES[line - 1])![1]);

test('DeepDA DAAN log: algorithm from transfer_loss, 29 of 500 epochs, numbering from 1 said', async () => {
  const r = (await diagnose([DIR])).runs[0];
  assert.equal(r.algorithm, 'other');
  assert.deepEqual(r.algorithmFrom, { name: 'daan', from: 'config', detail: 'config key transfer_loss' });
  assert.equal(r.epochBase, 1);
  const inc = r.findings.find((f) => f.ruleId === 'run-incomplete')!;
  assert.match(inc.message, /stopped after 29 of 500 epochs/);
  const text = renderRunText(r, { color: false });
  assert.match(text, /daan · incomplete · 29 epochs × 100 it · epochs numbered from 1, as the log prints them/);
  // test_acc 71.2000 is on the line `Epoch: [12/500]` (file line 13)
  assert.equal(printedEpoch(13), 12);
  assert.match(text, /best 71\.2% at epoch 12\b/);
  assert.doesNotMatch(text, /DEEPDA/);
});

test('every epoch a message names is the one the log prints on the line its evidence points at', async () => {
  const r = (await diagnose([DIR])).runs[0];
  const deg = r.findings.find((f) => f.ruleId === 'target-acc-degrading')!;
  const ev = deg.evidence[0];
  // the evidence spans file lines 12..30 = `Epoch: [11/500]` .. `Epoch: [29/500]`
  const from = Number(/peak [\d.]+ at epoch (\d+)/.exec(ev.note!)![1]);
  const to = Number(/over epochs \d+\.\.(\d+)/.exec(ev.note!)![1]);
  assert.deepEqual([from, to], [11, 29]);
  assert.deepEqual([printedEpoch(ev.line!), printedEpoch(ev.endLine!)], [from, to]);
  // the structured range stays a 0-based index (what the curves are indexed by); epochBase says how to show it
  assert.equal(ev.from! + r.epochBase!, from);
  const text = renderRunText(r, { color: false });
  assert.match(text, new RegExp(`val/acc1 epochs ${printedEpoch(ev.line!)}\\.\\.${printedEpoch(ev.endLine!)}\\)`));
  const oracle = r.findings.find((f) => f.ruleId === 'oracle-model-selection')!;
  assert.equal(oracle.data.bestEpoch, printedEpoch(oracle.evidence[0].line!));
  assert.equal(oracle.data.bestEpoch, 12);
  const html = renderHtml({ ...(await diagnose([DIR])) });
  assert.match(html, /target acc \(best, epoch 12\)/);
  assert.match(html, new RegExp(`epoch ${printedEpoch(ev.line!)}–${printedEpoch(ev.endLine!)}`));
  assert.equal(perClassFromReport(r), null);
});

test('no Namespace line: the planned 500 still comes from `Epoch: [29/500]`, never "of ?"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-deepda-'));
  try {
    writeFileSync(join(dir, 'DAAN_D2A.txt'), LINES.slice(1).join('\n'));
    const r = (await diagnose([dir])).runs[0];
    const inc = r.findings.find((f) => f.ruleId === 'run-incomplete')!;
    assert.match(inc.message, /stopped after 29 of 500 epochs/);
    assert.deepEqual(inc.evidence[0].threshold, '500 epochs');
    // no transfer_loss to read: the framework is said, not shown as an algorithm
    assert.equal(r.algorithm, 'unknown');
    assert.doesNotMatch(renderRunText(r, { color: false }), /DEEPDA/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
