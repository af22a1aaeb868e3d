// `dann-doctor watch DIR`: follows a training log while it is written and alarms as soon as a rule fires.
//
// What it does and why:
// - LogFollower tails the newest train-*.txt (or the file given) from the last byte offset with readLines
//   (start/end), counting new COMPLETE lines only: a partial last line stays unread until its newline arrives.
//   A newer train-*.txt (a restarted job: tllib's CompleteLogger opens a new file per launch), a replaced file
//   (new inode) or a truncated one (copytruncate) restarts it at offset 0; findings already alarmed (by fingerprint)
//   stay alarmed for the life of the watch. A log that vanishes or becomes a folder is waited for, never fatal.
// - Re-running the rules = re-reading the run through the normal pipeline (diagnose of that one run). That keeps
//   one source of truth for parsing and rules. It is bounded two ways: it runs only when complete new lines
//   arrived, and never more often than every max(interval, ANALYSIS_DUTY_FACTOR x the last analysis's duration),
//   so even a multi-GB log of a day-long run costs at most ~1/ANALYSIS_DUTY_FACTOR of a core. Lines that signal
//   trouble right away (traceback, nan/inf) skip the interval wait, not the duty limit. Memory: the follower keeps
//   only offsets and counters; each analysis's Report is dropped after its findings are compared; the only state
//   that grows is the set of alarmed fingerprints (one per distinct finding).
// - fs.watch on the folder for low latency, plus a polling timer at `interval` as the fallback (fs.watch is
//   unreliable on NFS/SMB and in some containers, and may fail outright when inotify watches run out).
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { CliIO } from '../output/cli-io.js';
import type { EngineConfig, Finding, Report, RunReport, Severity, SeveritySetting } from '../report/schema.js';
import { readLines } from '../ingest/common/read-lines.js';
import { LOG_FILE_NAME, TLLIB_LOG_NAME } from '../ingest/common/log-names.js';
import { InputError, inputErrorFromFs } from '../ingest/input-error.js';
import { showControls } from '../output/terminal-safe.js';
import { COMMON_OPTIONS, UsageError, colorFlag, numberAtLeast, oneOf, parseCommandLine, ruleOverrides, roleMap } from './parse.js';
import { loadCommandConfig } from './config.js';

/** Poll period when fs.watch says nothing; 1 s is well below a training print interval (tllib prints every ~5-60 s). */
export const DEFAULT_INTERVAL_MS = 1000;
/** Analysis may use at most 1/this of wall time (a 2 s re-read waits >= 20 s before the next). */
export const ANALYSIS_DUTY_FACTOR = 10;
/** fs.watch fires several events per write; gather them for this long before polling. */
const WATCH_DEBOUNCE_MS = 30;
/** How long to wait for --on-finding commands still running when watch stops. */
const CHILD_GRACE_MS = 10_000;
/**
 * Rules that describe a log that is still being written, which is the normal state under watch: alarming on them
 * would ring on every run. (A crash still alarms through run-crashed.)
 */
export const WATCH_IGNORED_RULES = new Set(['run-incomplete']);
/** Lines that mean trouble now: a Python traceback/exception, or a non-finite number in a metric line. */
const URGENT_LINE = /Traceback \(most recent call last\)|Error: |(^|[\s(=])[-+]?(nan|inf)([\s),]|$)/i;


export interface FollowUpdate {
  /** the log being followed, undefined while none exists yet */
  file?: string;
  /** a new file, a replaced or a truncated one: reading restarted at 0 */
  rotated: boolean;
  /** complete lines read since the previous poll */
  newLines: number;
  /** one of them looks like a traceback or a NaN/Inf */
  urgent: boolean;
  /** bytes read since the previous poll (complete lines only) */
  newBytes: number;
  /** why nothing could be read now (the log is gone mid-replacement, or became a folder): watch waits, never exits */
  waiting?: string;
}

/** fs errors that mean "the log is not there right now" (deleted, being replaced, turned into a folder). */
const TRANSIENT_FS = new Set(['ENOENT', 'EISDIR', 'ENOTDIR', 'ESTALE']);
function isTransient(err: unknown): boolean {
  return TRANSIENT_FS.has((err as NodeJS.ErrnoException)?.code ?? '') || (err instanceof InputError && /no such file|is a directory|not a regular file/.test(err.message));
}

/** Tails the newest log of a run directory (or one file) from the last offset, complete lines only. */
export class LogFollower {
  readonly target: string;
  private isDir: boolean | undefined;
  private file: string | undefined;
  private ino = -1;
  offset = 0;
  totalLines = 0;

