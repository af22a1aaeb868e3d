// The evaluation step: re-run evaluation (TF.js) on a loaded run when asked. TF.js is loaded only then, so plain
// runs start fast; a failure becomes a warn note on the run (reporters show it in the first lines: the user asked for
// this evaluation), never a lost report. One definition for the CLI, the sweep shards and the API.
import type { Run } from '../model/types.js';

export interface EvaluateStepOptions {
  evaluate?: boolean;
  backend?: string;
  maxPoints?: number;
}

export async function attachEvaluation(run: Run, options: EvaluateStepOptions, onProgress?: (message: string, fraction?: number) => void): Promise<void> {
  if (!options.evaluate) return;
  // on a worker thread: TF.js blocks for seconds at a time, and the caller's thread must stay free for Ctrl-C
  const { evaluateInWorker } = await import('./evaluate-in-worker.js');
  try {
    const res = await evaluateInWorker(run, { backend: options.backend, maxPoints: options.maxPoints, onProgress: (m, f) => onProgress?.(`${run.id}: evaluating — ${m}`, f) });
    if (res) run.eval = res;
    else run.evalFailure = 'no feature dump (features.npz) in the run directory to evaluate';
  } catch (err) {
    run.evalFailure = err instanceof Error ? err.message : String(err);
    run.notes.push({ level: 'warn', file: run.path, message: `evaluation failed: ${run.evalFailure}` });
  }
}
