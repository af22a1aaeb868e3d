// Sweep triage benchmark: 1,000 run directories (copies of the real shared runs) diagnosed in parallel; target <= 10 s.
// Runnable alone: `node --import tsx bench/triage.ts [N] [--sequential]`.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseMany } from '../src/sweep/diagnose-many.js';
import { triageTable, renderTriageText } from '../src/sweep/index.js';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
/** The bar: 1,000 runs in <= 10 s wall on the 2-core dev machine. */
export const TARGET_RUNS = 1000;
export const TARGET_SECONDS = 10;

/** Source run directories: the six real runs and the three real tllib logs, cycled. */
async function sources(): Promise<string[]> {
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

export async function benchTriage(n = TARGET_RUNS, opts: { sequential?: boolean } = {}): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'dd-bench-triage-'));
  const lines: string[] = [];
  try {
    const t0 = performance.now();
    await makeSweep(root, n);
    lines.push(`triage: made ${n} run dirs (copies of ${SHARED}/runs and real-logs) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const rssBefore = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage(); // process-wide: includes the worker threads
    const t1 = performance.now();
    const report = opts.sequential
      ? await (await import('../src/index.js')).diagnose([root])
      : await diagnoseMany([root]);
    const secs = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    const table = triageTable(report);
    const text = renderTriageText(table, { color: false });
    const peakMb = process.resourceUsage().maxRSS / 1024;
    const mode = opts.sequential ? 'sequential diagnose()' : `diagnoseMany (${availableParallelism()} cores)`;
    lines.push(`triage: ${report.runs.length} runs, ${report.errors.length} errors, ${mode}: ${secs.toFixed(2)} s wall, ${(report.runs.length / secs).toFixed(0)} runs/s (target: ${TARGET_RUNS} in <= ${TARGET_SECONDS} s: ${n === TARGET_RUNS ? (secs <= TARGET_SECONDS ? 'met' : 'MISSED') : 'n/a'})`);
    // On a shared machine wall time includes other people's work; CPU time says what triage itself cost.
    lines.push(`triage: CPU ${cpuSecs.toFixed(2)} s (${((cpuSecs / report.runs.length) * 1000).toFixed(1)} ms/run; ${(cpuSecs / availableParallelism()).toFixed(2)} s if the ${availableParallelism()} cores were all ours; load average ${loadavg()[0].toFixed(1)})`);
    lines.push(`triage: peak RSS ${peakMb.toFixed(0)} MB (process incl. worker threads; ${(rssBefore / 2 ** 20).toFixed(0)} MB before), table ${text.length} chars, worst: ${table.rows[0]?.cells.slice(0, 5).join(' | ') ?? '-'}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? TARGET_RUNS);
  for (const l of await benchTriage(n, { sequential: process.argv.includes('--sequential') })) console.log(l);
}
