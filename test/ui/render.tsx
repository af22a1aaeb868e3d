// The one test-render helper for the UI: mounts <App> with ink-testing-library, sizes the fake terminal (and
// resizes it like a real one), sends keys, and waits for frames with a bounded poll (no fixed sleeps).
import { render } from 'ink-testing-library';
import type { Report } from '../../src/report/schema.js';
import { App, type UiLoaders, type AppProps } from '../../src/ui/App.js';
import { ThemeContext } from '../../src/ui/theme.js';

/** Escape sequences a terminal sends for the keys the UI binds. */
export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  ctrlC: '\u0003',
} as const;

/** Upper bound for a frame to show up; generous because 2 shared cores run every engineer's tests. */
export const FRAME_TIMEOUT_MS = 5000;
const POLL_MS = 5;

export interface Rendered {
  lastFrame(): string;
  /** writes each key, waiting for Ink to process it */
  press(...keys: string[]): Promise<void>;
  /** polls lastFrame() until `pred` holds (string = substring); throws with the last frame after the timeout */
  waitFor(pred: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  /** changes the fake terminal's size and emits 'resize', as a terminal emulator does */
  resize(columns: number, rows: number): Promise<void>;
  exitCode(): number | undefined;
  unmount(): void;
}

export interface RenderOptions {
  columns?: number;
  rows?: number;
  color?: boolean;
  load?: UiLoaders;
  onExport?: AppProps['onExport'];
}

/** Frame text without colour/style codes, for measuring widths. */
export function plain(frame: string): string {
  return frame.replace(/\u001B\[[0-9;]*m/g, '');
}

function tick(): Promise<void> {
  return new Promise((r) => setTimeout(r, POLL_MS));
}

/** Mounts the app at `columns`×`rows` (default 160×45, the size the e2e tmux test uses) and waits for the first frame. */
export async function renderApp(report: Report, opts: RenderOptions = {}): Promise<Rendered> {
  let code: number | undefined;
  const inst = render(
    <ThemeContext.Provider value={{ color: opts.color ?? false }}>
      <App report={report} load={opts.load} onExport={opts.onExport} onExit={(c) => { code = c; }} />
    </ThemeContext.Provider>,
  );
  const frame = () => inst.lastFrame() ?? '';
  const waitFor: Rendered['waitFor'] = async (pred, timeoutMs = FRAME_TIMEOUT_MS) => {
    const test = typeof pred === 'string' ? (f: string) => f.includes(pred) : pred instanceof RegExp ? (f: string) => pred.test(f) : pred;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (test(f)) return f;
      if (Date.now() > deadline) throw new Error(`frame never matched ${String(pred)}; last frame:\n${f}`);
      await tick();
    }
  };
  const resize = async (columns: number, rows: number) => {
    // ink-testing-library's stdout reports 100 columns and no rows; a real TTY reports both and emits 'resize'
    Object.defineProperty(inst.stdout, 'columns', { configurable: true, get: () => columns });
    Object.defineProperty(inst.stdout, 'rows', { configurable: true, get: () => rows });
    inst.stdout.emit('resize');
    // the app's footer spans the full width once it has re-laid out; wait for a frame that wide
    await waitFor((f) => plain(f).split('\n').some((l) => l.length === columns));
  };
  const r: Rendered = {
    lastFrame: frame,
    async press(...keys: string[]) {
      for (const k of keys) {
        inst.stdin.write(k);
        // Ink parses input on 'readable' and React commits on a later tick: let both run before the next key
        await tick();
      }
    },
    waitFor,
    resize,
    exitCode: () => code,
    unmount: () => inst.unmount(),
  };
  await resize(opts.columns ?? 160, opts.rows ?? 45);
  return r;
}
