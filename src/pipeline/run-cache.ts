// Runs and feature embeddings kept from the diagnosis for the outputs that need more than the report (--plots,
// --format html, the UI's export): no output re-reads a run or computes its t-SNE twice.
import type { Run } from '../model/types.js';
import type { FeatureEmbedding } from '../tsne/embed-features.js';

export interface RunCacheOptions {
  /**
   * Keep at most this many runs (and embeddings); later ones are not kept and are read again when an output needs
   * them. Default: no limit (--replay needs every run it judged).
   */
  maxRuns?: number;
}

/**
 * A bounded cache for sweeps: an HTML report details at most 50 runs (reporters/html.ts HTML_DETAILED_RUNS), so
 * keeping 5,000 read runs for it held ~4 GB; re-reading the few detailed runs that were not kept costs far less.
 */
export const SWEEP_CACHE_MAX_RUNS = 64;

export class RunCache {
  private readonly runs = new Map<string, Run>();
  private readonly embeddings = new Map<string, Promise<FeatureEmbedding | undefined>>();
  private readonly maxRuns: number;

  constructor(opts: RunCacheOptions = {}) {
    this.maxRuns = opts.maxRuns ?? Infinity;
  }

  remember(run: Run): void {
    if (this.runs.size < this.maxRuns || this.runs.has(run.path)) this.runs.set(run.path, run);
  }

  /** The loaded run at `path`, if the diagnosis kept it. */
  get(path: string): Run | undefined {
    return this.runs.get(path);
  }

  /** The embedding of `key` (a feature dump path + settings), computed once. */
  embedding(key: string, compute: () => Promise<FeatureEmbedding | undefined>): Promise<FeatureEmbedding | undefined> {
    let e = this.embeddings.get(key);
    if (e) return e;
    e = compute();
    if (this.embeddings.size < this.maxRuns) this.embeddings.set(key, e);
    return e;
  }
}
