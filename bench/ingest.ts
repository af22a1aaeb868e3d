// Benchmark: readTllibLog throughput on a generated ~200 MB tllib log vs `grep -c Epoch` on the same file, and peak RSS.
import { open, rm, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { readTllibLog } from '../src/ingest/tllib/index.js';
import { BUILD_DIR, buildForBench } from './triage.js';

/** Size of the generated log; big enough that fixed costs vanish, small enough for a CI disk. */
const TARGET_BYTES = 200 * 1024 * 1024;
/** The issue's target: ingest at least a tenth of grep's speed. */
const TARGET_RATIO = 0.1;
const ITERS_PER_EPOCH = 1000;
/** print_freq 1: every iteration logged, the worst case for a reader */
const PRINT_FREQ = 1;
/** Timed runs of each tool; the best (least disturbed) counts. The same number for both, so neither gets more luck. */
const RUNS = 5;

const HEADER = [
  "Namespace(root='data/office31', data='Office31', source=['A'], target=['W'], train_resizing='default', val_resizing='default', resize_size=224, scale=[0.08, 1.0], ratio=[0.75, 1.3333333333333333], no_hflip=False, norm_mean=(0.485, 0.456, 0.406), norm_std=(0.229, 0.224, 0.225), arch='resnet50', bottleneck_dim=256, no_pool=False, scratch=False, trade_off=1.0, batch_size=32, lr=0.01, lr_gamma=0.001, lr_decay=0.75, momentum=0.9, weight_decay=0.001, workers=2, epochs=1000, iters_per_epoch=1000, print_freq=1, seed=1, per_class_eval=True, log='logs/dann/Office31_A2W', phase='train')",
  "dann.py:40: UserWarning: You have chosen to seed training. This will turn on the CUDNN deterministic setting, which can slow down your training considerably! You may see unexpected behavior when restarting from checkpoints.",
  "  warnings.warn('You have chosen to seed training. '",
  'train_transform:  Compose(',
  '    ResizeImage(size=(256, 256))',
  '    ToTensor()',
  ')',
  "=> using model 'resnet50'",
];

/** Deterministic LCG so every run of the bench parses the same bytes. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const f = (x: number, w: number, d: number) => x.toFixed(d).padStart(w);

/** Writes the log in 4 MB chunks (bounded memory); returns its size and the number of `Epoch` lines. */
export async function generateTllibLog(path: string, targetBytes = TARGET_BYTES): Promise<{ bytes: number; epochLines: number }> {
  const fh = await open(path, 'w');
  const r = rng(42);
  let bytes = 0;
  let epochLines = 0;
  let chunk: string[] = [];
  let chunkLen = 0;
  const emit = async (line: string) => {
    chunk.push(line);
    chunkLen += line.length + 1;
    if (chunkLen > 4 << 20) await flush();
  };
  const flush = async () => {
    const buf = Buffer.from(chunk.join('\n') + '\n');
    await fh.write(buf);
    bytes += buf.length;
    chunk = [];
    chunkLen = 0;
  };
  try {
    for (const h of HEADER) await emit(h);
    const W = String(ITERS_PER_EPOCH).length;
    for (let e = 0; bytes + chunkLen < targetBytes; e++) {
      await emit(`lr: ${0.001 * (1 + 0.001 * ITERS_PER_EPOCH * e) ** -0.75}`);
      let avgL = 0;
      let avgC = 0;
      let avgD = 0;
      for (let i = 0; i < ITERS_PER_EPOCH; i += PRINT_FREQ) {
        const loss = 0.5 + r() * 2;
        const cls = Math.round(r() * 32) * 3.125;
        const dom = Math.round(r() * 64) * 1.5625;
        const k = i / PRINT_FREQ + 1;
        avgL += (loss - avgL) / k;
        avgC += (cls - avgC) / k;
        avgD += (dom - avgD) / k;
        await emit(
          `Epoch: [${e}][${String(i).padStart(W)}/${ITERS_PER_EPOCH}]\tTime ${f(r(), 5, 2)} (${f(0.3, 5, 2)})\tData ${f(r() * 0.2, 5, 2)} (${f(0.1, 5, 2)})\t` +
            `Loss ${f(loss, 6, 2)} (${f(avgL, 6, 2)})\tCls Acc ${cls.toFixed(1)} (${avgC.toFixed(1)})\tDomain Acc ${dom.toFixed(1)} (${avgD.toFixed(1)})`,
        );
        epochLines++;
      }
      await emit(`Test: [ 0/25]\tTime  0.788 ( 0.788)\tLoss 3.1701e-01 (3.1701e-01)\tAcc@1  96.88 ( 96.88)`);
      await emit(` * Acc@1 ${(70 + r() * 20).toFixed(3)}`);
      await emit('global correct: 80.6');
      await emit('mean correct:79.1');
      await emit('mean IoU: 66.0');
      await emit('+------------------+-------------------+--------------------+');
      await emit('|      class       |        acc        |        iou         |');
      await emit('+------------------+-------------------+--------------------+');
      for (const c of ['back_pack', 'bike', 'desk chair', 'letter tray']) await emit(`| ${c.padStart(16)} | ${String(r() * 100).padEnd(17)} | ${String(r() * 100).padEnd(18)} |`);
      await emit('+------------------+-------------------+--------------------+');
    }
    await emit('best_acc1 = 89.7');
    await emit('test_acc1 = 89.7');
    await flush();
  } finally {
    await fh.close();
  }
  return { bytes, epochLines };
}

interface Timing {
  /** wall-clock seconds */
  wall: number;
  /** user + system CPU seconds, when known */
  cpu?: number;
}

/** `grep -c Epoch file`, timed by /usr/bin/time when it exists (CPU seconds), else wall clock only. */
function grepCount(path: string): Timing & { count: number } {
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const res = timed
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %U %S', 'grep', '-c', 'Epoch', path], { encoding: 'utf8' })
    : spawnSync('grep', ['-c', 'Epoch', path], { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (res.status !== 0 && res.status !== 1) throw new Error(`grep failed: ${res.stderr}`);
  const m = /TIME ([\d.]+) ([\d.]+)/.exec(res.stderr ?? '');
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : undefined, count: Number(res.stdout.trim()) };
}

interface ReadResult extends Timing {
  maxRssMB: number;
  status?: string;
  epochs?: number;
  kept: number;
}

/** Reads the log in a fresh process, so peak RSS is the reader's alone (not the generator's garbage). */
function readInChild(path: string): ReadResult {
  const res = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--read', path], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`reader process failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}') as ReadResult;
}

/** The child side: read once, report timing and peak RSS as one JSON line. */
async function readAndReport(path: string): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const frag = await readTllibLog(path);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const out: ReadResult = {
    wall, cpu: (c.user + c.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024, status: frag.status,
    epochs: frag.epochsCompleted, kept: frag.series?.find((s) => s.key === 'train/loss')?.points.length ?? 0,
  };
  console.log(JSON.stringify(out));
}

const best = <T extends Timing>(xs: T[]): T => xs.reduce((a, b) => (b.wall < a.wall ? b : a));

/** Issue 19's goal: the whole `dann-doctor LOG` process (Node start, module loading, rules, report) >= 0.25x grep. */
export const GOAL_PROCESS_RATIO = 0.25;
export const GOAL_PROCESS_RSS_MB = 150;
const BIN = fileURLToPath(new URL('../bin/dann-doctor.js', import.meta.url));

/** `dann-doctor LOG --format json` as a user runs it (the built CLI), timed from spawn to exit; peak RSS from /usr/bin/time. */
function cliProcess(path: string): Timing & { maxRssMB?: number } {
  const timed = existsSync('/usr/bin/time');
  const args = [process.execPath, BIN, path, '--format', 'json', '--fail-on', 'never'];
  const t0 = performance.now();
  const res = timed ? spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(args[0], args.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`dann-doctor failed (${res.status}): ${res.stderr.slice(-500)}`);
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(res.stderr ?? '');
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : undefined, maxRssMB: m ? Number(m[3]) / 1024 : undefined };
}

