// Pipeline step `--replay`: after a run is judged, replay its game and the fixes of its ranked causes.
import type { RunReport } from '../engine/types.js';
import type { Run } from '../model/types.js';
import type { DiagnoseOptions } from './options.js';
import { InputError } from '../ingest/input-error.js';

/**
 * Attaches `report.replay`, or says in `notChecked` why there is none (no dump, or a dump the replay cannot use).
 * Heavy (seconds to minutes within the budget); runs only when asked. TF.js and the replay load only here.
 */
export async function attachReplay(run: Run, report: RunReport, options: DiagnoseOptions): Promise<void> {
  const req = options.replay;
  if (!req) return;
  const { replayRun } = await import('../replay/index.js');
  try {
    const r = await replayRun(run, {
      causes: report.causes.map((c) => c.id),
      tries: req.tries ?? [],
      ...(req.budgetSeconds !== undefined ? { budgetSeconds: req.budgetSeconds } : {}),
      ...(req.iterations !== undefined ? { iterations: req.iterations } : {}),
      ...(options.backend !== undefined ? { backend: options.backend } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (r) report.replay = r;
    else report.notChecked.push('replay: no feature dump (features.npz with source/target backbone features and source labels) to replay on');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    report.notChecked.push(`replay not possible: ${err.message}`);
  }
}
