// `npm run bench -- replay`: time per replayed variant in dann-doctor (TF.js, best backend here) next to the same
// replay in PyTorch CPU (Debian python3-torch, bench/replay/replay_torch.py), same features, shapes and steps.
// Also prints both implementations' outcomes, so a reader sees they play the same game.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadBackend } from '../src/evaluate/backend.js';
import { readNpz } from '../src/ingest/npy/index.js';
import { TLLIB_DEFAULTS, variantsFor } from '../src/replay/config.js';
import { replayVariants } from '../src/replay/replay-run.js';
import type { ReplayConfig } from '../src/report/replay-schema.js';

const NPZ = resolve(import.meta.dirname, '../../shared/runs/healthy/features.npz');
const ITERATIONS = 300;
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

export async function benchReplay(): Promise<string[]> {
  if (!existsSync(NPZ)) return [`skipped: ${NPZ} not found (the shared runs sit beside the checkout)`];
  const out: string[] = [];
  // The healthy run's own configuration (its Namespace) and the strong-discriminator and diverged settings.
  const base: ReplayConfig = { ...TLLIB_DEFAULTS, bottleneckDim: 128, discBatchNorm: false, runIterations: 4500 };
  const variants = variantsFor(base, [], [{ discBatchNorm: true, discHidden: 2048, discLrMult: 10 }, { lr: 10 }], 6);
  const be = await loadBackend();
  const arrays = await readNpz(NPZ);
  const cpu0 = process.cpuUsage();
  const r = await replayVariants(be.tf, { arrays, file: 'features.npz' }, variants, { backendName: be.name, iterations: ITERATIONS, maxSeeds: 1, budgetSeconds: 1e9 });
  const cpu = process.cpuUsage(cpu0);
  out.push(`dann-doctor on ${be.name}: ${ITERATIONS} steps per variant, healthy run's features (225+225 x 128), 1 seed; process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
  const torch = spawnSync(PYTHON, [resolve(import.meta.dirname, 'replay/replay_torch.py'), '2'], {
    input: JSON.stringify({ npz: NPZ, iterations: ITERATIONS, seeds: 1, variants: variants.map((v) => v.config) }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const torchRows = torch.status === 0 ? torch.stdout.trim().split('\n').map((l) => JSON.parse(l) as { variant: number; seconds: number; domainAcc: number | null; targetAcc: number; diverged: boolean }) : [];
  if (torch.status !== 0) out.push(`PyTorch reference not run: ${(torch.stderr || torch.error?.message || '').trim().split('\n').pop()}`);
  out.push('variant | dd s | torch s | ratio (torch/dd) | dd domain/target | torch domain/target');
  r.variants.forEach((v, i) => {
    const t = v.trials[0]!;
    const p = torchRows.find((x) => x.variant === i);
    const f = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(1));
    out.push(`${v.variant.label} | ${t.seconds.toFixed(2)} | ${p ? p.seconds.toFixed(2) : '-'} | ${p ? (p.seconds / t.seconds).toFixed(2) + 'x' : '-'} | ${f(t.domainAcc)}/${f(t.targetAcc)}${t.diverged ? ' diverged' : ''} | ${p ? `${f(p.domainAcc)}/${f(p.targetAcc)}${p.diverged ? ' diverged' : ''}` : '-'}`);
  });
  out.push('goal: ratio >= 0.5x (dann-doctor at least half as fast as PyTorch CPU)');
  return out;
}
