// t-SNE of a run's features.npz for the terminal UI: read, embed on a worker thread, hand back compact arrays.
import type { TsneResult } from '../ui-loaders.js';

export async function tsneOfFeatureDump(npzPath: string, opts: { maxPoints?: number; classNames?: string[]; onProgress?: (fraction: number) => void }): Promise<TsneResult | null> {
  const { readNpz } = await import('../ingest/npy/index.js');
  const { embedInputFromArrays, embedFeaturesInWorker } = await import('../tsne/embed-features.js');
  const input = embedInputFromArrays(await readNpz(npzPath), npzPath, 'features', opts.classNames);
  const e = await embedFeaturesInWorker(input, { cap: opts.maxPoints }, (p) => opts.onProgress?.(p.iteration / Math.max(1, p.totalIterations)));
  return {
    points: Float32Array.from(e.xy),
    labels: e.label,
    domains: e.domain,
    classNames: e.classNames,
    capped: e.subsampled ? e.cap : undefined,
  };
}
