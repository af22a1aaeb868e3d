// Issue 16.8: values from files never become Markdown markup (fake verdict headings, comments, images, links), in
// the Markdown report, compare's Markdown and SARIF messages; SARIF URIs encode ? and # and keep a backslash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, rm, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRun, tempDir, runCli, LOG_NAME } from './helpers.js';
import { mdCode, mdText } from '../../src/output/markdown-safe.js';
import { uriOf } from '../../src/reporters/sarif.js';

/** Python's repr of the MLflow param from the issue, as a Namespace value. */
const FAKE_VERDICT = String.raw`resnet50\n\n### ✅ ` + '`abc`' + String.raw` — no problems found\n\n<!--`;

test('mdText and mdCode keep constructs literal', () => {
  const input = 'a\n\n### x <!-- [l](u) ![i](s) <img src=x> | *b* `c`';
  // the shown escape `\n` keeps its backslash literal too (`\\n` renders as \n)
  const want = 'a\\\\n\\\\n\\#\\#\\# x \\<\\!-- \\[l\\](u) \\!\\[i\\](s) \\<img src=x\\> \\| \\*b\\* \\`c\\`';
  assert.equal(mdText(input), want);
  assert.equal(mdCode('a`b'), '``a`b``');
  assert.equal(mdCode('`x|y', true), '`` `x\\|y ``');
});

test('a Namespace value with a fake verdict heading and an HTML comment stays inside its line, escaped', async () => {
  const t = await tempDir();
  try {
    const { dir } = await makeRun(t);
    const log = join(dir, LOG_NAME);
    await writeFile(log, (await readFile(log, 'utf8')).replace("arch='lenet_small'", `arch='${FAKE_VERDICT}'`));
    const evil = join(t, 'r<img src=x onerror=alert(1)>[x](http:⁄⁄e)');
    await rename(dir, evil);
    const md = await runCli([evil, '--format', 'markdown'], t);
    assert.equal(md.code, 1, md.stderr);
    const headings = md.stdout.split('\n').filter((l) => l.startsWith('#'));
    assert.equal(headings.filter((l) => l.startsWith('### ')).length, 1, headings.join('\n'));
    assert.match(headings.find((l) => l.startsWith('### '))!, /^### ❌ /);
    const outsideCode = md.stdout.replace(/(`+)[^`]*?\1/g, ''); // code spans show their content literally
    assert.doesNotMatch(outsideCode, /(^|[^\\])<!--/);
    assert.doesNotMatch(outsideCode, /(^|[^\\])<img/);
    assert.doesNotMatch(outsideCode, /(^|[^\\])\[x\]\(/);
    assert.match(md.stdout, /\| ✖ \| `per-class-imbalance` \|/, 'the findings table is intact');

    const sarif = JSON.parse((await runCli([evil, '--format', 'sarif'], t)).stdout);
    const text: string = sarif.runs[0].results[0].message.text;
    assert.match(text, /\\<img src=x onerror=alert\(1\)\\>\\\[x\\\]/);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('SARIF URIs: ? and # encoded, a backslash in a POSIX name kept', () => {
  assert.equal(uriOf('/repo/runs/a?b#c\\d/train.txt', '/repo'), 'runs/a%3Fb%23c%5Cd/train.txt');
  assert.equal(uriOf('/elsewhere/x#1.txt', '/repo'), 'file:///elsewhere/x%231.txt');
});
