// `--replay`: the run's own adversarial game and each candidate fix, replayed on the run's frozen features.
import { basename } from 'node:path';
import type { Run } from '../model/types.js';
import type { CauseId } from '../report/schema.js';
import { findEvalInputs } from '../evaluate/index.js';
import { ArrayShapeError } from '../evaluate/matrix.js';
import { InputError } from '../ingest/input-error.js';
import { replayConfigOf, variantsFor } from './config.js';
import { REPLAY_MAX_VARIANTS, ReplayInputError, replayVariants } from './replay-run.js';
import type { ReplayConfig, ReplayReport } from '../report/replay-schema.js';

export type { ReplayReport, ReplayVariantResult, ReplayConfig } from '../report/replay-schema.js';
export { REPLAY_CAVEAT, REPLAY_BUDGET_SECONDS } from './replay-run.js';
export { parseTry, TryParseError } from './config.js';
export { replayTable, replaySummaryLine, alignTable } from './table.js';

export interface ReplayRunOptions {
  /** the causes the diagnosis ranked, most likely first: their fixes become variants */
  causes: readonly CauseId[];
  /** `--try key=value` changes */
  tries?: readonly Partial<ReplayConfig>[];
  budgetSeconds?: number;
  iterations?: number;
  backend?: string;
  signal?: AbortSignal;
  onProgress?: (msg: string, frac: number) => void;
}

/**
 * Replays the run when it left a feature dump with backbone (or bottleneck) features and source labels; null when
 * it has no dump. TF.js is imported only here. A dump that cannot be replayed throws InputError naming the file.
 */
export async function replayRun(run: Run, opts: ReplayRunOptions): Promise<ReplayReport | null> {
  const found = findEvalInputs(run);
  if (!found.features) return null;
  const [{ readNpz }, { loadBackend }] = await Promise.all([import('../ingest/npy/index.js'), import('../evaluate/backend.js')]);
  opts.onProgress?.('reading the feature dump', 0);
  const arrays = await readNpz(found.features);
  const backend = await loadBackend(opts.backend !== undefined ? { backend: opts.backend } : {});
  const { config, defaulted } = replayConfigOf(run);
  const variants = variantsFor(config, opts.causes, opts.tries ?? [], REPLAY_MAX_VARIANTS);
  try {
    const report = await replayVariants(backend.tf, { arrays, file: basename(found.features) }, variants, {
      backendName: backend.name,
      ...(opts.budgetSeconds !== undefined ? { budgetSeconds: opts.budgetSeconds } : {}),
      ...(opts.iterations !== undefined ? { iterations: opts.iterations } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    if (defaulted.length) report.notes.push(`not stated by the run, replayed with tllib's defaults: ${defaulted.join(', ')}`);
    return report;
  } catch (err) {
    if (err instanceof ReplayInputError || err instanceof ArrayShapeError) {
      const prefix = `${basename(found.features)}: `;
      throw new InputError(found.features, err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message);
    }
    throw err;
  }
}
