// `npm run bench -- replay`: CPU time per replayed variant in dann-doctor (onnxruntime-node, and the TF.js fallback)
// next to the same replay in PyTorch CPU, one thread (Debian python3-torch, bench/replay/replay_torch.py), same
// features, shapes and steps. CPU seconds, not wall clock: the machine is shared, and contention inflates wall time.
// Also prints both implementations' outcomes, so a reader sees they play the same game.
// REPLAY_BENCH_ENGINES=onnxruntime skips the (slow) TF.js fallback; TORCH_THREADS sets PyTorch's threads (default 1).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { loadBackend } from '../src/evaluate/backend.js';
import { readNpz } from '../src/ingest/npy/index.js';
import { TLLIB_DEFAULTS, variantsFor } from '../src/replay/config.js';
import { replayVariants, type ReplayEngineChoice } from '../src/replay/replay-run.js';
import type { ReplayConfig, ReplayTrial } from '../src/report/replay-schema.js';

const NPZ = resolve(import.meta.dirname, '../../shared/runs/healthy/features.npz');
const ITERATIONS = 300;
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
/** The goal of issue 20: dann-doctor at least half as fast as single-threaded PyTorch CPU. */
const GOAL_RATIO = 0.5;

interface Row { label: string; cpu: number; trial: ReplayTrial }

export async function benchReplay(): Promise<string[]> {
  if (!existsSync(NPZ)) return [`skipped: ${NPZ} not found (the shared runs sit beside the checkout)`];
  const out: string[] = [`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`];
  // The healthy run's own configuration (its Namespace) and the strong-discriminator and diverged settings.
  const base: ReplayConfig = { ...TLLIB_DEFAULTS, bottleneckDim: 128, discBatchNorm: false, runIterations: 4500 };
  const variants = variantsFor(base, [], [{ discBatchNorm: true, discHidden: 2048, discLrMult: 10 }, { lr: 10 }], 6);
  const be = await loadBackend();
  const arrays = await readNpz(NPZ);
  const engines = (process.env.REPLAY_BENCH_ENGINES ?? 'onnxruntime,tfjs').split(',') as ReplayEngineChoice[];
  const results: { engine: string; rows: Row[] }[] = [];
  for (const engine of engines) {
    const rows: Row[] = [];
    let name = engine as string;
    for (const v of variants) {
      const cpu0 = process.cpuUsage();
      const r = await replayVariants(be.tf, { arrays, file: 'features.npz' }, [v], { backendName: be.name, engine, iterations: ITERATIONS, maxSeeds: 1, budgetSeconds: 1e9 });
      const cpu = process.cpuUsage(cpu0);
      name = r.backend;
      rows.push({ label: v.label, cpu: (cpu.user + cpu.system) / 1e6, trial: r.variants[0]!.trials[0]! });
    }
    results.push({ engine: name, rows });
  }
  const threads = process.env.TORCH_THREADS ?? '1';
  const torch = spawnSync(PYTHON, [resolve(import.meta.dirname, 'replay/replay_torch.py'), threads], {
    input: JSON.stringify({ npz: NPZ, iterations: ITERATIONS, seeds: 1, variants: variants.map((v) => v.config) }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  type TorchRow = { variant: number; seconds: number; cpuSeconds: number; domainAcc: number | null; targetAcc: number; diverged: boolean };
  const torchRows = torch.status === 0 ? torch.stdout.trim().split('\n').map((l) => JSON.parse(l) as TorchRow) : [];
  if (torch.status !== 0) out.push(`PyTorch reference not run: ${(torch.stderr || torch.error?.message || '').trim().split('\n').pop()}`);
  const f = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(1));
  const torchCpu = torchRows.reduce((a, r) => a + r.cpuSeconds, 0);
  out.push(`${ITERATIONS} steps per variant, healthy run's features (225+225 x 128), 1 seed; CPU seconds (dann-doctor: whole replay incl. scoring and probe; PyTorch ${threads} thread(s): training loop)`);
  for (const { engine, rows } of results) {
    out.push(`dann-doctor on ${engine}`);
    out.push('variant | dd CPU s (wall) | torch CPU s (wall) | ratio torch/dd CPU | dd domain/target | torch domain/target');
    rows.forEach((row, i) => {
      const t = row.trial;
      const p = torchRows.find((x) => x.variant === i);
      out.push(`${row.label} | ${row.cpu.toFixed(2)} (${t.seconds.toFixed(2)}) | ${p ? `${p.cpuSeconds.toFixed(2)} (${p.seconds.toFixed(2)})` : '-'} | ${p ? (p.cpuSeconds / row.cpu).toFixed(2) + 'x' : '-'} | ${f(t.domainAcc)}/${f(t.targetAcc)}${t.diverged ? ' diverged' : ''} | ${p ? `${f(p.domainAcc)}/${f(p.targetAcc)}${p.diverged ? ' diverged' : ''}` : '-'}`);
    });
    const total = rows.reduce((a, r) => a + r.cpu, 0);
    out.push(`total: dann-doctor ${total.toFixed(1)} s CPU, PyTorch ${torchCpu.toFixed(1)} s CPU: ratio ${torchRows.length ? (torchCpu / total).toFixed(2) : '-'}x (goal >= ${GOAL_RATIO}x)`);
  }
  out.push(`load average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  return out;
}
