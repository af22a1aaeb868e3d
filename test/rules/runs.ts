// Test runs: the real shared runs loaded through the real pipeline (cached), and small made-up runs for edge cases.
import { resolve } from 'node:path';
import type { Run, Point, Series, HyperValue } from '../../src/model/types.js';
import { discoverRuns } from '../../src/discover/discover-runs.js';
import { loadRun } from '../../src/pipeline/load-run.js';
import { unitOf } from '../../src/understand/metric-aliases.js';
import { KEY } from '../../src/model/metric-keys.js';
import { SHARED_RUNS, SHARED_REAL_LOGS } from '../helpers/shared.js';

const cache = new Map<string, Promise<Run>>();

async function load(dir: string): Promise<Run> {
  const found = await discoverRuns([dir], {});
  if (found.runs.length !== 1) throw new Error(`expected one run in ${dir}, found ${found.runs.length}`);
  return loadRun(found.runs[0], {});
}

/** A run from ../shared/runs (healthy, healthy_lightning, strong_disc, label_shift, diverged, source_only). */
export function sharedRun(name: string): () => Promise<Run> {
  return () => {
    const dir = resolve(SHARED_RUNS, name);
    if (!cache.has(dir)) cache.set(dir, load(dir));
    return cache.get(dir)!;
  };
}

/** A run from ../shared/real-logs (dh-a2w-2ep, dh-digits-b1-b, dao-dan-l1). */
export function realLog(name: string): () => Promise<Run> {
  return () => {
    const dir = resolve(SHARED_REAL_LOGS, name);
    if (!cache.has(dir)) cache.set(dir, load(dir));
    return cache.get(dir)!;
  };
}

export const FAKE_LOG = '/fake/run/train-2026-01-01-00_00_00.txt';

/**
 * A tllib-like per-iteration series from per-epoch means: `printsPerEpoch` points per epoch at iterations
 * 0, ipe/printsPerEpoch, ..., each with the epoch mean as running average (so epoch means come out exactly),
 * and batch values `value(e, i)` when given (default: the mean itself). Line numbers are made up but increasing.
 */
export function tllibSeries(key: string, means: number[], opts: { ipe?: number; printsPerEpoch?: number; value?: (epoch: number, i: number) => number; rawName?: string } = {}): Series {
  const ipe = opts.ipe ?? 1000;
  const k = opts.printsPerEpoch ?? 10;
  const points: Point[] = [];
  let line = 20;
  means.forEach((m, e) => {
    for (let i = 0; i < k; i++) {
      const iter = Math.round((i * ipe) / k);
      points.push({ step: e * ipe + iter, epoch: e, iter, value: opts.value ? opts.value(e, i) : m, avg: m, line: line++ });
    }
    line += 3;
  });
  return { key, rawName: opts.rawName ?? key, file: FAKE_LOG, unit: unitOf(key), granularity: 'iteration', points };
}

/** One value per epoch (validation accuracy). */
export function epochSeries(key: string, values: number[]): Series {
  return { key, rawName: key, file: FAKE_LOG, unit: unitOf(key), granularity: 'epoch', points: values.map((v, e) => ({ step: e, epoch: e, value: v, line: 100 + 13 * e })) };
}

/** A minimal tllib DANN run; override what the case is about. */
export function makeRun(over: { series?: Series[]; hyperparameters?: Record<string, HyperValue> } & Partial<Omit<Run, 'series' | 'hyperparameters'>> = {}): Run {
  const { series = [], hyperparameters = {}, ...rest } = over;
  return {
    id: 'made-up',
    path: '/fake/run',
    formats: ['tllib'],
    files: [FAKE_LOG],
    earlierAttempts: [],
    status: 'finished',
    algorithm: 'dann',
    hyperparameters: { trade_off: 1.0, batch_size: 32, lr: 0.01, epochs: 10, iters_per_epoch: 1000, ...hyperparameters },
    hyperparametersFrom: { file: FAKE_LOG, line: 1 },
    series: Object.fromEntries(series.map((s) => [s.key, s])),
    evaluations: [],
    perClass: [],
    checkpoints: [],
    notes: [],
    itersPerEpoch: 1000,
    ...rest,
  };
}

// made up, after the generator's own options (grl_switch_iter / grl_switch_hi in the shared Namespace lines): the
// reversal is switched off at iteration 2400 and the discriminator takes over
export const switchedOff = () =>
  makeRun({
    itersPerEpoch: 300,
    hyperparameters: { epochs: 15, iters_per_epoch: 300, grl_switch_iter: 2400, grl_switch_hi: 0.0, grl_hi: 1.0, grl_max_iters: 1000, disc_batch_norm: false },
    series: [tllibSeries(KEY.domainAcc, [82, 67, 60, 58, 57, 57, 56, 56, 75, 92, 95, 96, 96, 97, 97], { ipe: 300, printsPerEpoch: 6 })],
  });

/**
 * A deterministic zig-zag: `n` values alternating around `level` by `amp` +- 30% (a fixed pseudo-random pattern),
 * with an optional single lucky value `luckyValue` at index `luckyAt`.
 */
export function zigzag(n: number, level: number, amp: number, luckyAt?: number, luckyValue?: number): number[] {
  let r = 7;
  const rnd = () => ((r = (r * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: n }, (_, i) => (i === luckyAt && luckyValue !== undefined ? luckyValue : Number((level + (i % 2 ? 1 : -1) * amp * (0.7 + 0.6 * rnd())).toFixed(2))));
}