  constructor(target: string) {
    this.target = resolve(target);
  }

  /** The folder to fs.watch: the run directory, or the folder holding the followed file. */
  async watchDir(): Promise<string> {
    await this.kind();
    return this.isDir ? this.target : dirname(this.target);
  }

  private async kind(): Promise<void> {
    if (this.isDir !== undefined) return;
    try {
      this.isDir = (await stat(this.target)).isDirectory();
    } catch (err) {
      throw inputErrorFromFs(this.target, err);
    }
  }

  /** Newest tllib train log by the timestamp in its name, else the most recently modified log-like file. */
  private async pickLog(): Promise<string | undefined> {
    await this.kind();
    if (!this.isDir) return this.target;
    let names: string[];
    try {
      names = await readdir(this.target);
    } catch (err) {
      if (isTransient(err)) return undefined; // the run folder itself is being replaced: wait
      throw inputErrorFromFs(this.target, err);
    }
    const tll = names.filter((n) => TLLIB_LOG_NAME.exec(n)?.[1] === 'train').sort();
    if (tll.length) return join(this.target, tll.at(-1)!);
    let best: { f: string; m: number } | undefined;
    for (const n of names) {
      // other log names a folder may hold when it is not a tllib run (read by the same pipeline)
      if (!LOG_FILE_NAME.test(n)) continue;
      try {
        const s = await stat(join(this.target, n));
        if (s.isFile() && (!best || s.mtimeMs > best.m)) best = { f: join(this.target, n), m: s.mtimeMs };
      } catch {
        /* vanished between readdir and stat */
      }
    }
    return best?.f;
  }

  async poll(): Promise<FollowUpdate> {
    try {
      return await this.pollOnce();
    } catch (err) {
      if (!isTransient(err)) throw err;
      // deleted or replaced while being read: the next poll starts over on whatever is there then
      return { file: this.file, rotated: false, newLines: 0, urgent: false, newBytes: 0, waiting: `${basename(this.file ?? this.target)} is gone for now; waiting` };
    }
  }

  private async pollOnce(): Promise<FollowUpdate> {
    const file = await this.pickLog();
    const up: FollowUpdate = { file, rotated: false, newLines: 0, urgent: false, newBytes: 0 };
    if (!file) return up;
    let s;
    try {
      s = await stat(file);
    } catch {
      up.waiting = `${basename(file)} is gone for now; waiting`;
      return up; // rotated away between pick and stat: next poll sees the new one
    }
    if (!s.isFile()) {
      up.waiting = `${basename(file)} is ${s.isDirectory() ? 'a folder' : 'not a regular file'} now; waiting for a log there`;
      return up;
    }
    if (file !== this.file || s.ino !== this.ino || s.size < this.offset) {
      up.rotated = this.file !== undefined || this.offset > 0;
      this.file = file;
      this.ino = s.ino;
      this.offset = 0;
      this.totalLines = 0;
    }
    if (s.size <= this.offset) return up;
    const end = s.size;
    // Is the last byte a newline? If not, the last line is still being written and is left for the next poll.
    const fh = await open(file, 'r').catch((err: unknown) => {
      throw inputErrorFromFs(file, err);
    });
    let endsComplete: boolean;
    try {
      const b = Buffer.alloc(1);
      await fh.read(b, 0, 1, end - 1);
      endsComplete = b[0] === 10;
    } finally {
      await fh.close();
    }
    let lastStart = -1;
    for await (const line of readLines(file, { start: this.offset, end })) {
      lastStart = line.offset;
      up.newLines++;
      if (URGENT_LINE.test(line.text)) up.urgent = true;
    }
    let consumedTo = end;
    if (!endsComplete && lastStart !== -1) {
      consumedTo = lastStart; // re-read from the partial line's start once its newline arrives
      up.newLines--;
    }
    up.newBytes = consumedTo - this.offset;
    this.offset = consumedTo;
    this.totalLines += up.newLines;
    return up;
  }
}

export interface Alarm {
  runId: string;
  file?: string;
  finding: Finding;
}

