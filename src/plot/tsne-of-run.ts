// The interactive UI's t-SNE: a run's features.npz embedded on a worker thread, with progress as a fraction.
import { readNpz } from '../ingest/npy/index.js';
import { checkFeatureDump } from '../ingest/npy/dump-checks.js';
import { embedFeaturesInWorker, embedInputFromArrays } from '../tsne/embed-features.js';
import type { TsneProgress } from '../tsne/tsne.js';

/** The shape src/ui-loaders.ts hands to the TsnePane. */
export interface UiTsneResult {
  /** n x 2 interleaved */
  points: Float32Array;
  labels: Int32Array;
  /** 0 = source, 1 = target */
  domains: Uint8Array;
  classNames?: string[];
  /** points in the dump before the stratified subsample (absent when all were embedded) */
  capped?: number;
}

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
): Promise<UiTsneResult> {
  const arrays = await readNpz(path);
  checkFeatureDump(arrays, path);
  const input = embedInputFromArrays(arrays, path, 'features', opts.classNames);
  const e = await embedFeaturesInWorker(input, { cap: opts.maxPoints, seed: opts.seed }, (p) => opts.onProgress?.(progressFraction(p)), opts.signal);
  return {
    points: Float32Array.from(e.xy),
    labels: e.label,
    domains: e.domain,
    classNames: e.classNames,
    capped: e.subsampled ? e.totalPoints : undefined,
  };
}