/** `node ARGS` timed by /usr/bin/time: CPU seconds (user + system) of the whole process; undefined without it. */
function processCpu(args: string[]): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const res = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /TIME ([\d.]+) ([\d.]+)/.exec(res.stderr ?? '');
  return m ? Number(m[1]) + Number(m[2]) : undefined;
}

/** CPU milliseconds of one `dann-doctor LOG --format json` pass, by part (see phasesInChild). */
interface PhaseNumbers { loadMs: number; phases: Record<string, number>; jsonMs: number; cpuMs: number; jsonChars: number }

/**
 * What `dann-doctor LOG --format json` does after Node has started, in a fresh process with the phase clock on:
 * loading the pipeline's modules, then discover, read, rules, causes, report (diagnoseMany in-process, as the CLI runs
 * one run), then the JSON text (renderJsonChunks, not written anywhere). It runs the per-file build of bench/triage.ts
 * (the bundled CLI cannot switch the clock on), whose module loading costs somewhat more than the bundle's.
 */
const PHASES_SCRIPT = join(BUILD_DIR, 'run-ingest.mjs');
const PHASES_SOURCE = `// written by bench/ingest.ts: one whole-log pass with the phase clock, CPU ms by part as JSON
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const c0 = cpuMs();
const clock = await import('./src/runtime/phase-clock.js');
const { diagnoseMany } = await import('./src/pipeline/diagnose-many.js');
const { renderJsonChunks } = await import('./src/reporters/json.js');
const loadMs = cpuMs() - c0;
clock.enablePhaseClock();
const report = await diagnoseMany([process.argv[2]], { detail: 'full' });
const c1 = cpuMs();
let jsonChars = 0;
for (const piece of renderJsonChunks(report)) jsonChars += piece.length;
const jsonMs = cpuMs() - c1;
console.log(JSON.stringify({ loadMs, phases: clock.phaseTotals(), jsonMs, cpuMs: cpuMs() - c0, jsonChars }));
`;