export interface WatchOptions {
  intervalMs?: number;
  /** re-runs the pipeline on the run; default: diagnose([target]) from src/index.ts */
  analyze?: (target: string) => Promise<Report>;
  /** lowest severity that alarms (default warn) */
  minSeverity?: Severity;
  /** called for each new finding at or above minSeverity */
  onAlarm?: (a: Alarm) => void;
  /** called after every analysis (tests and the status line use it) */
  onAnalysis?: (info: { report: Report; update: FollowUpdate; seconds: number; linesRead: number }) => void;
  /** called when the followed log changes (rotation / truncation) */
  onRotate?: (file: string) => void;
  /** fs.watch unavailable: polling only */
  onFallback?: (why: string) => void;
  /** the log cannot be read right now (gone, a folder, mid-replacement): said once per change, watch goes on */
  onWaiting?: (why: string) => void;
  /** stop when this resolves */
  stop?: Promise<unknown>;
  /** stop after the first alarm */
  exitOnFinding?: boolean;
}

const SEV: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

/** Wait `ms`, or less when `wake.fn` is called (a file event or stop). One timer, no listeners left behind. */
function sleepOrWake(ms: number, wake: { fn?: () => void }): Promise<void> {
  return new Promise((res) => {
    const t = setTimeout(done, ms);
    wake.fn = done;
    function done() {
      clearTimeout(t);
      wake.fn = undefined;
      res();
    }
  });
}

async function defaultAnalyze(target: string, config?: Partial<EngineConfig>): Promise<Report> {
  const { diagnose } = await import('../pipeline/diagnose.js');
  // maxDepth 0: only this run, not runs in its sub-folders
  return diagnose([target], { maxDepth: 0, config });
}

/**
 * Follows `target` until `opts.stop` resolves (or the first alarm with exitOnFinding). Returns the alarms raised.
 * Throws InputError when the target does not exist.
 */
export async function watchRun(target: string, opts: WatchOptions = {}): Promise<Alarm[]> {
  const interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const analyze = opts.analyze ?? defaultAnalyze;
  const minSev = SEV[opts.minSeverity ?? 'warn'];
  const follower = new LogFollower(target);
  const dir = await follower.watchDir();
  let stopped = false;
  let stopNow!: () => void;
  const stopSignal = new Promise<void>((r) => (stopNow = r));
  const wake: { fn?: () => void } = {};
  void Promise.race([stopSignal, opts.stop ?? new Promise<never>(() => {})]).then(() => {
    stopped = true;
    wake.fn?.();
  });
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  try {
    watcher = fsWatch(dir, { persistent: false }, () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => wake.fn?.(), WATCH_DEBOUNCE_MS);
    });
    watcher.on('error', (e) => {
      watcher?.close();
      watcher = undefined;
      opts.onFallback?.(`fs.watch failed (${e.message}); polling every ${interval} ms`);
    });
  } catch (e) {
    opts.onFallback?.(`fs.watch unavailable (${(e as Error).message}); polling every ${interval} ms`);
  }

  const alarms: Alarm[] = [];
  // fingerprints alarmed for the life of the watch: an rsync-style atomic replacement (a new inode with the same
  // content) re-reads the log but must not ring again; a restarted run writes a new log, whose findings differ
  const alarmed = new Set<string>();
  let lastWaiting: string | undefined;
  const waiting = (why: string | undefined) => {
    if (why && why !== lastWaiting) opts.onWaiting?.(why);
    lastWaiting = why;
  };
  let pendingLines = 0;
  let pendingUrgent = false;
  let lastAnalysisAt = -Infinity;
  let lastCostMs = 0;
  let firstAnalysisDone = false;
  try {
    while (!stopped) {
      const up = await follower.poll();
      waiting(up.waiting);
      if (up.waiting) {
        await sleepOrWake(interval, wake);
        continue;
      }
      if (up.rotated && up.file) opts.onRotate?.(up.file);
      pendingLines += up.newLines;
      pendingUrgent ||= up.urgent;
      const now = performance.now();
      const gap = Math.max(pendingUrgent ? 0 : interval, ANALYSIS_DUTY_FACTOR * lastCostMs);
      if (up.file && (pendingLines > 0 || !firstAnalysisDone) && now - lastAnalysisAt >= gap) {
        const t0 = performance.now();
        let report: Report;
        try {
          report = await analyze(target);
        } catch (err) {
          if (!isTransient(err)) throw err;
          waiting(`${err instanceof Error ? err.message : String(err)}; waiting`);
          await sleepOrWake(interval, wake);
          continue;
        }
        lastCostMs = performance.now() - t0;
        lastAnalysisAt = performance.now();
        firstAnalysisDone = true;
        pendingLines = 0;
        pendingUrgent = false;
        opts.onAnalysis?.({ report, update: up, seconds: lastCostMs / 1000, linesRead: follower.totalLines });
        for (const run of report.runs) {
          for (const f of newAlarms(run, alarmed, minSev)) {
            const a: Alarm = { runId: run.id, file: up.file, finding: f };
            alarms.push(a);
            opts.onAlarm?.(a);
          }
        }
        if (opts.exitOnFinding && alarms.length) break;
      }
      if (stopped) break;
      await sleepOrWake(interval, wake);
    }
  } finally {
    stopNow();
    clearTimeout(debounce);
    watcher?.close();
  }
  return alarms;
}

