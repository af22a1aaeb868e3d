// `--shard i/n`: a stable partition of the discovered runs, so n processes (GNU parallel, a Slurm job array) each
// diagnose one share and `dann-doctor merge` puts the shard reports back together.
import type { DiscoverResult, DiscoveredRun } from '../discover/discover-runs.js';
import type { ShardReportInfo, ShardSpec } from '../report/schema.js';

export type { ShardSpec } from '../report/schema.js';
export type ShardInfo = Omit<ShardReportInfo, 'judge'>;

/** "2/8" -> { index: 2, count: 8 }; undefined for anything else (the caller words the error). */
export function parseShard(text: string): ShardSpec | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

/**
 * FNV-1a (32 bit) of the UTF-8 bytes: tiny, well spread for short path strings, and the same in every process and
 * Node version (unlike anything seeded), which is all a partition needs.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The shard (1-based) a run belongs to: from its id (the path relative to the folder the user gave) alone, so adding
 * or removing other runs never moves it, and every shard process agrees without talking to the others.
 */
export function shardOfRun(id: string, count: number): number {
  return (fnv1a32(id) % count) + 1;
}

/** Keeps the runs of one shard (all of them without a spec); errors of discovery are every shard's to report. */
export function selectShard(found: DiscoverResult, shard: ShardSpec | undefined): DiscoverResult & { shard?: ShardInfo } {
  if (!shard) return found;
  const runs: DiscoveredRun[] = [];
  const discovered: ShardInfo['discovered'] = [];
  found.runs.forEach((r, position) => {
    if (shardOfRun(r.id, shard.count) !== shard.index) return;
    runs.push(r);
    discovered.push({ id: r.id, path: r.path, position });
  });
  return { runs, errors: found.errors, shard: { ...shard, discovered } };
}
