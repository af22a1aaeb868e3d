// Drives the real binary's terminal UI in a private tmux server, as a person at a terminal would: one copy of the
// socket, environment, key and screen-polling code for every tmux e2e test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

export const BIN = join(REPO_ROOT, 'bin/dann-doctor.js');
/** The UI bundle the binary loads: npm test builds dist/ first. */
export const BUILT_UI = join(REPO_ROOT, 'dist/src/ui/index.js');
/** Screen polls (not sleeps) look again this often. */
export const POLL_MS = 100;
export const DEFAULT_KEY_TIMEOUT_MS = 10_000;

/** Why a tmux e2e test cannot run here (tmux missing, dist/ not built), or false. */
export function tmuxSkipReason(): string | false {
  if (spawnSync('tmux', ['-V']).status !== 0) return 'tmux is not installed (apt-get install tmux): the terminal UI e2e tests need it';
  if (!existsSync(BUILT_UI)) return 'dist/ is not built: run `node scripts/build.mjs` (npm test does) before this test';
  return false;
}

/** The environment without CI markers: the CLI and Ink both turn the interactive UI off in CI. */
export function interactiveEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k === 'BUILD_NUMBER' || k === 'RUN_ID' || k.startsWith('CI_')) delete env[k];
  return env;
}

export interface TmuxSession {
  /** any tmux command against this server (throws with tmux's stderr when it fails) */
  tmux(...args: string[]): string;
  screen(): string;
  keys(...keys: string[]): void;
  /** polls the screen until `pred` holds; the error shows the last screen */
  waitForScreen(pred: (s: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** stops the private server (never a user's) */
  kill(): void;
}

/**
 * Session `name` on the private server at `socket` (a path inside the test's temp dir), or at the path a function
 * gives when called (tests that make their temp dir in `before`).
 */
export function tmuxSession(socket: string | (() => string), name: string, keyTimeoutMs = DEFAULT_KEY_TIMEOUT_MS): TmuxSession {
  const at = typeof socket === 'string' ? () => socket : socket;
  const tmux = (...args: string[]): string => {
    const r = spawnSync('tmux', ['-S', at(), ...args], { encoding: 'utf8', env: interactiveEnv() });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const screen = () => tmux('capture-pane', '-p', '-t', name);
  return {
    tmux,
    screen,
    keys: (...k: string[]) => void tmux('send-keys', '-t', name, ...k),
    async waitForScreen(pred, what, timeoutMs = keyTimeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (pred(s)) return s;
        if (Date.now() > deadline) throw new Error(`screen never showed ${what} within ${timeoutMs} ms; it shows:\n${s}`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    kill: () => void spawnSync('tmux', ['-S', at(), 'kill-server']),
  };
}
