// The only file that touches process: argv -> options -> diagnose -> reporters/UI -> exit code.
import { resolve } from 'node:path';
import { runVerdictOf } from './report/views.js';
import type { CliIO } from './output/cli-io.js';
import type { Report } from './report/schema.js';
import { SEVERITY_ORDER } from './report/schema.js';
import { HELP, parseCliArgs, UsageError, type CliOptions, type OutputFormat, type FailOn } from './cli/args.js';
import { InputError } from './ingest/input-error.js';
import { loadCommandConfig } from './cli/config.js';
import { RunCache, SWEEP_CACHE_MAX_RUNS } from './pipeline/run-cache.js';
import { exitQuietlyOnClosedPipe } from './runtime/closed-pipe.js';
import { ProgressLine } from './runtime/progress-line.js';
import { Interrupted, untilInterrupted, installInterruptHandlers } from './runtime/interrupt.js';
import { showControls, terminalSafeText } from './output/terminal-safe.js';
import { OutputRefused, protectedDirs, writeOutputFile, OWNER_MARK, type OutputGuard } from './output/safe-write.js';

/**
 * Exit 1 when an unsuppressed finding is at or above --fail-on (SEVERITY_ORDER: lower is worse), or, with
 * `--fail-on not-judged`, when a run could not be judged.
 */
export function exitCodeFor(report: Report, failOn: FailOn, failOnNotJudged = false): number {
  if (failOnNotJudged && report.runs.some((r) => runVerdictOf(r) === 'not-judged')) return 1;
  if (failOn === 'never') return 0;
  const bar = SEVERITY_ORDER[failOn];
  return report.runs.some((r) => r.findings.some((f) => !f.suppressed && SEVERITY_ORDER[f.severity] <= bar)) ? 1 : 0;
}

/** Output formats that read a run's summary only (src/report/slim-run-report.ts), never its series or tables. */
const SUMMARY_FORMATS: ReadonlySet<OutputFormat> = new Set(['text', 'markdown', 'sarif']);

function useColor(opts: CliOptions, io: CliIO, toFile: boolean): boolean {
  if (toFile) return false;
  if (opts.color !== undefined) return opts.color;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR) return true;
  return io.isTTY;
}

/** A report as text, or as pieces written as they come (text, Markdown, JSON, HTML: a sweep's report is never one string in memory). */
async function render(report: Report, format: OutputFormat, opts: CliOptions, io: CliIO, toFile: boolean, cache?: RunCache): Promise<string | Iterable<string>> {
  switch (format) {
    case 'text': {
      // in pieces, like JSON and HTML: the table, then one detailed run at a time
      const { renderTextChunks } = await import('./reporters/text.js');
      return renderTextChunks(report, { color: useColor(opts, io, toFile), verboseNotes: opts.verbose, allRuns: opts.verbose });
    }
    case 'json': {
      // in pieces, one run at a time: a sweep's JSON text is never built whole (reporters/json.ts)
      const { renderJsonChunks } = await import('./reporters/json.js');
      return renderJsonChunks(report);
    }
    case 'markdown': {
      const { renderMarkdownChunks } = await import('./reporters/markdown.js');
      return renderMarkdownChunks(report);
    }
    case 'sarif': {
      const { renderSarif } = await import('./reporters/sarif.js');
      const { RULES } = await import('../rules/index.js');
      return renderSarif(report, RULES.map((r) => r.meta), { baseDir: io.cwd, toolVersion: report.tool.version });
    }
    case 'html': {
      const { htmlChunks, htmlSelection } = await import('./reporters/html.js');
      const { reportPlots } = await import('./pipeline/report-plots.js');
      // plots only for the runs the page details (at most HTML_DETAILED_RUNS), never for every run of a sweep
      const detailed = { ...report, runs: htmlSelection(report).detailed.map((d) => d.run) };
      return htmlChunks(report, { svgs: await reportPlots(detailed, { maxPoints: opts.maxPoints, cache }) });
    }
  }
}

/** A text report's pieces followed by its last line, the mark that lets a rerun replace the file. */
function withOwnerMark(text: string | Iterable<string>, mark: string): string | Iterable<string> {
  if (typeof text === 'string') return text + mark;
  return (function* () {
    yield* text;
    yield mark;
  })();
}

/**
 * Never write into a run or data directory: every run and the folder of every checkpoint and feature dump read are
 * protected by real path (a symlink to a run's folder is the run's folder).
 */
