// The Ink app: wires the reducer to keys, background loads (evaluation, t-SNE) and the terminal size, and lays
// out the presentational panes. All decisions live in state/; this file only connects them.
import { useEffect, useReducer, useRef, useState, type ReactNode } from 'react';
import { Box, Text, useApp, useInput, useStdin, useStdout } from 'ink';
import type { Report, RunReport } from '../report/schema.js';
import type { EvalResults } from '../model/types.js';
import { initialState, reduce, type UiState, type Action, type ExportFormat, type UiStart } from './state/ui-state.js';
import type { DrawnEmbedding } from '../tsne/embed-features.js';
import type { ReplayReport } from '../report/replay-schema.js';
import { splitKeys } from './state/keys.js';
import { computeLayout, findingsListWidth, type Layout } from './state/layout.js';
import { sortedFindings, findingEpochRange, severityCounts, isHealthy } from './state/report-view.js';
import { Header } from './components/Header.js';
import { FindingsList } from './components/FindingsList.js';
import { FindingDetail } from './components/FindingDetail.js';
import { CurvesPane } from './components/CurvesPane.js';
import { PerClassPane } from './components/PerClassPane.js';
import { TsnePane } from './components/TsnePane.js';
import { RunList } from './components/RunList.js';
import { RunPreview } from './components/RunPreview.js';
import { HelpPane } from './components/HelpPane.js';
import { ReplayPane } from './components/ReplayPane.js';
import { Footer } from './components/Footer.js';
import { useTheme, accent, severityColour } from './theme.js';

/**
 * Background work the CLI offers. `signal` aborts when the UI quits, so a loader can stop its worker and let the
 * process exit (a loader that ignores it keeps Node alive until it finishes).
 */
export interface UiLoaders {
  evaluate?: (runId: string, signal?: AbortSignal) => Promise<EvalResults | null>;
  tsne?: (runId: string, onProgress: (fraction: number) => void, signal?: AbortSignal) => Promise<DrawnEmbedding | null>;
  /**
   * The run's report judged again with the evaluation's results (per-class accuracy, predictions, domain probe):
   * the header's verdict and confidence, the findings and the export then say what the CLI with --eval says.
   */
  rejudge?: (runId: string, evaluation: EvalResults) => Promise<RunReport>;
  /**
   * `r`: the run's game and its candidate fixes replayed on the frozen features (null: no dump to replay on). It
   * yields to the event loop every few steps, so keys and progress stay live; `signal` cancels it (AbortError).
   */
  replay?: (runId: string, onProgress: (label: string, fraction: number) => void, signal: AbortSignal) => Promise<ReplayReport | null>;
}

export interface AppProps {
  report: Report;
  load?: UiLoaders;
  /** writes the export and resolves with the path written */
  onExport?: (format: ExportFormat, runId: string) => Promise<string>;
  /** where exports go, said in the export prompt before anything is written */
  exportDir?: string;
  /** called once with the exit code when the user quits */
  onExit?: (code: number) => void;
  /** what to do at once (`--replay` on a terminal: replay the open run) */
  start?: UiStart;
}

/** Fallback size when stdout does not say (pipes, test streams): the classic 80×24. */
const DEFAULT_COLUMNS = 80;
const DEFAULT_ROWS = 24;
/** Progress ticks closer than this are not worth a re-render. */
const PROGRESS_STEP = 0.01;

