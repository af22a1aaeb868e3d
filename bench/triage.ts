// Sweep triage benchmark: 1,000 run directories (copies of the real runs): CPU per run by phase, the CLI default path
// and every core forced, and the issue-19 goals (<= 5 ms CPU per run, <= 3 s on 2 idle cores, <= 250 MB peak).
// Runnable alone: `node --import tsx bench/triage.ts [N]`.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile as execFileCb } from 'node:child_process';
import { createHash } from 'node:crypto';

/** The bundled real runs and logs (fixtures/runs, fixtures/real-logs; see fixtures/README.md). */
const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');
/** The sweep size of the goals. */
export const TARGET_RUNS = 1000;

/** Source run directories: the six real runs and the three real tllib logs, cycled. */
export async function sources(): Promise<string[]> {
  const out: string[] = [];
  for (const parent of ['runs', 'real-logs']) {
    const dir = join(SHARED, parent);
    for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(join(dir, e.name));
  }
  return out.sort();
}

/**
 * Copies sources round-robin into `root/run-0000 ...`. Each copy's tllib Namespace gets its own seed (so the
 * sweep has seed groups, as a real one would); the bytes are otherwise the real files.
 */
export async function makeSweep(root: string, n: number): Promise<void> {
  const src = await sources();
  for (let i = 0; i < n; i++) {
    const from = src[i % src.length];
    const to = join(root, `run-${String(i).padStart(4, '0')}`);
    await cp(from, to, { recursive: true });
    for (const f of await readdir(to)) {
      if (!/^train-.*\.txt$/.test(f)) continue;
      const p = join(to, f);
      const text = await readFile(p, 'utf8');
      await writeFile(p, text.replace(/\bseed=\d+/, `seed=${100 + Math.floor(i / src.length)}`));
    }
  }
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Compiled copy of src/ and rules/ for the measurement (ignored folder; node_modules resolves from the repo). */
// One folder per checkout (a hash of its path): worktrees that share one node_modules must not build over each other.
export const BUILD_DIR = join(REPO, 'node_modules', '.cache', `dann-doctor-bench-${createHash('sha1').update(REPO).digest('hex').slice(0, 8)}`);

/**
 * Build the package as scripts/build.mjs does (transpiled modules, the CLI and worker bundles), into BUILD_DIR (not
 * dist/, which others may be using): users run the compiled package, and under tsx every worker thread would pay for
 * a TypeScript loader of its own.
 */
export async function buildForBench(): Promise<void> {
  // @ts-expect-error the build script is plain JavaScript (no types)
  const { buildDist } = (await import('../scripts/build.mjs')) as { buildDist: (out: string) => Promise<void> };
  process.chdir(REPO); // the build script's paths are relative to the repository root
  await buildDist(BUILD_DIR);
  await writeFile(join(BUILD_DIR, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(BUILD_DIR, 'run-triage.mjs'), `// written by bench/triage.ts: triage one folder in a fresh process, print numbers as JSON
// mode 'phases': in-process diagnose() with the phase clock on (CPU per phase); 'default': what the CLI does for a
// text report (diagnoseMany with its own choice of threads, each run kept as its summary, the text report rendered);
// 'parallel': the same forced onto every core.
import { availableParallelism } from 'node:os';
const [root, mode] = process.argv.slice(2);
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const c0 = cpuMs();
const t0 = performance.now();
const clock = await import('./src/runtime/phase-clock.js');
const { diagnoseMany } = await import('./src/pipeline/diagnose-many.js');
const { renderText } = await import('./src/reporters/text.js');
const loadMs = cpuMs() - c0;
// what stays in memory per run (phases mode runs with --expose-gc): heap after a full GC, with and without the report
let gcMs = 0;
const heapAfterGc = () => { const g0 = cpuMs(); globalThis.gc(); globalThis.gc(); gcMs += cpuMs() - g0; return process.memoryUsage().heapUsed / 1048576; };
const baseHeapMb = globalThis.gc ? heapAfterGc() : undefined;
if (mode === 'phases') clock.enablePhaseClock();
// phases: one run read at a time, so each phase's CPU interval holds that phase's work alone
const detail = 'summary'; // what the CLI keeps when every output is text, Markdown or SARIF
const report = mode === 'phases' ? await diagnoseMany([root], { concurrency: 1, detail }, { loadConcurrency: 1 })
  : await diagnoseMany([root], mode === 'parallel' ? { concurrency: availableParallelism(), detail } : { detail });
// the text report the CLI prints: triage table, seed groups, then the details of every run with problems
const text = clock.timed('report', () => renderText(report, { color: false }));
const retainedMb = baseHeapMb !== undefined ? heapAfterGc() - baseHeapMb : undefined;
const wall = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ runs: report.runs.length, errors: report.errors.length, wall, cpuMs: cpuMs() - c0 - gcMs, loadMs, retainedMb,
  phases: clock.phaseTotals(), peakMb: process.resourceUsage().maxRSS / 1024, cores: availableParallelism(), chars: text.length }));
`);
}

interface TriageNumbers { runs: number; errors: number; wall: number; cpuMs: number; loadMs: number; retainedMb?: number; phases?: Record<string, number>; peakMb: number; cores: number; chars: number }

async function triageInChild(root: string, mode: 'phases' | 'default' | 'parallel'): Promise<TriageNumbers> {
  const out = await new Promise<string>((res, rej) => execFileCb(process.execPath, [...(mode === 'phases' ? ['--expose-gc'] : []), join(BUILD_DIR, 'run-triage.mjs'), root, mode], { maxBuffer: 1 << 24 }, (e, so, se) => (e ? rej(new Error(`${e.message}\n${se}`)) : res(so))));
  return JSON.parse(out.trim().split('\n').at(-1)!) as TriageNumbers;
}

/** Shards of the merge check: more than two, so a run's baseline is often in another shard (merge re-judges it). */
export const MERGE_CHECK_SHARDS = 3;

/** The compiled CLI as a child process (its own Node, as a user or a Slurm task runs it). */
function cliInChild(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((res) => execFileCb(process.execPath, [join(BUILD_DIR, 'src', 'cli.js'), ...args], { maxBuffer: 1 << 26 }, (e, _so, se) => res({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stderr: se })));
}

/** A JSON report without what two runs of the same input may differ in: the timestamp and the measured durations. */
const TIMING_KEY = /(^seconds$|Ms|Seconds|elapsed|duration)$/;
function normalisedReport(text: string): string {
  const norm = (v: unknown): unknown => (Array.isArray(v) ? v.map(norm)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'generatedAt' && !TIMING_KEY.test(k)).map(([k, x]) => [k, norm(x)]))
      : v);
  return JSON.stringify(norm(JSON.parse(text)));
}

