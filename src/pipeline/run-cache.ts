// Runs and feature embeddings kept from the diagnosis for the outputs that need more than the report (--plots,
// --format html, the UI's export): no output re-reads a run or computes its t-SNE twice.
import type { Run } from '../model/types.js';
import type { FeatureEmbedding } from '../tsne/embed-features.js';

export class RunCache {
  private readonly runs = new Map<string, Run>();
  private readonly embeddings = new Map<string, Promise<FeatureEmbedding | undefined>>();

  remember(run: Run): void {
    this.runs.set(run.path, run);
  }

  /** The loaded run at `path`, if the diagnosis kept it. */
  get(path: string): Run | undefined {
    return this.runs.get(path);
  }

  /** The embedding of `key` (a feature dump path + settings), computed once. */
  embedding(key: string, compute: () => Promise<FeatureEmbedding | undefined>): Promise<FeatureEmbedding | undefined> {
    let e = this.embeddings.get(key);
    if (!e) this.embeddings.set(key, (e = compute()));
    return e;
  }
}
