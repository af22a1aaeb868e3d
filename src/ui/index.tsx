// Entry of the interactive terminal UI: renders a Report with Ink on a TTY and resolves with the exit code.
// Only src/cli.ts imports this (lazily), so the non-interactive path never loads Ink or React.
import { render } from 'ink';
import type { Report } from '../report/schema.js';
import type { CliIO } from '../output/cli-io.js';
import { App, type UiLoaders } from './App.js';
import { ThemeContext, colourEnabled } from './theme.js';
import { showControlsDeep } from '../output/terminal-safe.js';
import type { ExportFormat } from './state/ui-state.js';

export type { UiLoaders } from './App.js';
export { exportPath } from './export-path.js';

export interface StartUiOptions {
  io: CliIO;
  load?: UiLoaders;
  /** writes the report of one run as Markdown/HTML and resolves with the path written (see exportPath) */
  exportReport?: (format: ExportFormat, runId: string) => Promise<string>;
  /** `--replay` on a terminal: the UI replays the open run at once, in its replay pane */
  replayOnStart?: boolean;
  /** the folder exports are written to (shown in the export prompt; see exportDir) */
  exportDir?: string;
}

/** Exit code when the UI itself failed (an internal error, as for the rest of the CLI). */
const EXIT_INTERNAL = 2;
/** Alternate screen: the UI draws full-screen and the shell's scrollback is left as it was on quit. */
const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';

export async function startUi(raw: Report, opts: StartUiOptions): Promise<number> {
  const { io } = opts;
  // every string from a file (run, class, hyperparameter names, crash text) without control characters: Ink writes
  // strings to the terminal as they are, so `\x1b]0;...\x07` in a log would retitle the pane
  const report = showControlsDeep(raw);
  // the UI names runs by their shown ids; loaders and exports look runs up by the ids read
  const rawId = new Map(raw.runs.map((r, i) => [report.runs[i].id, r.id]));
  const idOf = (id: string) => rawId.get(id) ?? id;
  const src = opts.load;
  const load: UiLoaders | undefined = src && {
    evaluate: src.evaluate && (async (runId, signal) => showControlsDeep(await src.evaluate!(idOf(runId), signal))),
    tsne: src.tsne && (async (runId, onProgress, signal) => showControlsDeep(await src.tsne!(idOf(runId), onProgress, signal))),
    // the re-judged run replaces the shown one: shown ids and text, as for the rest of the report
    rejudge: src.rejudge && (async (runId, evaluation) => ({ ...showControlsDeep(await src.rejudge!(idOf(runId), evaluation)), id: runId })),
    replay: src.replay && (async (runId, onProgress, signal) => showControlsDeep(await src.replay!(idOf(runId), (label, f) => onProgress(showControlsDeep(label), f), signal))),
  };
  // every file written, said again on stderr after the UI closes (the footer line is gone with the alternate screen)
  const exported: string[] = [];
  const onExport = opts.exportReport && (async (format: ExportFormat, runId: string) => {
    const path = await opts.exportReport!(format, idOf(runId));
    exported.push(path);
    return path;
  });

  let code = 0;
  const stdout = io.stdout as NodeJS.WriteStream;
  const alt = io.isTTY;
  if (alt) stdout.write(ENTER_ALT_SCREEN);
  try {
    const instance = render(
      <ThemeContext.Provider value={{ color: colourEnabled(io.env) }}>
        <App report={report} load={load} onExport={onExport} exportDir={opts.exportDir} onExit={(c) => { code = c; }} start={{ replay: opts.replayOnStart === true }} />
      </ThemeContext.Provider>,
      {
        stdout,
        stdin: (io.stdin ?? process.stdin) as NodeJS.ReadStream,
        stderr: io.stderr as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: false,
      },
    );
    io.interrupted?.then((signalCode) => {
      code = typeof signalCode === 'number' ? signalCode : 130;
      instance.unmount();
    });
    await instance.waitUntilExit();
    return code;
  } catch (e) {
    io.stderr.write(`dann-doctor: the terminal UI failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return EXIT_INTERNAL;
  } finally {
    if (alt) stdout.write(LEAVE_ALT_SCREEN);
    for (const p of exported) io.stderr.write(`dann-doctor: exported ${p}\n`);
  }
}
