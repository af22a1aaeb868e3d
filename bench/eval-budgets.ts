// `npm run bench -- eval`: quick evaluation beside the log-only diagnosis (budgets 0.3 s at 1,000 rows x 256, 2 s at
// 50,000 rows), and the deep evaluation's discriminator counterfactual beside the same steps in PyTorch CPU.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npyOf, npzOf, int64s } from './fuzz/hostile-inputs.js';
import { mulberry32 } from '../src/evaluate/rng.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const LOG = resolve(HERE, '../fixtures/evaluate/quick/collapsed/train-2026-01-01-00_00_00.txt');
const DEEP_RUN = resolve(HERE, '../fixtures/runs/healthy');
/** The issue's budgets: quick evaluation on top of the log-only diagnosis. */
const QUICK_BUDGETS: { rows: number; seconds: number }[] = [{ rows: 1_000, seconds: 0.3 }, { rows: 50_000, seconds: 2 }];
const DIM = 256;
const CLASSES = 31;
const REPS = 3;
const GOAL_SPEED = 0.5;
const PYTHON_TIMEOUT_MS = 300_000;

const f32 = (n: number, seed: number, shift = 0) => {
  const r = mulberry32(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1 + (i % DIM < 8 ? shift : 0);
  return Buffer.from(a.buffer);
};

/** A run dir: the fixture's tllib log and a features.npz of `rows` rows per domain (256-d features, 31-class logits). */
export async function makeRun(root: string, rows: number): Promise<string> {
  const dir = join(root, `run-${rows}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'train-2026-01-01-00_00_00.txt'), await readFile(LOG));
  const labels = int64s(Array.from({ length: rows }, (_, i) => i % CLASSES));
  await writeFile(join(dir, 'features.npz'), npzOf({
    source_features: npyOf('<f4', [rows, DIM], f32(rows * DIM, 1)),
    target_features: npyOf('<f4', [rows, DIM], f32(rows * DIM, 2, 0.3)),
    source_labels: npyOf('<i8', [rows], labels),
    target_labels: npyOf('<i8', [rows], labels),
    source_logits: npyOf('<f4', [rows, CLASSES], f32(rows * CLASSES, 3)),
    target_logits: npyOf('<f4', [rows, CLASSES], f32(rows * CLASSES, 4)),
  }));
  return dir;
}

/** Minimum wall seconds over reps; `cpu` gets the CPU seconds (all threads) of that same rep. */
async function minTime(f: () => Promise<unknown>, reps = REPS, cpu?: { s: number }): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    const wall = (performance.now() - t0) / 1000;
    if (wall < best) {
      best = wall;
      const c = process.cpuUsage(c0);
      if (cpu) cpu.s = (c.user + c.system) / 1e6;
    }
  }
  return best;
}

const fmt = (s: number) => (s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toFixed(3));

/** The same discriminator training in PyTorch: tllib's DomainDiscriminator, batch 32+32, SGD 0.01 momentum 0.9. */
const torchScript = (d: number, H: number, bnSteps: number, noBnSteps: number) => `
import json, time, torch
torch.manual_seed(0)
def disc(bn):
    L = [torch.nn.Linear(${d}, ${H})] + ([torch.nn.BatchNorm1d(${H})] if bn else []) + [torch.nn.ReLU()] + ([] if bn else [torch.nn.Dropout(0.5)])
    L += [torch.nn.Linear(${H}, ${H})] + ([torch.nn.BatchNorm1d(${H})] if bn else []) + [torch.nn.ReLU()] + ([] if bn else [torch.nn.Dropout(0.5)])
    return torch.nn.Sequential(*L, torch.nn.Linear(${H}, 1))
def train(bn, steps):
    m = disc(bn).train(); opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
    X = torch.randn(steps, 64, ${d}); y = torch.cat([torch.ones(32, 1), torch.zeros(32, 1)])
    t = time.perf_counter()
    for k in range(steps):
        opt.zero_grad(); o = m(X[k]); torch.nn.functional.binary_cross_entropy_with_logits(o, y).backward(); opt.step()
        acc = ((o > 0).float() == y).float().mean().item()
    m.eval()
    with torch.no_grad(): m(torch.randn(136, ${d}))
    return time.perf_counter() - t
best = min(train(True, ${bnSteps}) + train(False, ${noBnSteps}) for _ in range(2))
print(json.dumps(dict(version=torch.__version__, threads=torch.get_num_threads(), seconds=best)))
`;

function runTorch(script: string): { version: string; threads: number; seconds: number; python: string } | string {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0) continue;
    const res = spawnSync(py, ['-c', script], { encoding: 'utf8', timeout: PYTHON_TIMEOUT_MS });
    if (res.status !== 0) return `PyTorch run failed: ${(res.stderr || res.error?.message || '').trim().split('\n').at(-1)}`;
    return { ...JSON.parse(res.stdout.trim().split('\n').at(-1)!), python: py };
  }
  return "PyTorch skipped: no python3 with torch (install Debian's python3-torch)";
}

export async function benchEvalBudgets(): Promise<string[]> {
  const { diagnose } = await import('../src/index.js');
  const lines: string[] = [];
  const [l1, l5] = loadavg();
  lines.push(`${cpus().length} cpus, load avg ${l1!.toFixed(1)}/${l5!.toFixed(1)} (a shared machine: wall times rise with the load); min of ${REPS}`);
  const root = await mkdtemp(join(tmpdir(), 'dd-eval-bench-'));
  try {
    lines.push('quick evaluation (default) vs log only (--no-eval), whole diagnose():');
    for (const b of QUICK_BUDGETS) {
      const dir = await makeRun(root, b.rows);
      await diagnose([dir]); // warm-up: module loading and JIT are not what the budget is about
      const offCpu = { s: 0 };
      const onCpu = { s: 0 };
      const off = await minTime(() => diagnose([dir], { evaluate: 'off' }), REPS, offCpu);
      let notes: string[] = [];
      const on = await minTime(async () => {
        const r = await diagnose([dir]);
        notes = [...r.runs[0]!.notes, ...(r.runs[0]!.eval?.notes ?? [])].filter((n) => /subsample/.test(n.message)).map((n) => n.message);
      }, REPS, onCpu);
      const extra = on - off;
      const extraCpu = onCpu.s - offCpu.s;
      lines.push(`  ${b.rows.toLocaleString('en-US')} rows x ${DIM} per domain: log only ${fmt(off)} s, with quick evaluation ${fmt(on)} s: +${fmt(extra)} s wall, +${fmt(extraCpu)} s CPU (budget ${b.seconds} s: ${extra <= b.seconds ? 'met' : extraCpu <= b.seconds ? 'met in CPU time, not in wall time on this loaded machine' : 'NOT met'})${notes.length ? `; ${notes.join('; ')}` : ''}`);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }

  lines.push('deep evaluation (--eval deep) on fixtures/runs/healthy (225 rows x 128 per domain):');
  if (!existsSync(DEEP_RUN)) { lines.push('  skipped: fixtures/runs/healthy missing'); return lines; }
  const { loadRuns } = await import('../src/index.js');
  const { evaluateRun } = await import('../src/evaluate/index.js');
  const run = (await loadRuns([DEEP_RUN])).runs[0]!;
  let res = await evaluateRun(run, { depth: 'deep' });
  const deep = await minTime(async () => { res = await evaluateRun(run, { depth: 'deep' }); }, 2);
  const cf = res?.discriminatorCounterfactual;
  if (!cf) { lines.push('  no discriminator counterfactual was trained'); return lines; }
  const ran = cf.stepsRun ?? { withBatchNorm: cf.budgetSteps, withoutBatchNorm: cf.budgetSteps };
  lines.push(`  ${fmt(deep)} s in all (engine ${cf.engine}); discriminator 128 -> 1024 -> 1024 -> 1, batch 32+32: ${ran.withBatchNorm} steps with BatchNorm + ${ran.withoutBatchNorm} without (early stop of ${cf.budgetSteps}-step budgets)`);
  // the training alone, for the comparison with PyTorch on the same steps
  const { discriminatorCounterfactual } = await import('../src/evaluate/measure.js');
  const { onnxDiscriminatorTrainer } = await import('../src/evaluate/onnx-train.js');
  const { toMatrix } = await import('../src/evaluate/matrix.js');
  const { readNpz } = await import('../src/ingest/npy/index.js');
  const trainer = await onnxDiscriminatorTrainer();
  const arrays = await readNpz(join(DEEP_RUN, 'features.npz'));
  const s = toMatrix('s', arrays.get('source_features')!);
  const t = toMatrix('t', arrays.get('target_features')!);
  if (!trainer) { lines.push('  onnxruntime-node not available: the discriminator trains on TF.js'); return lines; }
  const ours = await minTime(() => discriminatorCounterfactual(trainer, s, t, { seed: 0, budget: cf.budgetSteps, earlyStop: true }), 2);
  const torch = runTorch(torchScript(128, 1024, ran.withBatchNorm, ran.withoutBatchNorm));
  if (typeof torch === 'string') lines.push(`  discriminator training ${fmt(ours)} s; ${torch}`);
  else {
    const speed = torch.seconds / ours;
    lines.push(`  discriminator training: ours ${fmt(ours)} s, PyTorch ${torch.version} CPU (${torch.threads} thread${torch.threads > 1 ? 's' : ''}, ${torch.python}) ${fmt(torch.seconds)} s on the same shapes and steps: ${speed.toFixed(2)}x PyTorch's speed (goal >= ${GOAL_SPEED}x: ${speed >= GOAL_SPEED ? 'met' : 'NOT met'})`);
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchEvalBudgets()) console.log(line);
}