function phasesInChild(path: string): PhaseNumbers {
  const res = spawnSync(process.execPath, [PHASES_SCRIPT, path], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) throw new Error(`phase pass failed: ${res.stderr.slice(-500)}`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1)!) as PhaseNumbers;
}

/** The lowest of each number over several passes (the least disturbed, as for the timings). */
function lowest(xs: PhaseNumbers[]): PhaseNumbers {
  const min = (f: (x: PhaseNumbers) => number) => Math.min(...xs.map(f));
  const phases = Object.fromEntries(Object.keys(xs[0].phases).map((k) => [k, min((x) => x.phases[k])]));
  return { loadMs: min((x) => x.loadMs), phases, jsonMs: min((x) => x.jsonMs), cpuMs: min((x) => x.cpuMs), jsonChars: xs[0].jsonChars };
}

/**
 * Where the whole process's CPU goes, as lines: Node's own start (`node -e 0`), the CLI's start beyond it
 * (`dann-doctor --version`), then the pipeline by part (phasesInChild), and what the phases do not cover.
 */
async function processBreakdown(path: string, cliCpu: number | undefined): Promise<string[]> {
  await buildForBench();
  await writeFile(PHASES_SCRIPT, PHASES_SOURCE);
  const nodeStart = Math.min(...Array.from({ length: RUNS }, () => processCpu(['-e', '0']) ?? NaN));
  const cliStart = Math.min(...Array.from({ length: RUNS }, () => processCpu([BIN, '--version']) ?? NaN));
  const p = lowest(Array.from({ length: 3 }, () => phasesInChild(path)));
  const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  const parts = Object.entries(p.phases).filter(([, v]) => v >= 0.5).map(([k, v]) => `${k} ${s(v)}`).join(' · ');
  const out = [
    `ingest: whole-process CPU by part (lowest of several passes): Node start ${Number.isFinite(nodeStart) ? `${nodeStart.toFixed(3)} s` : '?'} (node -e 0) · ` +
      `CLI start ${Number.isFinite(cliStart) ? `${cliStart.toFixed(3)} s` : '?'} (dann-doctor --version, Node included) · pipeline modules ${s(p.loadMs)} (per-file build) · ` +
      `${parts} · JSON text ${s(p.jsonMs)} (${(p.jsonChars / 1e6).toFixed(1)} MB)`,
  ];
  if (cliCpu !== undefined && Number.isFinite(nodeStart)) {
    const counted = nodeStart + p.cpuMs / 1000;
    out.push(`ingest: the CLI's ${cliCpu.toFixed(3)} s CPU less Node start and the pass above (${counted.toFixed(3)} s): ${(cliCpu - counted).toFixed(3)} s left for writing the report, exit and measurement noise`);
  }
  return out;
}

