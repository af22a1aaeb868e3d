// Appended invocations (issue 13) are said in every human format, not only in text: the same line in Markdown and
// HTML (escaped there), so a PR comment or a review page does not hide that a file held several runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderHtml } from '../../src/reporters/html.js';
import { renderRunText } from '../../src/reporters/text.js';

test('a CSV with a restart appended: text, Markdown and HTML all say 2 attempts (restarts of one run)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-attempts-line-'));
  try {
    // the same header twice and no config per attempt = restarts of one run; the plan (3 epochs) says the newest finished
    writeFileSync(join(dir, 'metrics.csv'), 'epoch,loss,val_acc\n0,1.0,0.5\n1,0.8,0.6\nepoch,loss,val_acc\n0,1.0,0.5\n1,0.7,0.65\n2,0.6,0.7\n');
    writeFileSync(join(dir, 'hparams.yaml'), 'epochs: 3\nlr: 0.01\n');
    const report = await diagnose([dir]);
    const run = report.runs[0];
    assert.equal(run.attempts?.length, 2);
    const line = /2 attempts appended in metrics\.csv \(no config printed: read as restarts of one run\); the newest finished/;
    assert.match(renderRunText(run, { color: false, verbose: false } as never), line);
    assert.match(renderMarkdown(report), line);
    assert.match(renderHtml(report), /<div class="facts attempts">2 attempts appended in metrics\.csv \(no config printed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
