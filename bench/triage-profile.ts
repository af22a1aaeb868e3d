// Where triage time goes, per kind of run: K copies of each source run (the mix bench/triage.ts uses), each kind
// triaged in its own child process with the phase clock on; prints CPU ms per run by phase. `--cpu-prof DIR` also
// writes a V8 CPU profile per kind into DIR (read it with Chrome DevTools or `node bench/top-profile.mjs FILE`).
// Usage: node --import tsx bench/triage-profile.ts [copies=40] [--cpu-prof DIR] [--keep]
import { mkdir, mkdtemp, rename, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { BUILD_DIR, buildForBench, makeSweep, sources } from './triage.js';

const copies = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 40);
const profIdx = process.argv.indexOf('--cpu-prof');
const profDir = profIdx !== -1 ? process.argv[profIdx + 1] : undefined;
const src = await sources();
const root = await mkdtemp(join(tmpdir(), 'dd-triage-profile-'));
try {
  await makeSweep(root, src.length * copies);
  await buildForBench();
  const dirs = (await readdir(root)).sort();
  for (const [i, s] of src.entries()) await mkdir(join(root, basename(s)));
  for (const [k, d] of dirs.entries()) await rename(join(root, d), join(root, basename(src[k % src.length]!), d));
  let total = 0;
  for (const s of src) {
    const name = basename(s);
    const args = [...(profDir ? ['--cpu-prof', '--cpu-prof-dir', join(profDir, name)] : []), join(BUILD_DIR, 'run-triage.mjs'), join(root, name), 'phases'];
    const r = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').at(-1)!) as { runs: number; cpuMs: number; loadMs: number; phases: Record<string, number>; peakMb: number };
    const per = (ms: number) => (ms / r.runs).toFixed(2);
    const run = (r.cpuMs - r.loadMs) / r.runs;
    total += run;
    console.log(`${name.padEnd(18)} ${per(r.cpuMs - r.loadMs).padStart(6)} ms/run: ${Object.entries(r.phases).map(([k, v]) => `${k} ${per(v)}`).join(' · ')}; peak ${r.peakMb.toFixed(0)} MB`);
  }
  console.log(`mean over kinds ${(total / src.length).toFixed(2)} ms/run (module loading excluded; ${copies} copies each, JIT warms within a kind)`);
} finally {
  if (!process.argv.includes('--keep')) await rm(root, { recursive: true, force: true });
  else console.log(`kept ${root}`);
}
