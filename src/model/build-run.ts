// Merges the fragments that readers produced for one run into a single read-only Run, noting every conflict.
import type { Run, RunFragment, Series, RunStatus, Algorithm, CheckpointInfo, FeatureDumpInfo, Note } from './types.js';

/** When two sources disagree on status, the more informative wins (a crash beats "incomplete"). */
const STATUS_RANK: Record<RunStatus, number> = {
  unknown: 0, incomplete: 1, running: 2, finished: 3, killed: 4, failed: 5, crashed: 6,
  // set after merging (pipeline/load-run), never by a reader
  'partially-read': 0,
};

export interface BuildRunInput {
  id: string;
  path: string;
  fragments: RunFragment[];
  earlierAttempts?: string[];
  checkpoints?: CheckpointInfo[];
  features?: FeatureDumpInfo;
  notes?: Note[];
  /** config/args files discovery found beside the logs */
  configFiles?: string[];
}

export function buildRun(input: BuildRunInput): Run {
  const notes: Note[] = [...(input.notes ?? [])];
  const series: Record<string, Series> = {};
  let status: RunStatus = 'unknown';
  let algorithm: Algorithm = 'unknown';
  const run: Run = {
    id: input.id,
    path: input.path,
    formats: [],
    files: [],
    earlierAttempts: input.earlierAttempts ?? [],
    attempts: [],
    configFiles: [...(input.configFiles ?? [])],
    status,
    algorithm,
    hyperparameters: {},
    series,
    evaluations: [],
    perClass: [],
    checkpoints: input.checkpoints ?? [],
    features: input.features,
    notes,
  };
  for (const f of input.fragments) {
    if (f.format !== 'unknown' && !run.formats.includes(f.format)) run.formats.push(f.format);
    for (const file of f.files) if (!run.files.includes(file)) run.files.push(file);
    for (const s of f.series ?? []) {
      const existing = series[s.key];
      if (!existing) series[s.key] = s;
      else if (existing.file === s.file) {
        // same source split in two (e.g. restart): concatenate in step order
        series[s.key] = { ...existing, points: [...existing.points, ...s.points].sort((a, b) => a.step - b.step) };
      } else {
        const keep = s.points.length > existing.points.length ? s : existing;
        const drop = keep === s ? existing : s;
        series[s.key] = keep;
        notes.push({ level: 'info', file: drop.file, message: `series ${s.key} also found in ${keep.file}; kept the one with more points (${keep.points.length} vs ${drop.points.length})` });
      }
    }
    if (f.hyperparameters) {
      for (const [k, v] of Object.entries(f.hyperparameters)) {
        if (!(k in run.hyperparameters)) run.hyperparameters[k] = v;
      }
      run.hyperparametersFrom ??= f.hyperparametersFrom;
      const from = f.hyperparametersFrom?.file;
      if (from && !(run.hyperparameterFiles ??= []).includes(from)) run.hyperparameterFiles.push(from);
    }
    if (f.algorithm && f.algorithm !== 'unknown' && algorithm === 'unknown') algorithm = f.algorithm;
    if (f.status && STATUS_RANK[f.status] > STATUS_RANK[status]) status = f.status;
    if (f.crash && !run.crash) run.crash = f.crash;
    run.evaluations.push(...(f.evaluations ?? []));
    run.perClass.push(...(f.perClass ?? []));
    if (f.bestAcc1 !== undefined) run.bestAcc1 ??= f.bestAcc1;
    if (f.testAcc1 !== undefined) run.testAcc1 ??= f.testAcc1;
    if (f.aDistance) run.aDistance ??= f.aDistance;
    if (f.epochsCompleted !== undefined) run.epochsCompleted = Math.max(run.epochsCompleted ?? 0, f.epochsCompleted);
    if (f.itersPerEpoch !== undefined) run.itersPerEpoch ??= f.itersPerEpoch;
    if (f.epochsPlanned !== undefined) run.epochsPlanned ??= f.epochsPlanned;
    if (f.epochBase !== undefined) run.epochBase ??= f.epochBase;
    for (const c of f.configFiles ?? []) if (!run.configFiles!.includes(c)) run.configFiles!.push(c);
    run.attempts!.push(...(f.attempts ?? []));
    notes.push(...(f.notes ?? []));
  }
  run.status = status;
  run.algorithm = algorithm;
  return run;
}
