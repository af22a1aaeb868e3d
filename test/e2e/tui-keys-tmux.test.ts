// The real binary's terminal UI in tmux on the bundled run: keys typed before the first frame and several keys in
// one read are all applied, the header and export follow the background evaluation (re-judged report), and q while
// an export is being written waits for it. Needs tmux and a built dist/ (npm test builds first); no ../shared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { FIXTURES } from '../helpers/shared.js';
import { BIN, tmuxSession, tmuxSkipReason } from '../helpers/tmux.js';

const RUN = join(FIXTURES, 'runs', 'label_shift');
const SESSION = 'keys';
/** Bounds for polls (not sleeps): evaluation of this run takes ~30 s alone, ~60-90 s beside t-SNE on 2 busy cores. */
const START_TIMEOUT_MS = 30_000;
const KEY_TIMEOUT_MS = 10_000;
const EVAL_TIMEOUT_MS = 240_000;

const skip = tmuxSkipReason();

let socket = '';
let cwd = '';

const { tmux, screen, waitForScreen, kill } = tmuxSession(() => socket, SESSION, KEY_TIMEOUT_MS);

before(() => {
  if (skip) return;
  cwd = mkdtempSync(join(tmpdir(), 'dann-doctor-keys-'));
  socket = join(cwd, 'tmux.sock');
  tmux('new-session', '-d', '-s', SESSION, '-x', '160', '-y', '45', '-c', cwd, `node ${BIN} ${RUN}; echo "EXIT=$?"; sleep 60`);
  // typed while the run is still being read, before Ink has drawn anything or put the terminal in raw mode
  tmux('send-keys', '-t', SESSION, 'j', 'j');
});

after(() => {
  if (skip) return;
  kill();
  rmSync(cwd, { recursive: true, force: true });
});

test('UI keys, re-judged evaluation and export in tmux', { skip, timeout: EVAL_TIMEOUT_MS + 60_000 }, async () => {
  // 1. the two j typed before the first frame both moved the cursor: third finding selected
  await waitForScreen((s) => s.includes('Findings (3)'), 'the findings pane', START_TIMEOUT_MS);
  await waitForScreen((s) => /▸ ℹ oracle-model-selection/.test(s), 'the cursor two rows down (keys typed before the first frame)');
  // 2. three k in one write: one read of "kkk", three moves (clamped at the top)
  tmux('send-keys', '-t', SESSION, '-l', 'kkk');
  await waitForScreen((s) => /▸ ✖ per-class-imbalance/.test(s), 'the cursor back on the first finding');
  tmux('send-keys', '-t', SESSION, '-l', 'jj');
  await waitForScreen((s) => /▸ ℹ oracle-model-selection/.test(s), 'jj in one read moving two rows');

  // 3. the background evaluation re-judges the run: the header's confidence becomes the one `--eval` gives
  const cli = spawnSync(process.execPath, [BIN, RUN, '--eval', '--format', 'json'], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: EVAL_TIMEOUT_MS });
  const withEval = JSON.parse(cli.stdout).runs[0].causes[0] as { id: string; confidence: number };
  const header = `likely cause: ${withEval.id} (confidence ${withEval.confidence.toFixed(2)})`;
  const s = await waitForScreen((x) => x.includes(header), `"${header}" in the header after evaluation`, EVAL_TIMEOUT_MS);
  assert.doesNotMatch(s, /features\.npz not evaluated/);

  // 4. export HTML and press q while it is written: the UI waits, writes, then quits with 0
  tmux('send-keys', '-t', SESSION, 'e');
  await waitForScreen((x) => /m Markdown|h HTML/i.test(x), 'the export prompt');
  tmux('send-keys', '-t', SESSION, 'h', 'q');
  await waitForScreen((x) => x.includes('EXIT='), 'the UI to quit after the export', 60_000);
  assert.match(screen(), /EXIT=0/);
  const written = readdirSync(cwd).filter((f) => f.endsWith('.html'));
  assert.equal(written.length, 1, `exported files in ${cwd}: ${readdirSync(cwd).join(', ')}`);
  const html = readFileSync(join(cwd, written[0]), 'utf8');
  assert.ok(html.includes(`(confidence ${withEval.confidence.toFixed(2)})`), 'the export carries the re-judged verdict');
});
