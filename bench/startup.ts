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

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-300)}`);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function benchStartup(): Promise<string[]> {
  if (!existsSync(BIN.replace(/bin\/dann-doctor\.js$/, 'dist/src/cli.js'))) return ['startup: no built CLI (npm run build)'];
  const node: number[] = [];
  const dd: number[] = [];
  wallMs(['-e', '0']);
  wallMs([BIN, RUN, '--format', 'json']); // warm the page cache
  for (let i = 0; i < REPEATS; i++) {
    node.push(wallMs(['-e', '0']));
    dd.push(wallMs([BIN, RUN, '--format', 'json']));
  }
  const ratio = median(dd) / median(node);
  return [
    `startup: node -e 0 median ${median(node).toFixed(0)} ms; dann-doctor fixtures/runs/label_shift --format json median ${median(dd).toFixed(0)} ms (${REPEATS} each, alternating; load average ${loadavg()[0].toFixed(1)})`,
    `GOAL one run <= ${GOAL_STARTUP_RATIO}x node -e 0: ${ratio.toFixed(2)}x — ${ratio <= GOAL_STARTUP_RATIO ? 'met' : `MISSED by ${(ratio - GOAL_STARTUP_RATIO).toFixed(2)}x`}`,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) for (const l of await benchStartup()) console.log(l);