/** Findings of `run` at or above the level, not suppressed, not ignored under watch, not alarmed before. */
function newAlarms(run: RunReport, alarmed: Set<string>, minSev: number): Finding[] {
  const out: Finding[] = [];
  for (const f of run.findings) {
    if (f.suppressed || SEV[f.severity] < minSev || WATCH_IGNORED_RULES.has(f.ruleId)) continue;
    const key = f.fingerprint || `${run.id}|${f.ruleId}|${f.messageId}`;
    if (alarmed.has(key)) continue;
    alarmed.add(key);
    out.push(f);
  }
  return out;
}

/** Environment given to `--on-finding CMD`: everything a stop-the-job script needs, no parsing required. */
export function findingEnv(a: Alarm): Record<string, string> {
  const ev = a.finding.evidence[0];
  return {
    DANN_DOCTOR_RULE: a.finding.ruleId,
    DANN_DOCTOR_MESSAGE_ID: a.finding.messageId,
    DANN_DOCTOR_SEVERITY: a.finding.severity,
    DANN_DOCTOR_MESSAGE: a.finding.message,
    DANN_DOCTOR_RUN: a.runId,
    DANN_DOCTOR_LOG: a.file ?? '',
    DANN_DOCTOR_FILE: ev?.file ?? '',
    DANN_DOCTOR_LINE: ev?.line !== undefined ? String(ev.line) : '',
    DANN_DOCTOR_FINGERPRINT: a.finding.fingerprint,
    DANN_DOCTOR_CAUSES: a.finding.causes.join(','),
  };
}

export const WATCH_USAGE = `usage: dann-doctor watch DIR|LOG [--on-finding CMD] [--interval MS] [--exit-on-finding] [--min-severity warn|error|info]
  Follows the newest train-*.txt in DIR (or LOG) while it is written and alarms (bell + a line) when a rule fires.
  --on-finding CMD   run CMD (through the shell) for each new finding, with DANN_DOCTOR_RULE, _SEVERITY, _MESSAGE,
                     _RUN, _LOG, _FILE, _LINE, _FINGERPRINT, _CAUSES in its environment (e.g. to stop the job)
  --interval MS      polling period when file events are missing (default ${DEFAULT_INTERVAL_MS})
  --exit-on-finding  stop after the first alarm (exit 1)
  -c, --config FILE, --rule ID=LEVEL, --no-color   as for the main command (./dann-doctor.config.json is read when present)
  Stops on Ctrl-C. Exit 0 when nothing fired, 1 when something did, 2 on usage/input errors.`;

interface WatchArgs {
  target: string;
  onFinding?: string;
  interval: number;
  exitOnFinding: boolean;
  minSeverity: Severity;
  color?: boolean;
  configFile?: string;
  ruleOverrides: Record<string, SeveritySetting>;
  /** --map NAME=ROLE */
  roleMap: Record<string, string>;
}

