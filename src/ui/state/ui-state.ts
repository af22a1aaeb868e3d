// UI state and its reducer: every key press and background result becomes an action; pure, tested without Ink.
import type { Report } from '../../report/schema.js';
import type { EvalResults } from '../../model/types.js';
import type { ReplayReport } from '../../report/replay-schema.js';
import { runOrder, sortedFindings, curvesOf, perClassView } from './report-view.js';
import { keyToAction, type KeyPress } from './keys.js';

/** What the t-SNE callback gives back (2-D points with labels and domains): the plot module's type, one definition. */
import type { DrawnEmbedding } from '../../tsne/embed-features.js';

export type Load<T> =
  | { status: 'loading'; progress?: number }
  | { status: 'done'; value: T | null }
  | { status: 'error'; message: string };

export type PaneId = 'runs' | 'findings' | 'curves' | 'perClass' | 'tsne';
/** Panes Tab cycles through inside one run (the run list is reached with Esc). */
export const RUN_PANES: PaneId[] = ['findings', 'curves', 'perClass', 'tsne'];

export type ExportFormat = 'markdown' | 'html';

/** The replay of one run (`r`): running with progress, finished, failed, or cancelled by the user. */
export type ReplayLoad =
  /** gen: which start this is (a late answer from a cancelled replay of the same run is ignored) */
  | { status: 'loading'; progress: number; label: string; gen: number }
  | { status: 'done'; value: ReplayReport | null }
  | { status: 'error'; message: string }
  | { status: 'cancelled' };

export interface UiState {
  /** report.runs indices, worst first */
  order: number[];
  /** cursor in `order` on the run list */
  runCursor: number;
  /** report.runs index of the open run; null while the run list is shown */
  active: number | null;
  focus: PaneId;
  findingCursor: number;
  curveCursor: number;
  perClassScroll: number;
  /** Enter: the focused pane fills the screen */
  zoomed: boolean;
  tsneColour: 'class' | 'domain';
  help: boolean;
  /** 'e' pressed: waiting for m/h */
  exportPrompt: boolean;
  exporting: boolean;
  /** set by m/h in the export prompt; the app performs the export and answers with exportDone/exportFailed */
  exportRequest: ExportFormat | null;
  /** set by q / Ctrl-C: the app exits with this code */
  quit: number | null;
  /** q pressed while an export was being written: quit once it is written (or failed, so the user sees why) */
  quitAfterExport: boolean;
  /** one line in the footer: export path, errors */
  message: string | null;
  evaluation: Record<string, Load<EvalResults>>;
  tsne: Record<string, Load<DrawnEmbedding>>;
  /** the replay pane is shown over the open run */
  replayOpen: boolean;
  /** a replay the app should start (a new object per start): it answers with replayProgress/Done/Failed of that gen */
  replayRequest: { runId: string; gen: number } | null;
  /** replays started so far */
  replayGen: number;
  /** per run id; a replay whose entry leaves 'loading' (Esc, q) is aborted by the app */
  replay: Record<string, ReplayLoad>;
}

/** What the UI starts with beyond the report. */
export interface UiStart {
  /** `--replay` on a terminal: open the replay pane and start the replay of the (single) open run at once */
  replay?: boolean;
}

export type Action =
  /** a key press, interpreted against the state current when it is reduced (never a stale render's) */
  | { type: 'key'; input: string; key: KeyPress }
  | { type: 'move'; delta: number }
  | { type: 'moveTo'; where: 'first' | 'last' }
  | { type: 'focusNext' }
  | { type: 'focusPrev' }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'tsneColour'; colour: 'class' | 'domain' }
  | { type: 'toggleHelp' }
  | { type: 'exportPrompt' }
  | { type: 'exportCancel' }
  | { type: 'exportDone'; path: string }
  | { type: 'exportFailed'; message: string }
  | { type: 'evalStarted'; runId: string }
  | { type: 'evalDone'; runId: string; value: EvalResults | null }
  | { type: 'evalFailed'; runId: string; message: string }
  | { type: 'tsneStarted'; runId: string }
  | { type: 'tsneProgress'; runId: string; fraction: number }
  | { type: 'tsneDone'; runId: string; value: DrawnEmbedding | null }
  | { type: 'tsneFailed'; runId: string; message: string }
  /** `r`: show the replay pane; start a replay unless one is running or finished */
  | { type: 'replayOpen' }
  /** `r` inside the pane: replay again (once the last one finished, failed or was cancelled) */
  | { type: 'replayAgain' }
  /** Esc in the replay pane: close it, cancelling a replay still running */
  | { type: 'replayClose' }
  | { type: 'replayProgress'; runId: string; gen: number; fraction: number; label: string }
  | { type: 'replayDone'; runId: string; gen: number; value: ReplayReport | null }
  | { type: 'replayFailed'; runId: string; gen: number; message: string };