/** The terminal size, followed on 'resize' (Ink re-lays out on its own; this re-runs our layout maths). */
function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || DEFAULT_COLUMNS, rows: stdout.rows || DEFAULT_ROWS });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** Seconds since `active` became true (0 otherwise), ticking once a second so long work visibly progresses. */
function useElapsed(active: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!active) return;
    setSeconds(0);
    const started = Date.now();
    const t = setInterval(() => setSeconds(Math.round((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(t);
  }, [active]);
  return active ? seconds : 0;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Starts evaluation and t-SNE for the open run, once per run, and feeds results back as actions. */
function useBackgroundLoads(report: Report, state: UiState, dispatch: (a: Action) => void, load: UiLoaders | undefined, onRejudged: (run: RunReport) => void) {
  const started = useRef(new Set<string>());
  const alive = useRef(true);
  const abort = useRef(new AbortController());
  useEffect(() => () => {
    alive.current = false;
    abort.current.abort();
  }, []);
  useEffect(() => {
    if (state.active === null || !load) return;
    const runId = report.runs[state.active].id;
    const safe = (a: Action) => {
      if (alive.current) dispatch(a);
    };
    if (load.evaluate && !started.current.has(`eval:${runId}`)) {
      started.current.add(`eval:${runId}`);
      safe({ type: 'evalStarted', runId });
      const evaluate = load.evaluate;
      // after this effect returns, so the "evaluating" frame is drawn before any synchronous work in the loader
      setImmediate(() => {
        if (!alive.current) return;
        evaluate(runId, abort.current.signal).then(
          (value) => {
            safe({ type: 'evalDone', runId, value });
            if (value && load.rejudge) {
              load.rejudge(runId, value).then(
                (judged) => alive.current && onRejudged(judged),
                (e) => safe({ type: 'evalFailed', runId, message: `re-judging with the evaluation failed: ${message(e)}` }),
              );
            }
          },
          (e) => safe({ type: 'evalFailed', runId, message: message(e) }),
        );
      });
    }
    if (load.tsne && !started.current.has(`tsne:${runId}`)) {
      started.current.add(`tsne:${runId}`);
      safe({ type: 'tsneStarted', runId });
      let last = 0;
      const onProgress = (fraction: number) => {
        if (Math.abs(fraction - last) < PROGRESS_STEP && fraction < 1) return;
        last = fraction;
        safe({ type: 'tsneProgress', runId, fraction });
      };
      const tsne = load.tsne;
      setImmediate(() => {
        if (!alive.current) return;
        tsne(runId, onProgress, abort.current.signal).then(
          (value) => safe({ type: 'tsneDone', runId, value }),
          (e) => safe({ type: 'tsneFailed', runId, message: message(e) }),
        );
      });
    }
  }, [state.active, load, report]);
}

/**
 * Starts the replay the reducer asks for and feeds its progress and result back; aborts a replay whose entry left
 * 'loading' (Esc, q, a newer start) and every replay when the UI unmounts (Ctrl-C, quit).
 */
function useReplays(state: UiState, dispatch: (a: Action) => void, load: UiLoaders | undefined) {
  const running = useRef(new Map<string, { gen: number; controller: AbortController }>());
  const alive = useRef(true);
  useEffect(() => () => {
    alive.current = false;
    for (const r of running.current.values()) r.controller.abort();
  }, []);
  useEffect(() => {
    const req = state.replayRequest;
    if (!req) return;
    const { runId, gen } = req;
    const safe = (a: Action) => {
      if (alive.current) dispatch(a);
    };
    running.current.get(runId)?.controller.abort();
    if (!load?.replay) {
      safe({ type: 'replayFailed', runId, gen, message: 'replay is not available here' });
      return;
    }
    const controller = new AbortController();
    running.current.set(runId, { gen, controller });
    let last = -1;
    let lastLabel = '';
    const onProgress = (label: string, fraction: number) => {
      // a new variant or seed is always shown; ticks within one only when they move the bar
      if (label === lastLabel && Math.abs(fraction - last) < PROGRESS_STEP && fraction < 1) return;
      last = fraction;
      lastLabel = label;
      safe({ type: 'replayProgress', runId, gen, label, fraction });
    };
    const replay = load.replay;
    // after this effect returns, so the "replaying" frame is drawn before the replay's first synchronous work
    setImmediate(() => {
      if (!alive.current || controller.signal.aborted) return;
      replay(runId, onProgress, controller.signal).then(
        (value) => safe({ type: 'replayDone', runId, gen, value }),
        (e) => { if ((e as Error)?.name !== 'AbortError') safe({ type: 'replayFailed', runId, gen, message: message(e) }); },
      ).finally(() => {
        if (running.current.get(runId)?.gen === gen) running.current.delete(runId);
      });
    });
  }, [state.replayRequest]);
  useEffect(() => {
    for (const [runId, r] of running.current) {
      const cur = state.replay[runId];
      if (cur?.status !== 'loading' || cur.gen !== r.gen) {
        r.controller.abort();
        running.current.delete(runId);
      }
    }
  }, [state.replay]);
}

function RunsHeader({ report, width }: { report: Report; width: number }) {
  const theme = useTheme();
  const bad = report.runs.filter((r) => severityCounts(r).error > 0).length;
  const warn = report.runs.filter((r) => severityCounts(r).error === 0 && severityCounts(r).warn > 0).length;
  const healthy = report.runs.filter(isHealthy).length;
  return (
    <Box borderStyle="round" borderColor={accent(theme, 'gray')} width={width} height={6} flexDirection="column" flexShrink={0}>
      <Text wrap="truncate-end"><Text bold>dann-doctor</Text> ─ {report.runs.length} runs</Text>
      <Text wrap="truncate-end">
        <Text color={severityColour(theme, 'error')}>✖ {bad} with errors</Text>  <Text color={severityColour(theme, 'warn')}>⚠ {warn} with warnings</Text>  <Text color={severityColour(theme, 'ok')}>✔ {healthy} healthy</Text>
      </Text>
      <Text wrap="truncate-end" dimColor>{report.errors.length ? `${report.errors.length} input error(s), listed under the runs` : 'pick a run with ↑↓ and Enter'}</Text>
    </Box>
  );
}

export function App({ report: initialReport, load, onExport, exportDir, onExit, start }: AppProps) {
  const { exit } = useApp();
  // the report as judged so far: a run's entry is replaced once its background evaluation is judged in
  const [report, setReport] = useState(initialReport);
  const onRejudged = (judged: RunReport) => setReport((cur) => ({ ...cur, runs: cur.runs.map((r) => (r.id === judged.id ? judged : r)) }));
  const [state, dispatch] = useReducer((s: UiState, a: Action) => reduce(report, s, a), report, (r) => initialState(r, start));
  const size = useTerminalSize();
  useBackgroundLoads(report, state, dispatch, load, onRejudged);
  useReplays(state, dispatch, load);
  const run = state.active !== null ? report.runs[state.active] : undefined;
  const evaluation = run ? state.evaluation[run.id] : undefined;
  const elapsed = useElapsed(evaluation?.status === 'loading');

  // side effects the reducer asked for: exit, export
  useEffect(() => {
    if (state.quit === null) return;
    onExit?.(state.quit);
    exit();
  }, [state.quit]);
  useEffect(() => {
    const format = state.exportRequest;
    if (!format || !run) return;
    if (!onExport) {
      dispatch({ type: 'exportFailed', message: 'export is not available here' });
      return;
    }
    onExport(format, run.id).then(
      (path) => dispatch({ type: 'exportDone', path }),
      (e) => dispatch({ type: 'exportFailed', message: message(e) }),
    );
  }, [state.exportRequest]);

  // keys need raw mode; on a stdin that cannot do it (a pipe, CI) the UI still draws instead of failing on
  // Ink's "raw mode is not supported" and the caller ends it (signal or unmount)
  const { isRawModeSupported } = useStdin();
  useInput((input, key) => {
    for (const k of splitKeys(input, key)) dispatch({ type: 'key', input: k.input, key: k.key });
  }, { isActive: isRawModeSupported });

  const layout: Layout = computeLayout(size.columns, size.rows, state.focus, state.zoomed, state.active === null);
  const bodyHeight = layout.panes.reduce((h, p) => (p.row === 0 ? Math.max(h, p.box.height) : h), 0) +
    layout.panes.reduce((h, p) => (p.row === 1 ? Math.max(h, p.box.height) : h), 0);

  let body: ReactNode;
  if (state.help) {
    body = <HelpPane width={layout.columns} height={bodyHeight} />;
  } else if (run && state.replayOpen) {
    body = <ReplayPane load={state.replay[run.id]} stored={run.replay} width={layout.columns} height={bodyHeight} />;
  } else if (!run) {
    const preview = report.runs[state.order[state.runCursor]];
    body = (
      <Box>
        {layout.panes.map((p) =>
          p.id === 'runs'
            ? <RunList key="runs" report={report} order={state.order} cursor={state.runCursor} focused width={p.box.width} height={p.box.height} />
            : preview ? <RunPreview key="preview" run={preview} width={p.box.width} height={p.box.height} /> : null,
        )}
      </Box>
    );
  } else {
    const findings = sortedFindings(run);
    const selected = findings[state.findingCursor];
    const range = findingEpochRange(run, selected);
    const paneOf = (p: Layout['panes'][number]) => {
      const focused = state.focus === p.id;
      const { width, height } = p.box;
      switch (p.id) {
        case 'findings': {
          if (width < 80) {
            // too narrow for side by side: list above, detail below
            const listH = Math.max(4, Math.min(findings.length + 3, Math.floor(height / 3)));
            return (
              <Box key="findings" flexDirection="column">
                <FindingsList findings={findings} cursor={state.findingCursor} focused={focused} width={width} height={listH} />
                <FindingDetail run={run} finding={selected} focused={false} width={width} height={height - listH} />
              </Box>
            );
          }
          const listW = findingsListWidth(width);
          return (
            <Box key="findings">
              <FindingsList findings={findings} cursor={state.findingCursor} focused={focused} width={listW} height={height} />
              <FindingDetail run={run} finding={selected} focused={false} zoomed={state.zoomed} width={width - listW} height={height} />
            </Box>
          );
        }
        case 'curves':
          return <CurvesPane key="curves" run={run} cursor={state.curveCursor} range={range} focused={focused} zoomed={state.zoomed} width={width} height={height} />;
        case 'perClass':
          return <PerClassPane key="perClass" run={run} evaluation={evaluation} cursor={state.perClassScroll} focused={focused} width={width} height={height} />;
        case 'tsne':
          return <TsnePane key="tsne" tsne={state.tsne[run.id]} available={Boolean(load?.tsne)} colour={state.tsneColour} focused={focused} width={width} height={height} />;
        default:
          return null;
      }
    };
    const top = layout.panes.filter((p) => p.row === 0);
    const bottom = layout.panes.filter((p) => p.row === 1);
    body = (
      <Box flexDirection="column">
        <Box>{top.map(paneOf)}</Box>
        {bottom.length ? <Box>{bottom.map(paneOf)}</Box> : null}
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={layout.columns}>
      {run
        ? <Header run={run} evaluation={evaluation} elapsed={elapsed} evaluationOff={!load?.evaluate} width={layout.columns} />
        : <RunsHeader report={report} width={layout.columns} />}
      {body}
      <Footer exportPrompt={state.exportPrompt} exportDir={exportDir} message={state.message} multiRun={report.runs.length > 1} runOpen={Boolean(run)} replay={Boolean(load?.replay)} width={layout.columns} />
    </Box>
  );
}
