// Runs every fuzz target in a worker with a watchdog: counts parsed / rejected-with-message / crashes / hangs,
// the worst time per case and peak memory. Deterministic for a given seed.
import { startWorker } from '../../src/runtime/start-worker.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { fuzzTargets } from './targets.js';
import type { CaseResult } from './worker.js';

/** A case slower than this counts as a hang (the worker is killed and restarted after it). */
export const CASE_TIMEOUT_MS = 10_000;

export interface TargetStats {
  target: string;
  cases: number;
  parsed: number;
  rejected: number;
  crashes: number;
  hangs: number;
  worstMs: number;
  peakRssMb: number;
  examples: string[];
}

function runSlice(targetName: string, from: number, to: number, seed: number, tmp: string, onResult: (r: CaseResult) => void): Promise<{ hungAt?: number }> {
  return new Promise((resolve, reject) => {
    const w = startWorker(new URL('./worker.js', import.meta.url), { targetName, from, to, seed, tmp });
    let last = from - 1;
    let timer = setTimeout(onHang, CASE_TIMEOUT_MS * 3); // first case also pays for module loading
    function onHang() {
      void w.terminate();
      resolve({ hungAt: last + 1 });
    }
    w.on('message', (m: CaseResult | 'done') => {
      clearTimeout(timer);
      if (m === 'done') {
        void w.terminate();
        resolve({});
        return;
      }
      last = m.i;
      onResult(m);
      timer = setTimeout(onHang, CASE_TIMEOUT_MS);
    });
    w.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export async function runFuzz(casesPerTarget: number, seed = 20261127, only?: string[]): Promise<TargetStats[]> {
  const out: TargetStats[] = [];
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  for (const t of fuzzTargets()) {
    if (only && !only.some((o) => t.name.startsWith(o))) continue;
    const stats: TargetStats = { target: t.name, cases: 0, parsed: 0, rejected: 0, crashes: 0, hangs: 0, worstMs: 0, peakRssMb: 0, examples: [] };
    if (t.seeds.length === 0) {
      stats.examples.push('no seed files found; skipped');
      out.push(stats);
      continue;
    }
    const tmp = mkdtempSync(join(root, 'dd-fuzz-'));
    try {
      let from = 0;
      while (from < casesPerTarget) {
        const { hungAt } = await runSlice(t.name, from, casesPerTarget, seed, tmp, (r) => {
          stats.cases++;
          stats[r.outcome === 'parsed' ? 'parsed' : r.outcome === 'rejected' ? 'rejected' : 'crashes']++;
          stats.worstMs = Math.max(stats.worstMs, r.ms);
          if (r.outcome === 'crash' && stats.examples.length < 5) stats.examples.push(`case ${r.i} (${r.seed}): ${r.message}`);
          stats.peakRssMb = Math.max(stats.peakRssMb, process.memoryUsage().rss / 2 ** 20);
        });
        if (hungAt === undefined) break;
        stats.cases++;
        stats.hangs++;
        if (stats.examples.length < 5) stats.examples.push(`case ${hungAt}: no answer within ${CASE_TIMEOUT_MS} ms`);
        from = hungAt + 1;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    out.push(stats);
  }
  return out;
}

export function formatFuzzTable(stats: TargetStats[]): string[] {
  const lines = ['| reader | cases | parsed | rejected with message | crashes | hangs | worst ms/case |', '|---|---|---|---|---|---|---|'];
  for (const s of stats) lines.push(`| ${s.target} | ${s.cases} | ${s.parsed} | ${s.rejected} | ${s.crashes} | ${s.hangs} | ${s.worstMs.toFixed(1)} |`);
  for (const s of stats) for (const e of s.examples) lines.push(`  ${s.target}: ${e}`);
  return lines;
}
