// One run from the command line against `node -e 0`: issue 19's goal is <= 3x, median of 7, measured side by side
// (alternating, so both see the same machine load). The run is fixtures/runs/label_shift (a 15-epoch tllib log,
// two checkpoints, a feature dump: quick evaluation included), written as JSON to /dev/null.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const GOAL_STARTUP_RATIO = 3;
const REPEATS = 7;
const BIN = fileURLToPath(new URL('../bin/dann-doctor.js', import.meta.url));
const RUN = resolve(fileURLToPath(new URL('..', import.meta.url)), 'fixtures', 'runs', 'label_shift');

/**
 * Reports the child's own CPU time on stderr as it exits: on the shared machine wall time is mostly other sessions'
 * work, CPU time is what starting and running costs. (The hook itself adds the same few ms to both commands.)
 */
const CPU_HOOK = `--import=data:text/javascript,process.on('exit',()=>{const c=process.cpuUsage();process.stderr.write('\\nDD_CPU_MS '+(c.user+c.system)/1000)})`;

function measured(args: string[]): { wall: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CPU_HOOK, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-300)}`);
  return { wall: performance.now() - t0, cpu: Number(/DD_CPU_MS ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function benchStartup(): Promise<string[]> {
  if (!existsSync(BIN.replace(/bin\/dann-doctor\.js$/, 'dist/src/cli.js'))) return ['startup: no built CLI (npm run build)'];
  const node: number[] = [];
  const dd: number[] = [];
  const nodeCpu: number[] = [];
  const ddCpu: number[] = [];
  measured(['-e', '0']);
  measured([BIN, RUN, '--format', 'json']); // warm the page cache
  for (let i = 0; i < REPEATS; i++) {
    const a = measured(['-e', '0']);
    const b = measured([BIN, RUN, '--format', 'json']);
    node.push(a.wall);
    nodeCpu.push(a.cpu);
    dd.push(b.wall);
    ddCpu.push(b.cpu);
  }
  const ratio = median(dd) / median(node);
  return [
    `startup: node -e 0 median ${median(node).toFixed(0)} ms; dann-doctor fixtures/runs/label_shift --format json median ${median(dd).toFixed(0)} ms (${REPEATS} each, alternating; load average ${loadavg()[0].toFixed(1)})`,
    `startup: CPU medians: node -e 0 ${median(nodeCpu).toFixed(0)} ms, dann-doctor ${median(ddCpu).toFixed(0)} ms (${(median(ddCpu) / median(nodeCpu)).toFixed(2)}x)`,
    `GOAL one run <= ${GOAL_STARTUP_RATIO}x node -e 0: ${ratio.toFixed(2)}x — ${ratio <= GOAL_STARTUP_RATIO ? 'met' : `MISSED by ${(ratio - GOAL_STARTUP_RATIO).toFixed(2)}x`}`,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) for (const l of await benchStartup()) console.log(l);