/** The shared parser; a usage problem is a string (printed with the usage), '' for --help. */
function parseWatchArgs(args: string[]): WatchArgs | string {
  try {
    const { values: v, positionals: pos } = parseCommandLine(args, {
      ...COMMON_OPTIONS,
      'on-finding': { type: 'string' },
      interval: { type: 'string' },
      'exit-on-finding': { type: 'boolean' },
      'min-severity': { type: 'string' },
    });
    if (v.help) return '';
    if (v['on-finding'] !== undefined && !v['on-finding']) return '--on-finding needs a command';
    if (pos.length !== 1) return 'watch needs exactly one run directory or log file';
    return {
      target: pos[0],
      onFinding: v['on-finding'],
      interval: numberAtLeast('interval', v.interval, 10, 'milliseconds') ?? DEFAULT_INTERVAL_MS,
      exitOnFinding: !!v['exit-on-finding'],
      minSeverity: oneOf<Severity>('min-severity', v['min-severity'] ?? 'warn', ['info', 'warn', 'error']),
      color: colorFlag(v),
      configFile: v.config,
      ruleOverrides: ruleOverrides(v.rule ?? []),
      roleMap: roleMap(v.map ?? []),
    };
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** `dann-doctor watch DIR [--on-finding CMD] [--interval ms]`. Stops on io.interrupted. */
export async function watchCommand(args: string[], io: CliIO, analyze?: (target: string) => Promise<Report>): Promise<number> {
  const parsed = parseWatchArgs(args);
  if (typeof parsed === 'string') {
    io.stderr.write(`${parsed ? `dann-doctor watch: ${parsed}\n` : ''}${WATCH_USAGE}\n`);
    return parsed ? 2 : 0;
  }
  const target = resolve(io.cwd, parsed.target);
  const children = new Set<ChildProcess>();
  const color = parsed.color ?? (io.isTTY && !io.env.NO_COLOR);
  const sevColor = (s: Severity, t: string) => (color ? `\u001b[${s === 'error' ? 31 : s === 'warn' ? 33 : 34}m${t}\u001b[39m` : t);
  let lastFile: string | undefined;
  // a signal (from the CLI entry: the exit code for it) ends watch with that code, after its summary line
  let signalCode: number | undefined;
  void io.interrupted?.then((c) => {
    if (typeof c === 'number') signalCode = c;
  });
  const say = (s: string) => showControls(s); // names and messages come from files: no control characters
  io.stderr.write(`watching ${say(parsed.target)} (Ctrl-C to stop)\n`);
  try {
    // the same dann-doctor.config.json and --rule overrides as the main command
    const config = await loadCommandConfig(parsed, io.cwd);
    const alarms = await watchRun(target, {
      intervalMs: parsed.interval,
      analyze: analyze ?? ((t) => defaultAnalyze(t, config)),
      minSeverity: parsed.minSeverity,
      stop: io.interrupted,
      exitOnFinding: parsed.exitOnFinding,
      onFallback: (why) => io.stderr.write(`dann-doctor watch: ${say(why)}\n`),
      onWaiting: (why) => io.stderr.write(`[${clock()}] ${say(why)}\n`),
      onRotate: (file) => io.stderr.write(`[${clock()}] now following ${say(basename(file))} (new or restarted log)\n`),
      onAnalysis: ({ update }) => {
        if (update.file && update.file !== lastFile) {
          lastFile = update.file;
          io.stderr.write(`[${clock()}] following ${say(basename(update.file))}\n`);
        }
      },
      onAlarm: (a) => {
        const ev = a.finding.evidence[0];
        const where = ev?.file ? `  (${say(basename(ev.file))}${ev.line !== undefined ? `:${ev.line}` : ''})` : '';
        io.stdout.write(`${io.isTTY ? '\u0007' : ''}[${clock()}] ${sevColor(a.finding.severity, a.finding.severity)} ${a.finding.ruleId} ${say(a.runId)}: ${say(a.finding.message)}${where}\n`);
        if (parsed.onFinding) {
          const child = spawn(parsed.onFinding, { shell: true, cwd: io.cwd, env: { ...io.env, ...findingEnv(a) }, stdio: ['ignore', 'pipe', 'pipe'] });
          children.add(child);
          child.stdout?.on('data', (d: Buffer) => io.stderr.write(d));
          child.stderr?.on('data', (d: Buffer) => io.stderr.write(d));
          child.on('error', (e) => io.stderr.write(`dann-doctor watch: --on-finding command failed to start: ${e.message}\n`));
          child.on('exit', (code) => {
            children.delete(child);
            if (code) io.stderr.write(`dann-doctor watch: --on-finding command exited with code ${code}\n`);
          });
        }
      },
    });
    // let --on-finding commands finish (they may be stopping the job), but never hang on them; after Ctrl-C they got
    // the signal too (same process group) and the entry's grace period bounds the wait
    if (children.size) {
      await Promise.race([
        Promise.all([...children].map((c) => new Promise((r) => c.once('exit', r)))),
        new Promise((r) => setTimeout(r, CHILD_GRACE_MS).unref()),
      ]);
    }
    io.stderr.write(`stopped; ${alarms.length} finding${alarms.length === 1 ? '' : 's'} raised\n`);
    if (signalCode !== undefined) return signalCode;
    return alarms.length ? 1 : 0;
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr.write(`dann-doctor watch: ${say(err.message)}\n`);
      return 2;
    }
    throw err;
  }
}
