// The replay pane of the real binary in tmux on the bundled label_shift run: `--replay` on a terminal opens the pane
// and replays there with progress; Esc cancels and the UI stays live; r starts it again; Ctrl-C during a replay
// quits at once with 130. A short replay ends in the table (seed noise, verdicts, the caveat once).
// Needs tmux and a built dist/ (npm test builds first); no ../shared.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { FIXTURES } from '../helpers/shared.js';
import { BIN, tmuxSession, tmuxSkipReason, type TmuxSession } from '../helpers/tmux.js';

const RUN = join(FIXTURES, 'runs', 'label_shift');
/** Bounds for polls (not sleeps), generous for 2 cores shared by many sessions. */
const START_TIMEOUT_MS = 60_000;
const KEY_TIMEOUT_MS = 15_000;
const REPLAY_TIMEOUT_MS = 240_000;

const skip = tmuxSkipReason();

const dirs: string[] = [];
after(() => {
  for (const d of dirs) {
    tmuxSession(join(d, 'tmux.sock'), 'r').kill();
    rmSync(d, { recursive: true, force: true });
  }
});

/** A private tmux server running the binary with `args`; keys and screen captures go to it. */
function session(args: string): TmuxSession & { waitFor: TmuxSession['waitForScreen'] } {
  const cwd = mkdtempSync(join(tmpdir(), 'dann-doctor-replay-'));
  dirs.push(cwd);
  const t = tmuxSession(join(cwd, 'tmux.sock'), 'r', KEY_TIMEOUT_MS);
  t.tmux('new-session', '-d', '-s', 'r', '-x', '160', '-y', '45', '-c', cwd, `node ${BIN} ${RUN} --no-eval ${args}; echo "EXIT=$?"; sleep 60`);
  return { ...t, waitFor: t.waitForScreen };
}

test('--replay in the UI: progress, Esc cancels, the UI stays live, r replays again, Ctrl-C quits with 130', { skip, timeout: 4 * START_TIMEOUT_MS }, async () => {
  // far more steps than the test waits for: the replay is always still running when a key is sent
  const ui = session('--replay --replay-steps 100000 --replay-budget 10m');
  await ui.waitFor((s) => /Replay of candidate fixes/.test(s) && /replaying… \d+%\s+replay as configured \(seed 1\)/.test(s), 'the replay pane with progress of the first variant', START_TIMEOUT_MS);
  ui.keys('Escape');
  const back = await ui.waitFor((s) => s.includes('replay cancelled') && /Findings \(\d+\)/.test(s), 'the run view with "replay cancelled"');
  assert.doesNotMatch(back, /replaying…/);
  // the UI answers keys at once after the cancel (the replay no longer holds the main thread)
  ui.keys('j');
  await ui.waitFor((s) => /▸ ⚠ target-acc-degrading/.test(s), 'the findings cursor on the second finding after j');
  ui.keys('r');
  await ui.waitFor((s) => /replaying… \d+%\s+replay as configured \(seed 1\)/.test(s), 'the replay started again by r', START_TIMEOUT_MS);
  ui.keys('C-c');
  await ui.waitFor((s) => s.includes('EXIT='), 'the UI to quit on Ctrl-C during a replay', KEY_TIMEOUT_MS);
  assert.match(ui.screen(), /EXIT=130/);
});

test('a short replay in the UI ends in the table: variants, target acc ± seeds, verdicts, the caveat once', { skip, timeout: REPLAY_TIMEOUT_MS + START_TIMEOUT_MS }, async () => {
  const ui = session('--replay --replay-steps 12 --replay-budget 10m --try trade_off=0.3');
  const s = await ui.waitFor((x) => /algorithm=source-only, trade_off=0/.test(x) && /steps x up to/.test(x), 'the finished replay table', REPLAY_TIMEOUT_MS);
  assert.match(s, /variant\s+domain acc\s+target acc\s+source acc\s+A-distance\s+collapse\s+verdict/);
  assert.match(s, /as configured\s+.*reference point/);
  assert.match(s, /trade_off=0\.3\s+\d+\.\d% ± \d+\.\d/, 'domain accuracy with the seed noise of 3 seeds');
  assert.match(s, /algorithm=cdan\+e/);
  assert.equal(s.split('A replay trains only the bottleneck').length - 1, 1, 'the caveat once');
  assert.match(s, /12 steps x up to 3 seed\(s\) per variant/);
  // Esc closes the pane; r shows the finished replay again without replaying
  ui.keys('Escape');
  await ui.waitFor((x) => /Findings \(\d+\)/.test(x) && !x.includes('Replay of candidate fixes'), 'the run view');
  ui.keys('r');
  await ui.waitFor((x) => x.includes('Replay of candidate fixes') && /steps x up to/.test(x) && !/replaying…/.test(x), 'the same table, not a new replay');
  ui.keys('q');
  await ui.waitFor((x) => x.includes('EXIT='), 'the UI to quit');
  assert.match(ui.screen(), /EXIT=0/);
});
