// The evaluation step of the run's feature dump: quick by default (typed arrays, no TF.js, in-process: well under a
// second, less than a worker thread's start-up), deep when asked (on a worker thread: TF.js and training block for
// seconds, and the caller's thread must stay free for Ctrl-C), none with 'off'. A failure becomes a warn note and
// run.evalFailure (reporters show it in the first lines), never a lost report. One definition for the CLI, the
// sweep shards and the API.
import type { Run } from '../model/types.js';
import { evalDepthOf, type DiagnoseOptions } from './options.js';

export type EvaluateStepOptions = Pick<DiagnoseOptions, 'evaluate' | 'backend' | 'maxPoints' | 'rerun'>;

export async function attachEvaluation(run: Run, options: EvaluateStepOptions, onProgress?: (message: string, fraction?: number) => void): Promise<void> {
  const depth = evalDepthOf(options.evaluate);
  if (depth === 'off') return;
  if (options.rerun && !run.features) {
    // no dump of its own: re-run the checkpoint on the run's images (or take the cached re-run); see pipeline/rerun.ts
    try {
      const { attachRerun } = await import('./rerun.js');
      await attachRerun(run, options.rerun, onProgress);
    } catch (err) {
      run.evalFailure = `re-run: ${err instanceof Error ? err.message : String(err)}`;
      run.notes.push({ level: 'warn', file: run.path, message: run.evalFailure });
    }
    if (!run.features) return;
  }
  if (!run.features && depth === 'quick') return;
  try {
    let res;
    if (depth === 'quick') {
      const { evaluateRun } = await import('../evaluate/index.js');
      res = await evaluateRun(run, { depth, maxPoints: options.maxPoints, onProgress: (m) => onProgress?.(`${run.id}: quick evaluation — ${m}`) });
    } else {
      const { evaluateInWorker } = await import('./evaluate-in-worker.js');
      res = await evaluateInWorker(run, { depth, backend: options.backend, maxPoints: options.maxPoints, onProgress: (m, f) => onProgress?.(`${run.id}: evaluating — ${m}`, f) });
    }
    if (res) run.eval = res;
    else run.evalFailure = 'no feature dump (features.npz) in the run directory to evaluate';
  } catch (err) {
    run.evalFailure = `${depth === 'quick' ? 'quick evaluation: ' : ''}${err instanceof Error ? err.message : String(err)}`;
    run.notes.push({ level: 'warn', file: run.path, message: `evaluation failed: ${run.evalFailure}` });
  }
}