export function initialState(report: Report, start: UiStart = {}): UiState {
  const order = runOrder(report);
  const single = report.runs.length === 1;
  const s: UiState = {
    order,
    runCursor: 0,
    active: single ? 0 : null,
    focus: single ? 'findings' : 'runs',
    findingCursor: 0,
    curveCursor: 0,
    perClassScroll: 0,
    zoomed: false,
    tsneColour: 'class',
    help: false,
    exportPrompt: false,
    exporting: false,
    exportRequest: null,
    quit: null,
    quitAfterExport: false,
    // inputs that failed while others loaded: said at once, not left for the user to discover
    message: report.errors.length
      ? `${report.errors.length} input error${report.errors.length > 1 ? 's' : ''}: ${report.errors[0].path}: ${report.errors[0].message}`
      : null,
    evaluation: {},
    tsne: {},
    replayOpen: false,
    replayRequest: null,
    replayGen: 0,
    replay: {},
  };
  return start.replay && single ? startReplay(report, s) : s;
}

/** Opens the replay pane on the open run and asks the app to start a replay (the run's own result, if the report has one, stays shown until a new one finishes). */
function startReplay(report: Report, s: UiState): UiState {
  if (s.active === null) return s;
  const runId = report.runs[s.active].id;
  const gen = s.replayGen + 1;
  return { ...s, replayOpen: true, replayGen: gen, replayRequest: { runId, gen }, replay: { ...s.replay, [runId]: { status: 'loading', progress: 0, label: 'starting the replay', gen } }, message: null };
}

