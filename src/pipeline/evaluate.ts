// The evaluation step: re-run evaluation (TF.js) on a loaded run when asked. TF.js is loaded only then, so plain
// runs start fast; a failure becomes a warning note on the run, never a lost report.
import type { Run } from '../model/types.js';

export interface EvaluateStepOptions {
  evaluate?: boolean;
  backend?: string;
  maxPoints?: number;
}

export async function attachEvaluation(run: Run, options: EvaluateStepOptions, onProgress?: (message: string) => void): Promise<void> {
  if (!options.evaluate) return;
  const { evaluateRun } = await import('../evaluate/index.js');
  try {
    const res = await evaluateRun(run, { backend: options.backend, maxPoints: options.maxPoints, onProgress: (m: string) => onProgress?.(`${run.id}: ${m}`) });
    if (res) run.eval = res;
  } catch (err) {
    run.notes.push({ level: 'warn', file: run.path, message: `evaluation failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}
