// `npm run bench -- rerun`: images/s of the rebuilt network's forward pass (src/rerun/network) for ResNet-50 at
// 224x224 and tllib's LeNet at 32x32, on onnxruntime (all cores and 1 thread) and each TF.js backend that loads here,
// beside PyTorch CPU (Debian python3-torch; 1 thread, its default, one per core) on the same weights and tensors.
// Goal (issue 18): the best engine at >= 0.5x PyTorch CPU (its fastest thread count).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readPth } from '../src/ingest/pth/index.js';
import { readNpy } from '../src/ingest/npy/index.js';
import { recogniseClassifier } from '../src/rerun/network/index.js';
import { onnxNetwork } from '../src/rerun/network/onnx-engine.js';
import { tfjsNetwork } from '../src/rerun/network/tfjs-engine.js';
import { BACKEND_LADDER } from '../src/evaluate/backend.js';
import type { RebuiltNetwork } from '../src/rerun/types.js';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
/** Images per timed call: enough for steady state, small enough for a 2-core machine. */
const RESNET_ROWS = Number(process.env.RERUN_RESNET_ROWS ?? 16);
const LENET_ROWS = Number(process.env.RERUN_LENET_ROWS ?? 4096);
const REPS = 3;
/** Single-threaded wasm is far slower on ResNet-50: time it on a slice (the table says how many images). */
const SLOW_BACKEND_ROWS: Record<string, number> = { wasm: 4 };
/** Pure-JS TF.js takes minutes per ResNet-50 image (it took 20 of a 21-minute bench): timed on LeNet only. */
const SKIP_ON_RESNET = new Set(['cpu']);
const GOAL_SPEED = 0.5;

interface TorchResult { torch: string; default_threads: number; thread_counts: number[]; models: Record<string, { input: [number, number, number]; rows: number; images_per_s: Record<string, number> }> }

async function imagesPerSecond(net: RebuiltNetwork, x: Float32Array, [c, h, w]: [number, number, number], rows: number): Promise<number> {
  const data = x.subarray(0, rows * c * h * w);
  await net.forward({ n: Math.min(2, rows), channels: c, height: h, width: w, data: data.subarray(0, Math.min(2, rows) * c * h * w) }); // warm-up
  let best = Infinity;
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await net.forward({ n: rows, channels: c, height: h, width: w, data });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return rows / best;
}

export async function benchRerunNetwork(): Promise<string[]> {
  const out: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'dd-bench-rerun-'));
  try {
    const py = spawnSync(PYTHON, [resolve(import.meta.dirname, 'rerun/torch_forward.py'), dir, String(RESNET_ROWS), String(LENET_ROWS), String(REPS)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (py.status !== 0) return [`skipped: the PyTorch side did not run (${(py.stderr || py.error?.message || '').trim().split('\n').pop()}); it needs ${PYTHON} with torch and torchvision`];
    const torch = JSON.parse(py.stdout.trim().split('\n').pop()!) as TorchResult;
    out.push(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start; PyTorch ${torch.torch} CPU, default ${torch.default_threads} threads`);
    out.push('model | engine | images | images/s | vs torch 1 thread | vs torch best');
    for (const [name, m] of Object.entries(torch.models)) {
      const { stateDict } = await readPth(join(dir, `${name}.pth`));
      const x = (await readNpy(join(dir, `${name}.x.npy`))).data as Float32Array;
      const ir = recogniseClassifier(stateDict, { inputSize: { height: m.input[1], width: m.input[2] }, noPool: name.startsWith('lenet') });
      const t1 = m.images_per_s['1']!;
      // the faster of torch's default and one thread per core: the reference the goal is measured against
      const tn = Math.max(...Object.values(m.images_per_s));
      for (const threads of torch.thread_counts) {
        const ips = m.images_per_s[String(threads)]!;
        const tag = threads === torch.default_threads ? ' (torch default)' : '';
        out.push(`${name} (${ir.architecture}) | PyTorch CPU ${threads} thread(s)${tag} | ${m.rows} | ${ips.toFixed(1)} | ${(ips / t1).toFixed(2)}x | ${(ips / tn).toFixed(2)}x`);
      }
      let best = 0;
      const row = async (label: string, make: () => Promise<RebuiltNetwork | { unavailable: string }>, rows: number) => {
        const net = await make().catch((e: unknown) => ({ unavailable: e instanceof Error ? e.message.split('\n')[0]! : String(e) }));
        if ('unavailable' in net) { out.push(`${name} | ${label} | - | not available: ${net.unavailable} | - | -`); return; }
        try {
          const ips = await imagesPerSecond(net, x, m.input, Math.min(rows, m.rows));
          best = Math.max(best, ips);
          out.push(`${name} | ${label} (${net.engine}) | ${Math.min(rows, m.rows)} | ${ips.toFixed(1)} | ${(ips / t1).toFixed(2)}x | ${(ips / tn).toFixed(2)}x`);
        } finally {
          await net.dispose();
        }
      };
      await row('onnxruntime, all cores', () => onnxNetwork(ir), m.rows);
      await row('onnxruntime, 1 thread', () => onnxNetwork(ir, { threads: 1 }), m.rows);
      for (const backend of BACKEND_LADDER) {
        if (name === 'resnet50' && SKIP_ON_RESNET.has(backend)) { out.push(`${name} | tfjs ${backend} | - | skipped (pure JavaScript: minutes per image) | - | -`); continue; }
        const rows = name === 'resnet50' ? (SLOW_BACKEND_ROWS[backend] ?? m.rows) : m.rows;
        await row(`tfjs ${backend}`, () => tfjsNetwork(ir, { backend }), rows);
      }
      const ratio = best / tn;
      out.push(`GOAL rerun ${name}: best engine ${best.toFixed(1)} images/s = ${ratio.toFixed(2)}x PyTorch CPU's best thread count (goal >= ${GOAL_SPEED}x) ${ratio >= GOAL_SPEED ? 'met' : 'NOT met'}`);
    }
    out.push(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
