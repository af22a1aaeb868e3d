// Fuzz worker: runs mutants of one target's seeds through its reader and classifies each outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync, writeFileSync, mkdirSync, cpSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fuzzTargets } from './targets.js';
import { mulberry32, mutate } from './mutate.js';
import { InputError } from '../../src/ingest/input-error.js';

export type Outcome = 'parsed' | 'rejected' | 'crash';
export interface CaseResult { i: number; outcome: Outcome; ms: number; message?: string; seed?: string }

const { targetName, from, to, seed, tmp } = workerData as { targetName: string; from: number; to: number; seed: number; tmp: string };
const target = fuzzTargets().find((t) => t.name === targetName)!;
const seeds = target.seeds.map((p) => ({ p, bytes: readFileSync(p) }));

/** A rejection is an InputError: a clear one-line message naming the file. Anything else thrown is a crash. */
function classify(err: unknown): { outcome: Outcome; message: string } {
  if (err instanceof InputError) return { outcome: 'rejected', message: err.message.split('\n')[0] };
  const e = err as Error;
  return { outcome: 'crash', message: `${e?.name}: ${e?.message}\n${e?.stack?.split('\n').slice(1, 4).join('\n')}` };
}

for (let i = from; i < to; i++) {
  const rnd = mulberry32(seed * 1_000_003 + i);
  const s = seeds[Math.floor(rnd() * seeds.length)];
  const o = seeds[Math.floor(rnd() * seeds.length)];
  const mutant = mutate(s.bytes, o.bytes, rnd);
  let path: string;
  if (target.treeSeed) {
    const dir = join(tmp, `case-${i}`);
    cpSync(target.treeSeed.dir, dir, { recursive: true });
    const rel = s.p.startsWith(target.treeSeed.dir) ? relative(target.treeSeed.dir, s.p) : target.treeSeed.mutate;
    writeFileSync(join(dir, rel), mutant);
    path = dir;
  } else {
    mkdirSync(tmp, { recursive: true });
    path = join(tmp, s.p.endsWith('.npy') ? 'x.npy' : target.fileName);
    writeFileSync(path, mutant);
  }
  const t0 = performance.now();
  let res: CaseResult;
  try {
    await target.read(path);
    res = { i, outcome: 'parsed', ms: performance.now() - t0 };
  } catch (err) {
    res = { i, ...classify(err), ms: performance.now() - t0, seed: s.p };
  }
  if (target.treeSeed) rmSync(path, { recursive: true, force: true });
  parentPort!.postMessage(res);
}
parentPort!.postMessage('done');
