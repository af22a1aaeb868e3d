// The re-run step (`--data ROOT`, `--rerun`): a run that saved a checkpoint but no feature dump gets one made by
// re-running the checkpoint on its own images (src/rerun/), kept in dann-doctor's cache. run.features then points at
// the cached features.npz, so the evaluation, t-SNE, plots and the UI read the re-run's arrays exactly as they read a
// run's own dump. Opt-in: decoding a dataset takes seconds to minutes, so it never happens by surprise; a cached
// result is used at once.
import type { Run } from '../model/types.js';
import type { RerunRequest } from '../rerun/rerun-run.js';

export type { RerunRequest };

/**
 * Sets run.features from a re-run (or its cache) when the run has no dump of its own; notes say where the
 * features came from, or why there are none (then run.evalFailure says it in the report's first lines).
 */
export async function attachRerun(run: Run, req: RerunRequest, onProgress?: (message: string, fraction?: number) => void, signal?: AbortSignal): Promise<void> {
  if (run.features) {
    run.notes.push({ level: 'info', file: run.features.path, message: 'the run has its own feature dump: the checkpoint was not re-run on the images' });
    return;
  }
  const [{ rerunRun, rerunSummary }, { rebuildNetwork }, { readPth }, { listNpz }] = await Promise.all([
    import('../rerun/rerun-run.js'), import('../rerun/network/index.js'), import('../ingest/pth/index.js'), import('../ingest/npy/index.js'),
  ]);
  const out = await rerunRun(run, req, {
    rebuild: rebuildNetwork,
    readStateDict: async (p) => (await readPth(p)).stateDict,
    listArrays: (p) => listNpz(p),
  }, { onProgress: (m, f) => onProgress?.(`${run.id}: ${m}`, f), ...(signal ? { signal } : {}) });
  run.notes.push(...out.notes);
  if (out.features) {
    run.features = out.features;
    run.notes.push({ level: 'info', file: out.features.rerun!.checkpoint, message: rerunSummary(out.features) });
  } else if (out.failure) {
    run.evalFailure = `re-run: ${out.failure}`;
    run.notes.push({ level: 'warn', file: run.path, message: `re-run: ${out.failure}` });
  }
}
