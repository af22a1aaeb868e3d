// Drives the real binary's terminal UI in tmux, as a person would: reads the header, opens a finding, draws the
// t-SNE, exports, resizes, quits. Needs a built dist/ (npm test builds first) and Debian's tmux.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SHARED_RUNS, hasShared } from '../helpers/shared.js';
import { BIN, tmuxSession, tmuxSkipReason } from '../helpers/tmux.js';

const RUN = join(SHARED_RUNS, 'label_shift');
/** A private tmux server (its socket inside the test's temp dir), so the test never touches a user's sessions. */
let socket = '';
const SESSION = 'ui';
const COLUMNS = 160;
const ROWS = 45;
/** Bounds for polls (not sleeps): diagnosis of one run takes ~3 s on 2 shared cores; t-SNE of 1124 points longer. */
const START_TIMEOUT_MS = 30_000;
const KEY_TIMEOUT_MS = 10_000;
const TSNE_TIMEOUT_MS = 180_000;

const skip = tmuxSkipReason() || (!hasShared ? '../shared/runs is missing' : false);
const { tmux, keys, waitForScreen, kill } = tmuxSession(() => socket, SESSION, KEY_TIMEOUT_MS);

let cwd = '';

before(() => {
  if (skip) return;
  // exports land in the cwd: a fresh temp dir, never the repo or the run directory
  cwd = mkdtempSync(join(tmpdir(), 'dann-doctor-tui-'));
  socket = join(cwd, 'tmux.sock');
  tmux('new-session', '-d', '-s', SESSION, '-x', String(COLUMNS), '-y', String(ROWS), '-c', cwd,
    `node ${BIN} ${RUN}; echo "EXIT=$?"; sleep 60`);
});

after(() => {
  if (skip) return;
  kill();
  rmSync(cwd, { recursive: true, force: true });
});

test('the UI on label_shift: header, a finding opened, t-SNE drawn, export, resize, quit', { skip }, async () => {
  // header numbers: source 99.1 from the dump's source_logits (truth.json source_acc 99.11; quick evaluation is on by
  // default and re-scores the held-out source split), last ` * Acc@1` 52.000, best_acc1 59.6 (epoch 1)
  let s = await waitForScreen((x) => x.includes('dann-doctor ─ label_shift'), 'the first frame', START_TIMEOUT_MS);
  assert.match(s, /dann-doctor ─ label_shift ─ DANN ─ finished/);
  assert.match(s, /source 99\.1 {2}target 52\.0 \(best 59\.6 at epoch 1\)/);
  assert.match(s, /domain 56\.2/);
  assert.match(s, /✖ likely cause: class-imbalance-or-label-shift/);
  assert.match(s, /▸ ✖ per-class-imbalance/);
  assert.match(s, /Curves per epoch \(0\.\.14\)/);
  assert.match(s, /!7 - seven .* 9\.1/, 'per-class pane from the log: class 7 at 9.1%');

  // open the second finding: its message, evidence (log lines) and the range under the curves
  keys('j');
  s = await waitForScreen((x) => x.includes('▸ ⚠ target-acc-degrading'), 'the second finding selected');
  assert.match(s, /target accuracy fell from 57\.6% \(smoothed peak, epoch 2\)/);
  assert.match(s, /train-2026-11-27-18_38_15\.txt:75-387/); // the smoothed peak, epoch 2 (line 75)
  assert.match(s, /finding: ep 2\.\.14/);
  keys('Enter');
  s = await waitForScreen((x) => x.includes('Esc back'), 'the finding opened full screen');
  assert.match(s, /causes +class-imbalance-or-label-shift +█+░* \d\.\d\d/);
  assert.match(s, /fix +/);
  assert.doesNotMatch(s, /Curves per epoch/, 'the opened finding has the screen');
  keys('Escape');
  await waitForScreen((x) => x.includes('Curves per epoch'), 'back to the overview');

  // t-SNE fills in from the background; by domain shows both domains' glyphs
  s = await waitForScreen((x) => /t-SNE \(by class\) \d+ (of \d+ )?pts/.test(x) || /t-SNE failed/.test(x), 'the t-SNE drawn', TSNE_TIMEOUT_MS);
  assert.doesNotMatch(s, /t-SNE failed/);
  keys('d');
  // wait for the legend itself, not only the title: under load a capture can catch a frame half drawn
  s = await waitForScreen((x) => x.includes('t-SNE (by domain)') && /◦ source \d+ {2}• target \d+/.test(x), 't-SNE by domain with its legend');
  assert.match(s, /◦ source \d+ {2}• target \d+/);

  // export Markdown into the cwd
  keys('e');
  await waitForScreen((x) => x.includes('export as: m Markdown'), 'the export prompt');
  keys('m');
  s = await waitForScreen((x) => /exported to|export failed/.test(x), 'the export result');
  assert.match(s, /exported to \S*dann-doctor-label_shift\.md/);
  const exported = readdirSync(cwd).filter((f) => f.endsWith('.md'));
  assert.deepEqual(exported, ['dann-doctor-label_shift.md']);
  assert.match(readFileSync(join(cwd, exported[0]), 'utf8'), /per-class-imbalance/);

  // resize the window: every line fits, the header stays
  tmux('resize-window', '-t', SESSION, '-x', '100', '-y', '30');
  s = await waitForScreen((x) => x.split('\n').some((l) => /^╰─+╯$/.test(l) && l.length === 100), 'a 100-column frame');
  assert.ok(s.split('\n').every((l) => l.length <= 100));
  assert.match(s, /dann-doctor ─ label_shift/);

  keys('q');
  await waitForScreen((x) => x.includes('EXIT=0'), 'the CLI exiting with 0 after q');
});