/** A replay still running is cancelled (the app aborts it when its entry leaves 'loading'). */
function cancelReplay(s: UiState, runId: string): UiState {
  if (s.replay[runId]?.status !== 'loading') return s;
  return { ...s, replayRequest: s.replayRequest?.runId === runId ? null : s.replayRequest, replay: { ...s.replay, [runId]: { status: 'cancelled' } }, message: 'replay cancelled' };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** How many rows the focused list has (the cursor wraps within it). */
function listLength(report: Report, s: UiState): number {
  if (s.focus === 'runs') return report.runs.length;
  if (s.active === null) return 0;
  const run = report.runs[s.active];
  if (s.focus === 'findings') return sortedFindings(run).length;
  if (s.focus === 'curves') return curvesOf(run).length;
  if (s.focus === 'perClass') {
    const ev = s.evaluation[run.id];
    return perClassView(run, ev?.status === 'done' ? ev.value ?? undefined : undefined)?.names.length ?? 0;
  }
  return 0;
}

function moveCursor(report: Report, s: UiState, next: (cur: number, len: number) => number): UiState {
  const len = listLength(report, s);
  if (len === 0) return s;
  switch (s.focus) {
    case 'runs': return { ...s, runCursor: clamp(next(s.runCursor, len), 0, len - 1) };
    case 'findings': return { ...s, findingCursor: clamp(next(s.findingCursor, len), 0, len - 1) };
    case 'curves': return { ...s, curveCursor: clamp(next(s.curveCursor, len), 0, len - 1) };
    case 'perClass': return { ...s, perClassScroll: clamp(next(s.perClassScroll, len), 0, len - 1) };
    default: return s;
  }
}

function cycleFocus(s: UiState, dir: 1 | -1): UiState {
  if (s.active === null) return s;
  const i = RUN_PANES.indexOf(s.focus);
  const next = RUN_PANES[(i + dir + RUN_PANES.length) % RUN_PANES.length];
  return { ...s, focus: next };
}

function openRun(s: UiState, index: number): UiState {
  return { ...s, active: index, focus: 'findings', findingCursor: 0, curveCursor: 0, perClassScroll: 0, zoomed: false };
}

export function reduce(report: Report, s: UiState, a: Action): UiState {
  switch (a.type) {
    case 'key': {
      if (s.quit !== null) return s;
      const r = keyToAction(a.input, a.key, s);
      if (!r) return s;
      if (r.type === 'quit') {
        // leaving cancels a replay still running (the app aborts it; unmounting aborts the rest)
        for (const id of Object.keys(s.replay)) s = cancelReplay(s, id);
        // a plain q never drops an export half-written: wait for it (Ctrl-C still leaves at once)
        if (s.exporting && r.code === 0) return { ...s, quitAfterExport: true, message: `${s.message ?? 'exporting…'} quitting once it is written` };
        return { ...s, quit: r.code };
      }
      if (r.type === 'export') {
        if (s.active === null || s.exporting) return { ...s, exportPrompt: false };
        return { ...s, exportPrompt: false, exporting: true, exportRequest: r.format, message: `exporting ${r.format}…` };
      }
      return reduce(report, s, r);
    }
    case 'move': return moveCursor(report, s, (cur) => cur + a.delta);
    case 'moveTo': return moveCursor(report, s, (_cur, len) => (a.where === 'first' ? 0 : len - 1));
    case 'focusNext': return cycleFocus({ ...s, zoomed: false }, 1);
    case 'focusPrev': return cycleFocus({ ...s, zoomed: false }, -1);
    case 'open':
      if (s.focus === 'runs') return s.order.length ? openRun(s, s.order[s.runCursor]) : s;
      return { ...s, zoomed: !s.zoomed };
    case 'back':
      if (s.help) return { ...s, help: false };
      if (s.exportPrompt) return { ...s, exportPrompt: false };
      if (s.zoomed) return { ...s, zoomed: false };
      if (report.runs.length > 1 && s.active !== null) return { ...s, active: null, focus: 'runs' };
      return s;
    case 'tsneColour': return { ...s, tsneColour: a.colour };
    case 'toggleHelp': return { ...s, help: !s.help };
    case 'exportPrompt': return s.active === null || s.exporting ? s : { ...s, exportPrompt: true, message: null };
    case 'exportCancel': return { ...s, exportPrompt: false };
    case 'exportDone': return { ...s, exporting: false, exportRequest: null, message: `exported to ${a.path}`, ...(s.quitAfterExport ? { quit: 0 } : {}) };
    // a failed export does not quit even when q was pressed: the user needs to read why
    case 'exportFailed': return { ...s, exporting: false, exportRequest: null, quitAfterExport: false, message: `export failed: ${a.message}` };
    case 'evalStarted': return { ...s, evaluation: { ...s.evaluation, [a.runId]: { status: 'loading' } } };
    case 'evalDone': return { ...s, evaluation: { ...s.evaluation, [a.runId]: { status: 'done', value: a.value } } };
    case 'evalFailed': return { ...s, evaluation: { ...s.evaluation, [a.runId]: { status: 'error', message: a.message } } };
    case 'tsneStarted': return { ...s, tsne: { ...s.tsne, [a.runId]: { status: 'loading', progress: 0 } } };
    case 'tsneProgress': {
      const cur = s.tsne[a.runId];
      // a late progress tick must not turn a finished result back into "loading"
      if (cur && cur.status !== 'loading') return s;
      return { ...s, tsne: { ...s.tsne, [a.runId]: { status: 'loading', progress: clamp(a.fraction, 0, 1) } } };
    }
    case 'tsneDone': return { ...s, tsne: { ...s.tsne, [a.runId]: { status: 'done', value: a.value } } };
    case 'tsneFailed': return { ...s, tsne: { ...s.tsne, [a.runId]: { status: 'error', message: a.message } } };
    case 'replayOpen': {
      if (s.active === null) return s;
      const runId = report.runs[s.active].id;
      const cur = s.replay[runId];
      // a replay running or finished (here or by --replay before the UI) is shown, not started again
      if (cur?.status === 'loading' || cur?.status === 'done' || (!cur && report.runs[s.active].replay)) return { ...s, replayOpen: true, zoomed: false };
      return startReplay(report, { ...s, zoomed: false });
    }
    case 'replayAgain': {
      if (s.active === null || s.replay[report.runs[s.active].id]?.status === 'loading') return s;
      return startReplay(report, s);
    }
    case 'replayClose': {
      if (s.active === null) return { ...s, replayOpen: false };
      return { ...cancelReplay(s, report.runs[s.active].id), replayOpen: false };
    }
    case 'replayProgress':
    case 'replayDone':
    case 'replayFailed': {
      const cur = s.replay[a.runId];
      // a late answer must not revive a cancelled replay or overwrite a newer one
      if (cur?.status !== 'loading' || cur.gen !== a.gen) return s;
      const next: ReplayLoad = a.type === 'replayProgress' ? { ...cur, progress: clamp(a.fraction, 0, 1), label: a.label }
        : a.type === 'replayDone' ? { status: 'done', value: a.value } : { status: 'error', message: a.message };
      return { ...s, replay: { ...s.replay, [a.runId]: next } };
    }
  }
}