/**
 * Runs the benchmark; returns the lines to print. Timings are the best of several runs (the machine is shared, so
 * the minimum is the least disturbed measurement); the page cache is warm for both tools.
 */
export async function benchIngest(targetBytes = TARGET_BYTES): Promise<string[]> {
  const path = join(tmpdir(), `dann-doctor-bench-${process.pid}.txt`);
  const out: string[] = [];
  try {
    const gen = await generateTllibLog(path, targetBytes);
    const mb = (await stat(path)).size / (1024 * 1024);
    grepCount(path);
    const grep = best(Array.from({ length: RUNS }, () => grepCount(path)));
    const read = best(Array.from({ length: RUNS }, () => readInChild(path)));
    const ratio = grep.wall / read.wall;
    const cpuRatio = grep.cpu !== undefined && read.cpu !== undefined && read.cpu > 0 ? grep.cpu / read.cpu : undefined;
    const fmt = (t: Timing) => `${t.wall.toFixed(3)} s wall (${(mb / t.wall).toFixed(0)} MB/s)${t.cpu !== undefined ? `, ${t.cpu.toFixed(3)} s CPU` : ''}`;
    out.push(`ingest: generated ${mb.toFixed(1)} MB tllib log (${gen.epochLines} Epoch lines, print_freq ${PRINT_FREQ})`);
    out.push(`ingest: grep -c Epoch   ${fmt(grep)}  (count ${grep.count})`);
    out.push(`ingest: readTllibLog    ${fmt(read)}  (status ${read.status}, ${read.epochs} epochs, train/loss kept ${read.kept} points)`);
    out.push(`ingest: best of ${RUNS} runs each; the reader's time is readTllibLog alone, in a child process that has already started Node and loaded its modules (grep's includes its process start)`);
    out.push(`ingest: ratio ${ratio.toFixed(3)}x of grep by wall clock${cpuRatio !== undefined ? `, ${cpuRatio.toFixed(3)}x by CPU time` : ''} (target >= ${TARGET_RATIO}x) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}`);
    out.push(`ingest: reader peak RSS ${read.maxRssMB.toFixed(0)} MB (whole process, Node itself included)`);
    if (existsSync(BIN)) {
      const cli = best(Array.from({ length: RUNS }, () => cliProcess(path)));
      const r = grep.wall / cli.wall;
      out.push(`ingest: dann-doctor LOG (whole process: Node start, modules, reader, rules, JSON report) ${fmt(cli)}, peak RSS ${cli.maxRssMB?.toFixed(0) ?? '?'} MB`);
      out.push(`GOAL ingest whole process >= ${GOAL_PROCESS_RATIO}x grep -c: ${r.toFixed(3)}x — ${r >= GOAL_PROCESS_RATIO ? 'met' : `MISSED by ${(GOAL_PROCESS_RATIO / r).toFixed(1)}x (grep ${grep.wall.toFixed(3)} s vs ${cli.wall.toFixed(3)} s)`}`);
      out.push(...(await processBreakdown(path, cli.cpu)));
      if (cli.maxRssMB !== undefined) out.push(`GOAL ingest peak RSS <= ${GOAL_PROCESS_RSS_MB} MB: ${cli.maxRssMB.toFixed(0)} MB — ${cli.maxRssMB <= GOAL_PROCESS_RSS_MB ? 'met' : `MISSED by ${(cli.maxRssMB - GOAL_PROCESS_RSS_MB).toFixed(0)} MB`}`);
    } else out.push('ingest: no built CLI (npm run build) — whole-process goal not measured');
  } finally {
    await rm(path, { force: true });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--read');
  if (i !== -1) await readAndReport(process.argv[i + 1]);
  else {
    const mb = Number(process.env.BENCH_MB);
    for (const l of await benchIngest(Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : undefined)) console.log(l);
  }
}
