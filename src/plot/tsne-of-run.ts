// The interactive UI's t-SNE: a run's features.npz embedded on a worker thread, with progress as a fraction.
import { readNpz } from '../ingest/npy/index.js';
import { checkFeatureDump } from '../ingest/npy/dump-checks.js';
import { embedFeaturesInWorker, embedInputFromArrays, type FeatureEmbedding } from '../tsne/embed-features.js';
import type { TsneProgress } from '../tsne/tsne.js';

/** Share of the wall time before the optimisation starts (PCA, kNN, P): the bar moves from the start. */
const SETUP_SHARE = 0.15;

/** Progress of a whole t-SNE as a fraction in [0, 1]. */
export function progressFraction(p: TsneProgress): number {
  switch (p.phase) {
    case 'pca':
      return 0;
    case 'neighbours':
      return SETUP_SHARE * 0.3;
    case 'affinities':
      return SETUP_SHARE * 0.9;
    case 'optimize':
      return SETUP_SHARE + (1 - SETUP_SHARE) * Math.min(1, p.iteration / Math.max(1, p.totalIterations));
    case 'done':
      return 1;
  }
}

/** Reads `path` (features.npz with source_/target_features and labels), embeds it off the main thread. */
export async function tsneOfFeatureDump(
  path: string,
  opts: { maxPoints?: number; classNames?: string[]; seed?: number; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<FeatureEmbedding> {
  const arrays = await readNpz(path);
  checkFeatureDump(arrays, path);
  const input = embedInputFromArrays(arrays, path, 'features', opts.classNames);
  return embedFeaturesInWorker(input, { cap: opts.maxPoints, seed: opts.seed }, (p) => opts.onProgress?.(progressFraction(p)), opts.signal);
}