/**
 * Issue 19's "merged == unsharded" for a generated 1,000-run folder: the CLI once over the whole folder and
 * MERGE_CHECK_SHARDS times with --shard i/n (separate processes, JSON reports), then `merge`; the two JSON reports
 * must be equal but for timestamps and timings. Returns the lines to print; throws when they differ.
 */
export async function mergeCheck(root: string, n: number): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'dd-bench-merge-'));
  try {
    const t0 = performance.now();
    const whole = join(dir, 'whole.json');
    const r = await cliInChild([root, '--format', `json=${whole}`, '--fail-on', 'never']);
    if (r.code !== 0) throw new Error(`unsharded run exited ${r.code}: ${r.stderr}`);
    const shards = Array.from({ length: MERGE_CHECK_SHARDS }, (_, i) => join(dir, `shard-${i + 1}.json`));
    for (const [i, file] of shards.entries()) {
      const s = await cliInChild([root, '--shard', `${i + 1}/${MERGE_CHECK_SHARDS}`, '--format', `json=${file}`, '--fail-on', 'never']);
      if (s.code !== 0) throw new Error(`shard ${i + 1} exited ${s.code}: ${s.stderr}`);
    }
    const merged = join(dir, 'merged.json');
    const m = await cliInChild(['merge', ...shards, '--format', `json=${merged}`, '--fail-on', 'never']);
    if (m.code !== 0) throw new Error(`merge exited ${m.code}: ${m.stderr}`);
    const a = normalisedReport(await readFile(whole, 'utf8'));
    const b = normalisedReport(await readFile(merged, 'utf8'));
    const rejudged = /^merge: ([^\n]*)/m.exec(m.stderr)?.[1] ?? 'no run judged again';
    if (a !== b) {
      let i = 0;
      while (a[i] === b[i]) i++;
      throw new Error(`merged report differs from the unsharded one at character ${i}: ${a.slice(i - 80, i + 80)} vs ${b.slice(i - 80, i + 80)}`);
    }
    return [`triage: merge check: ${n} runs, ${MERGE_CHECK_SHARDS} shards as separate processes + merge == one process (JSON, ${(a.length / 1e6).toFixed(0)} MB normalised; merge: ${rejudged}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The issue's goals for a 1,000-run sweep of small runs. */
export const GOAL_CPU_MS_PER_RUN = 5;
export const GOAL_WALL_S_2_IDLE_CORES = 3;
export const GOAL_PEAK_MB = 250;

const met = (ok: boolean, by: string): string => (ok ? 'met' : `MISSED by ${by}`);

export async function benchTriage(n = TARGET_RUNS): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'dd-bench-triage-'));
  const lines: string[] = [];
  try {
    const t0 = performance.now();
    await makeSweep(root, n);
    await buildForBench();
    // The copies are fresh dirty pages: let the kernel write them back now, not during the measurement.
    await new Promise<void>((res) => execFileCb('sync', () => res()));
    lines.push(`triage: made ${n} run dirs (copies of ../shared/runs and ../shared/real-logs, seeds varied) and a compiled build in ${((performance.now() - t0) / 1000).toFixed(1)} s; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
    // 1. Where the time goes: in-process, one run after the other, CPU per phase.
    const ph = await triageInChild(root, 'phases');
    const per = (ms: number) => (ms / ph.runs).toFixed(2);
    const p = ph.phases!;
    const accounted = Object.values(p).reduce((a, b) => a + b, 0);
    lines.push(`triage: CPU per run by phase (in-process, ${ph.runs} runs): discover ${per(p.discover)} · read ${per(p.read)} · evaluate ${per(p.evaluate)} · rules ${per(p.rules)} · causes ${per(p.causes)} · report ${per(p.report)} · other ${per(ph.cpuMs - ph.loadMs - accounted)} ms; module loading ${ph.loadMs.toFixed(0)} ms once = ${per(ph.loadMs)} ms/run; total ${per(ph.cpuMs)} ms/run, peak RSS ${ph.peakMb.toFixed(0)} MB, wall ${ph.wall.toFixed(2)} s`);
    if (ph.retainedMb !== undefined) lines.push(`triage: kept in memory at the end (heap after a full GC less the heap after module loading): ${ph.retainedMb.toFixed(1)} MB = ${((ph.retainedMb * 1024) / ph.runs).toFixed(1)} KB per run (the runs' summary reports plus the code compiled on the way, which does not grow with runs); the peak RSS above is mostly garbage not yet collected and V8's heap headroom`);
    // 2. What the CLI does (diagnoseMany picks its threads from the free cores, CORES_PER_SHARE each), and every core forced.
    const runs: TriageNumbers[] = [];
    const modes = ['default', 'parallel', 'default'] as const;
    for (const mode of modes) {
      const r = await triageInChild(root, mode);
      runs.push(r);
      lines.push(`triage: ${mode === 'default' ? 'CLI default (a thread per 1.4 free cores)' : `${r.cores} threads forced`}: ${r.runs} runs, ${r.errors} errors, wall ${r.wall.toFixed(2)} s, CPU ${(r.cpuMs / 1000).toFixed(2)} s = ${(r.cpuMs / r.runs).toFixed(2)} ms/run, peak RSS ${r.peakMb.toFixed(0)} MB, load average ${loadavg()[0].toFixed(1)}`);
    }
    if (n === TARGET_RUNS) {
      // On the shared machine wall time is mostly other people's work: CPU time is what triage itself costs.
      const cpuPerRun = Math.min(ph.cpuMs / ph.runs, ...runs.map((r) => r.cpuMs / r.runs));
      // Wall time is the goal; CPU/2 is what perfect use of both cores would give (one share already keeps ~1.4 cores
      // busy with V8's and libuv's helper threads, so a second share does not halve it: see CORES_PER_SHARE).
      const wall = Math.min(ph.wall, ...runs.map((r) => r.wall));
      const halfCpu = Math.min(...runs.map((r) => r.cpuMs)) / 1000 / 2;
      // what the CLI uses by default (in-process and CLI-default runs); the forced-threads run is printed above
      const peak = Math.max(ph.peakMb, ...runs.filter((_, i) => modes[i] === 'default').map((r) => r.peakMb));
      const forcedPeak = Math.max(...runs.filter((_, i) => modes[i] !== 'default').map((r) => r.peakMb));
      lines.push(`GOAL triage CPU per small run <= ${GOAL_CPU_MS_PER_RUN} ms: ${cpuPerRun.toFixed(2)} ms (best of the in-process and CLI runs) — ${met(cpuPerRun <= GOAL_CPU_MS_PER_RUN, `${(cpuPerRun - GOAL_CPU_MS_PER_RUN).toFixed(2)} ms (${(cpuPerRun / GOAL_CPU_MS_PER_RUN).toFixed(1)}x)`)}`);
      lines.push(`GOAL triage ${n} runs <= ${GOAL_WALL_S_2_IDLE_CORES} s wall on 2 idle cores: ${wall.toFixed(2)} s (best measured, load ${loadavg()[0].toFixed(1)}; CPU/2 = ${halfCpu.toFixed(2)} s would need both cores fully used) — ${met(wall <= GOAL_WALL_S_2_IDLE_CORES, `${(wall - GOAL_WALL_S_2_IDLE_CORES).toFixed(2)} s`)}`);
      lines.push(`GOAL triage peak memory <= ${GOAL_PEAK_MB} MB: ${peak.toFixed(0)} MB (highest of the in-process and CLI-default runs; ${forcedPeak.toFixed(0)} MB with every core forced) — ${met(peak <= GOAL_PEAK_MB, `${(peak - GOAL_PEAK_MB).toFixed(0)} MB`)}`);
    }
    // merged == unsharded at sweep scale (test/many/shard.test.ts checks 200 runs in npm test); `--no-merge-check` skips
    if (!process.argv.includes('--no-merge-check')) lines.push(...(await mergeCheck(root, n)));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? TARGET_RUNS);
  for (const l of await benchTriage(n)) console.log(l);
}
