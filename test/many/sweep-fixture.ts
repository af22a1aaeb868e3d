// Builds a sweep in a temp dir from copies of ../shared/runs and ../shared/real-logs, with extra seeds of one config.
import { cp, mkdtemp, readdir, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_RUNS, SHARED_REAL_LOGS } from '../helpers/shared.js';

export const SHARED_RUN_NAMES = ['diverged', 'healthy', 'healthy_lightning', 'label_shift', 'source_only', 'strong_disc'];
export const REAL_LOG_NAMES = ['dao-dan-l1', 'dh-a2w-2ep', 'dh-digits-b1-b'];

/**
 * Copy a tllib run and give it another seed in its Namespace line (and its own log path). There are no real
 * multi-seed runs in ../shared; a copy with only `seed=` changed is exactly what a seed sweep looks like to
 * dann-doctor's grouping (same config, different seed). Its numbers are the original's, so such a group has zero
 * spread; the statistics themselves are checked against scipy in seed-stats.test.ts.
 */
export async function copyWithSeed(srcDir: string, destDir: string, seed: number): Promise<void> {
  await cp(srcDir, destDir, { recursive: true });
  for (const f of await readdir(destDir)) {
    if (!/^train-.*\.txt$/.test(f)) continue;
    const p = join(destDir, f);
    const text = await readFile(p, 'utf8');
    const changed = text.replace(/\bseed=\d+/, `seed=${seed}`).replace(/\blog='([^']*)'/, `log='$1_seed${seed}'`);
    if (changed === text) throw new Error(`no seed= in ${p}`);
    await writeFile(p, changed);
  }
}

export interface Sweep {
  root: string;
  /** runs/<name> and real-logs/<name> and runs/healthy_seed2, runs/healthy_seed3 */
  cleanup(): Promise<void>;
}

/** root/runs/{6 shared runs, healthy_seed2, healthy_seed3}, root/real-logs/{3 real logs}. */
export async function makeSweep(): Promise<Sweep> {
  const root = await mkdtemp(join(tmpdir(), 'dd-sweep-'));
  for (const n of SHARED_RUN_NAMES) await cp(join(SHARED_RUNS, n), join(root, 'runs', n), { recursive: true });
  for (const n of REAL_LOG_NAMES) await cp(join(SHARED_REAL_LOGS, n), join(root, 'real-logs', n), { recursive: true });
  await copyWithSeed(join(SHARED_RUNS, 'healthy'), join(root, 'runs', 'healthy_seed2'), 2);
  await copyWithSeed(join(SHARED_RUNS, 'healthy'), join(root, 'runs', 'healthy_seed3'), 3);
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}
