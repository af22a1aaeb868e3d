// `dann-doctor merge`: shard reports (`--shard i/n --format json`) back into the report one process would have made:
// the same runs in the same order, the same errors, and baselines picked over the whole set.
import type { Report, RunReport, ShardJudgeOptions } from '../report/schema.js';
import { SCHEMA_VERSION } from '../report/schema.js';
import type { Run } from '../model/types.js';
import { isSourceOnly, pickBaselines, whyNoBaselines } from '../understand/baseline-run.js';
import { explainMissingBaselines } from '../report/explain-baselines.js';

/** Why a set of shard reports cannot be merged; the CLI prints it as a one-line usage error. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** A run whose source-only baseline lives in another shard: its shard judged it against another (or no) baseline. */
export interface Rejudge {
  run: RunReport;
  baseline: RunReport;
  judge: ShardJudgeOptions;
}

export interface MergeOptions {
  /** judges `run` again against `baseline` (reads both from disk); without it such runs keep their shard's verdict */
  rejudge?: (job: Rejudge) => Promise<RunReport>;
}

export interface MergeResult {
  report: Report;
  /** ids of the runs judged again because their baseline was in another shard */
  rejudged: string[];
}

interface Placed {
  position: number;
  shard: number;
  run: RunReport;
}

/** Checks the shards form one complete set (1..n, once each, same n and options); `names` label them in errors. */
function checkComplete(reports: Report[], names: string[]): void {
  if (reports.length === 0) throw new MergeError('merge: no shard reports given');
  reports.forEach((r, i) => {
    if (r.schemaVersion !== SCHEMA_VERSION) throw new MergeError(`${names[i]}: report schema ${String(r.schemaVersion)}, this dann-doctor reads ${SCHEMA_VERSION}`);
    if (!r.shard) throw new MergeError(`${names[i]}: not a shard report (write one with --shard i/n --format json=FILE)`);
  });
  const count = reports[0].shard!.count;
  const seen = new Map<number, string>();
  reports.forEach((r, i) => {
    const s = r.shard!;
    if (s.count !== count) throw new MergeError(`${names[i]}: shard ${s.index}/${s.count}, but ${names[0]} is one of ${count}`);
    const twin = seen.get(s.index);
    if (twin) throw new MergeError(`${names[i]}: shard ${s.index}/${count} given twice (also ${twin})`);
    seen.set(s.index, names[i]);
    if (JSON.stringify(s.judge) !== JSON.stringify(reports[0].shard!.judge)) throw new MergeError(`${names[i]}: judged with other options (config, --baseline, --max-bytes...) than ${names[0]}`);
  });
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !seen.has(k));
  if (missing.length) throw new MergeError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing`);
}

/**
 * Merges shard reports. Runs go back to their discovery positions; errors come in the order one process reports
 * them (discovery errors once, then unreadable runs by position, then --baseline errors once). A shard picked each
 * adapted run's baseline among its own runs; here it is picked over the whole set, and a run whose pick changed is
 * judged again through `rejudge` (the only work merge does beyond arranging).
 */
export async function mergeShardReports(reports: Report[], names: string[], opts: MergeOptions = {}): Promise<MergeResult> {
  checkComplete(reports, names);
  const judge = reports[0].shard!.judge;
  const placed: Placed[] = [];
  const discoveryErrors: Report['errors'] = [];
  const baselineErrors: Report['errors'] = [];
  const runErrors: { position: number; error: Report['errors'][number] }[] = [];
  const key = (e: Report['errors'][number]) => `${e.path}\u0000${e.message}`;
  const seenErrors = new Set<string>();
  for (const r of reports) {
    const s = r.shard!;
    const byId = new Map<string, number[]>();
    const byPath = new Map<string, number>();
    for (const d of s.discovered) {
      byId.set(d.id, [...(byId.get(d.id) ?? []), d.position]);
      byPath.set(d.path, d.position);
    }
    for (const run of r.runs) {
      const position = byId.get(run.id)?.shift();
      if (position === undefined) throw new MergeError(`${names[reports.indexOf(r)]}: run ${run.id} is not among the shard's discovered runs (edited report?)`);
      placed.push({ position, shard: s.index, run });
    }
    for (const e of r.errors) {
      const position = byPath.get(e.path);
      if (position !== undefined) runErrors.push({ position, error: e });
      else if (!seenErrors.has(key(e))) {
        // every shard walks the same folders, so each repeats the discovery errors (and the --baseline ones)
        seenErrors.add(key(e));
        (judge.baseline !== undefined && e.path.startsWith(judge.baseline) ? baselineErrors : discoveryErrors).push(e);
      }
    }
  }
  placed.sort((a, b) => a.position - b.position);
  runErrors.sort((a, b) => a.position - b.position);

  const rejudged: string[] = [];
  if (judge.baseline === undefined) {
    // Each shard explained missing baselines over its own runs only: take those lines out, explain over the whole set.
    for (const index of new Set(placed.map((p) => p.shard))) {
      const mine = placed.filter((p) => p.shard === index).map((p) => p.run);
      const asRuns = mine as unknown as (Pick<Run, 'algorithm' | 'hyperparameters' | 'path' | 'formats' | 'inRunBaseline'>)[];
      const sourceOnly = mine.filter((r) => isSourceOnly(r as unknown as Run));
      whyNoBaselines(asRuns, sourceOnly).forEach((why, i) => {
        const at = why === undefined ? -1 : mine[i].notChecked.lastIndexOf(why);
        if (at >= 0) mine[i].notChecked.splice(at, 1);
      });
    }
    const global = pickBaselines(placed.map((p) => p.run));
    // what each shard picked: the same rule over its own runs only
    const local = new Map<Placed, Placed | undefined>();
    for (const index of new Set(placed.map((p) => p.shard))) {
      const mine = placed.filter((p) => p.shard === index);
      pickBaselines(mine.map((p) => p.run)).forEach((b, i) => local.set(mine[i], b === undefined ? undefined : mine[b]));
    }
    for (let i = 0; i < placed.length; i++) {
      const g = global[i] === undefined ? undefined : placed[global[i]!];
      if (g === local.get(placed[i]) || !g) continue;
      // (a global pick of "none" never differs from a shard's pick: a shard sees a subset of the same runs)
      if (!opts.rejudge) continue;
      placed[i].run = await opts.rejudge({ run: placed[i].run, baseline: g.run, judge });
      rejudged.push(placed[i].run.id);
    }
    explainMissingBaselines(placed.map((p) => p.run), false);
  }
  return {
    report: {
      schemaVersion: SCHEMA_VERSION, tool: reports[0].tool, generatedAt: new Date().toISOString(),
      runs: placed.map((p) => p.run), errors: [...discoveryErrors, ...runErrors.map((e) => e.error), ...baselineErrors],
    },
    rejudged,
  };
}