export function outputGuard(report: Report, force: boolean): OutputGuard {
  const paths: string[] = [];
  for (const r of report.runs) {
    paths.push(r.path);
    for (const c of r.checkpoints) paths.push(c.path);
    if (r.features) paths.push(r.features.path);
  }
  return { protect: protectedDirs(paths), force };
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    if (argv[0] === 'compare') {
      const { compareCommand } = await import('./cli/compare.js');
      return await compareCommand(argv.slice(1), io);
    }
    if (argv[0] === 'inspect') {
      const { inspectCommand } = await import('./cli/inspect.js');
      return await inspectCommand(argv.slice(1), io);
    }
    if (argv[0] === 'watch') {
      const { watchCommand } = await import('./cli/watch.js');
      return await watchCommand(argv.slice(1), io);
    }
    // `merge` takes the main command's output options; its inputs are shard reports instead of runs
    const merging = argv[0] === 'merge';
    const opts = parseCliArgs(merging ? argv.slice(1) : argv);
    if (merging && opts.shard) throw new UsageError('--shard is for diagnosing; merge combines the shard reports');
    if (opts.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (opts.version) {
      const { VERSION } = await import('./pipeline/version.js');
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (opts.paths.length === 0 && !merging) throw new UsageError('no run given. Try: dann-doctor ./runs/exp42   (dann-doctor --help for more)');
    const config = merging ? {} : await loadCommandConfig(opts, io.cwd);
    // Many runs are diagnosed in parallel across free cores (a share per CORES_PER_SHARE); one run, a busy or a 2-core machine stays in-process.
    const { diagnoseMany: diagnose } = await import('./pipeline/diagnose-many.js');
    const interactive = !opts.formatGiven && !opts.outputs[0].file && io.isTTY && !io.env.CI && io.env.TERM !== 'dumb';
    // Load the (bundled) UI while the runs are read, so the first frame is not also waiting on module loading.
    const uiModule = interactive ? import('./ui/index.js') : undefined;
    uiModule?.catch(() => {}); // a load failure surfaces where it is awaited
    // Runs are kept only when an output needs more than the report (plots, HTML, the UI's export)
    // (bounded unless --replay, which needs every run: a sweep's outputs re-read the few runs they draw that were not kept)
    const cache = opts.plotsDir || interactive || opts.outputs.some((o) => o.format === 'html') ? new RunCache(opts.replay ? {} : { maxRuns: SWEEP_CACHE_MAX_RUNS }) : undefined;
    // Text, Markdown and SARIF read each run's summary only: a sweep then holds ~14 KB per run instead of its full
    // report (JSON, HTML and the UI show every series and table)
    const detail = !interactive && !cache && opts.outputs.every((o) => SUMMARY_FORMATS.has(o.format)) ? 'summary' as const : 'full' as const;
    // progress only where a person watches it: stderr is a terminal (stdout may be redirected); the UI has its own
    const progress = io.stderrIsTTY && !interactive && io.env.TERM !== 'dumb' ? new ProgressLine(io.stderr, { columns: (io.stderr as NodeJS.WriteStream).columns }) : undefined;
    // Ctrl-C abandons the work at once (evaluation runs on a worker thread, so this thread is free to notice)
    const report = await untilInterrupted(merging
      ? (await import('./cli/merge.js')).mergeReportFiles(opts.paths, io)
      : diagnose(opts.paths, {
        config, evaluate: opts.evaluate, backend: opts.backend, baseline: opts.baselineRun, formatHint: opts.formatHint,
        maxDepth: opts.maxDepth, followLinks: opts.followLinks, maxBytes: opts.maxBytes, maxPoints: opts.maxPoints, shard: opts.shard, cache, detail,
        // on a terminal the UI replays in its own pane, with progress and Esc to cancel, instead of before the first frame
        ...(opts.replay && !interactive ? { replay: opts.replay } : {}),
        ...(opts.rerun ? { rerun: opts.rerun } : {}),
        onProgress: progress && ((m, f) => progress.update(showControls(m), f)),
      }), io.interrupted).finally(() => progress?.done());
    if (opts.baselineFile) {
      const { applyBaselineFile } = await import('./suppressions/index.js');
      await applyBaselineFile(report, opts.baselineFile);
    }
    if (opts.writeBaseline) {
      const { writeBaselineFile } = await import('./suppressions/index.js');
      await writeBaselineFile(report, opts.writeBaseline, outputGuard(report, opts.force));
      io.stderr.write(`wrote ${opts.writeBaseline}\n`);
    }
    if (opts.plotsDir) {
      const { writeReportPlots } = await import('./pipeline/report-plots.js');
      // a plot that cannot be drawn or rendered is a note, never the end of the command
      // (the same message for every run, e.g. no font for PNGs, is said once)
      const said = new Set<string>();
      const onNote = (runId: string, m: string) => {
        if (said.has(m)) return;
        said.add(m);
        io.stderr.write(`dann-doctor: note: ${showControls(runId)}: ${showControls(m)}\n`);
      };
      const written = await writeReportPlots(report, resolve(opts.plotsDir), { maxPoints: opts.maxPoints, guard: outputGuard(report, opts.force), cache, env: io.env, onNote });
      io.stderr.write(`wrote ${written.length} plot files to ${opts.plotsDir}\n`);
    }
    // each input error said once where the user looks: a text/Markdown report on the terminal lists it (once, at its
    // end); otherwise (JSON/SARIF, a file, a pipe, the UI) stderr says it
    const reportOnTerminal = !interactive && io.isTTY && opts.outputs.some((o) => !o.file && (o.format === 'text' || o.format === 'markdown'));
    if (!reportOnTerminal) for (const e of report.errors) io.stderr.write(`dann-doctor: ${showControls(e.message)}\n`);
    if (report.runs.length === 0 && !opts.formatGiven) return 2;
    if (interactive) {
      const { startUi } = await uiModule!;
      const { uiLoaders } = await import('./cli/ui-loaders.js');
      const code = await startUi(report, { io, ...uiLoaders(report, opts, io.cwd, outputGuard(report, false), config, cache), replayOnStart: !!opts.replay });
      // Safety net: if a worker outlives the UI (an evaluation winding down after quit), leave anyway. Unref'd, so
      // it never delays a normal exit; only the interactive path has it (piped output must never be cut off).
      setTimeout(() => process.exit(code), 1000).unref();
      return code;
    }
    for (const out of opts.outputs) {
      const text = await render(report, out.format, opts, io, !!out.file, cache);
      if (out.file) {
        // a text report carries the mark in its last line, so a rerun may replace it (see output/safe-write)
        const marked = out.format === 'text' ? withOwnerMark(text, `\n(${OWNER_MARK} ${report.tool.version})\n`) : text;
        writeOutputFile(resolve(io.cwd, out.file), marked, outputGuard(report, opts.force), `${out.format} report`);
        io.stderr.write(`wrote ${out.format} report to ${out.file}\n`);
      } else if (typeof text === 'string') io.stdout.write(terminalSafeText(text)); // our SGR colours pass, any other control is shown escaped
      else for (const piece of text) if (!io.stdout.write(terminalSafeText(piece))) await new Promise((done) => io.stdout.once('drain', done));
    }
    // an empty TensorBoard folder beside real runs is said, not a failure
    if (report.errors.some((e) => e.kind !== 'empty') || (report.runs.length === 0 && report.errors.length > 0)) return 2;
    return exitCodeFor(report, opts.failOn, opts.failOnNotJudged);
  } catch (err) {
    if (err instanceof Interrupted) return err.exitCode;
    if (err instanceof UsageError || err instanceof InputError || err instanceof OutputRefused || (err instanceof Error && err.name === 'MergeError')) {
      io.stderr.write(`dann-doctor: ${showControls(err.message)}\n`);
      return 2;
    }
    throw err; // a bug: keep the stack
  }
}

const isEntry = process.argv[1] && /dann-doctor(\.js)?$|cli\.(js|ts)$/.test(process.argv[1]);
if (isEntry) {
  exitQuietlyOnClosedPipe(process);
  // before exiting on a signal, clear a half-drawn progress line so the shell prompt starts clean
  const stop = installInterruptHandlers(process, () => {
    if (process.stderr.isTTY) process.stderr.write('\r\u001b[2K');
  });
  const interrupted = stop.interrupted;
  main(process.argv.slice(2), {
    stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env,
    isTTY: !!process.stdout.isTTY, stderrIsTTY: !!process.stderr.isTTY, cwd: process.cwd(), interrupted,
  }).then(
    (code) => {
      process.exitCode = code;
      // interrupted: workers may still be computing; end them now rather than wait for them
      if (stop.code() !== undefined) stop.exit();
    },
    (err) => {
      process.stderr.write(`dann-doctor: internal error (please report): ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
