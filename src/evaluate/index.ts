// Entry of the evaluation engine: finds a run's feature dump and checkpoint, loads TF.js lazily, measures.
import { existsSync, statSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import type { Run, EvalResults, Note } from '../model/types.js';
import type { NdArray } from '../model/ndarray.js';
import { InputError, isRegularFile } from '../ingest/input-error.js';
import { ArrayShapeError } from './matrix.js';
import type { MeasureOptions } from './measure.js';
import { findTfjsModels, loadTfjsModel, loadSavedModel, savedModelNeedsNode, type FoundModel, type LoadedTfModel } from './tfjs-model.js';
import type { LoadedBackend } from './backend.js';

export { loadBackend, parseBackendName, BACKEND_LADDER, UnknownBackendError, BackendUnavailableError, type BackendName, type LoadedBackend } from './backend.js';
export { findTfjsModels, loadTfjsModel, loadSavedModel, readTfjsArtifacts, type FoundModel, type LoadedTfModel } from './tfjs-model.js';
export { measure, DEFAULT_SEED, DEFAULT_MAX_POINTS, type EvalInputs, type MeasureOptions } from './measure.js';
export { quickMeasure, type QuickInputs, type QuickOptions } from './quick.js';

/** quick: typed arrays only, on by default; deep: also trains the discriminator counterfactual (--eval deep). */
export type EvalDepth = 'quick' | 'deep';

export interface EvaluateOptions extends Omit<MeasureOptions, 'onProgress'> {
  /** default 'deep' (the full evaluation) for API compatibility; the pipeline passes 'quick' by default */
  depth?: EvalDepth;
  /** force a backend rung ('wasm', 'cpu', ...); default: the best that loads */
  backend?: string;
  onProgress?: (msg: string, frac: number) => void;
  maxPoints?: number;
}

/** Checkpoints in the order we trust them to match the dump: tllib dumps features with the final model. */
const CHECKPOINT_NAMES = ['latest.pth', 'best.pth'] as const;

function runDir(run: Run): string {
  try {
    return statSync(run.path).isDirectory() ? run.path : dirname(run.path);
  } catch {
    return dirname(run.path);
  }
}

/** The feature dump and checkpoint evaluateRun would use, without reading them. */
export function findEvalInputs(run: Run): { features?: string; checkpoint?: string; otherCheckpoints: string[]; models: FoundModel[] } {
  const dir = runDir(run);
  // regular files only: a FIFO named features.npz or latest.pth would block the read forever
  const features = [run.features?.path, join(dir, 'features.npz')].find((p): p is string => !!p && p.endsWith('.npz') && isRegularFile(p));
  const found = CHECKPOINT_NAMES.map((n) => join(dir, 'checkpoints', n)).filter((p) => isRegularFile(p));
  for (const c of run.checkpoints) if (c.path.endsWith('.pth') && !found.includes(c.path) && isRegularFile(c.path)) found.push(c.path);
  return { ...(features ? { features } : {}), ...(found[0] ? { checkpoint: found[0] } : {}), otherCheckpoints: found.slice(1), models: findTfjsModels(dir) };
}

/**
 * The first TF.js model of the run dir that loads on this backend (model.json first, then a SavedModel when the
 * backend is tfjs-node); every one that cannot be used becomes a note, so a bad model never stops the evaluation.
 */
async function loadRunModel(models: readonly FoundModel[], backend: LoadedBackend, notes: Note[]): Promise<LoadedTfModel | undefined> {
  for (const m of models) {
    try {
      const loaded = m.kind === 'tfjs' ? await loadTfjsModel(backend.tf, m.path) : await loadSavedModel(backend.tf, m.path);
      if (!loaded) { notes.push({ level: 'info', message: savedModelNeedsNode(m.path, backend.name), file: m.path }); continue; }
      const rest = models.filter((o) => o !== m);
      if (rest.length) notes.push({ level: 'info', message: `TF.js model ${m.path} used; not used: ${rest.map((o) => o.path).join(', ')}`, file: m.path });
      return loaded;
    } catch (err) {
      notes.push({ level: 'warn', message: `TF.js model not usable: ${(err as Error).message}`, file: m.path });
    }
  }
  return undefined;
}

/**
 * Backbone-feature arrays the quick path does not read: their domain has logits or predictions, so the classifier is
 * not rebuilt (only the rebuild reads them), and they are often the biggest arrays of a dump (2048-d for a ResNet-50).
 */
function optionalArraysToSkip(run: Run, file: string): string[] {
  if (run.features?.path !== file) return [];
  const names = new Set(run.features.arrays.map((a) => a.name));
  return run.features.arrays.filter((a) => {
    const m = /^(.*)_backbone_features$/.exec(a.name);
    return !!m && PREDICTION_ROLES.some((r) => names.has(`${m[1]}_${r}`));
  }).map((a) => a.name);
}

/** Array suffixes that hold a domain's predictions (see dump-arrays.ts). */
const PREDICTION_ROLES = ['logits', 'outputs', 'predictions', 'preds', 'pred'] as const;

/** True when some domain with features has neither logits nor predictions in the dump. */
function needsRebuiltHead(arrays: ReadonlyMap<string, NdArray>): boolean {
  const prefixes = new Set([...arrays.keys()].map((k) => /^(.*?)_(backbone_features|features|feats)$/.exec(k)?.[1]).filter((p): p is string => !!p));
  return [...prefixes].some((p) => !PREDICTION_ROLES.some((r) => arrays.has(`${p}_${r}`)));
}

/** Class names from a per-class table of the run's log, when it has one row per class. */
function classNamesOf(run: Run): string[] | undefined {
  const t = run.perClass.find((p) => p.rows.length > 0);
  // else the names the dataset gives, when the dump was made by re-running the checkpoint on it
  return t?.rows.map((r) => r.name) ?? run.features?.rerun?.classNames;
}

/**
 * Re-runs evaluation from what the run saved: `features.npz` (required), `checkpoints/latest.pth` (else
 * best.pth) and a TF.js model (model.json, or a SavedModel on tfjs-node; see findTfjsModels) in the run directory, all only read. Returns null when there is no feature dump. TF.js is imported
 * only here, after the inputs were found. A bad dump throws InputError naming the file; a checkpoint that cannot
 * be read becomes a note and evaluation goes on from the dump alone.
 */
export async function evaluateRun(run: Run, opts: EvaluateOptions = {}): Promise<EvalResults | null> {
  const found = findEvalInputs(run);
  if (!found.features) return null;
  const progress = opts.onProgress ?? (() => {});
  progress('reading the feature dump', 0);
  const { readNpz } = await import('../ingest/npy/index.js');
  const quick = opts.depth === 'quick';
  const skipped = quick ? optionalArraysToSkip(run, found.features) : [];
  const keep = skipped.length && run.features ? run.features.arrays.map((a) => a.name).filter((n) => !skipped.includes(n)) : undefined;
  // a member named in the listing may still be refused (object dtype...): then read the dump as a whole, which skips
  // refused members with a note, exactly as without the selection
  const arrays = keep ? await readNpz(found.features, { names: keep }).catch(() => readNpz(found.features!)) : await readNpz(found.features);
  (await import('../ingest/npy/dump-checks.js')).checkFeatureDump(arrays, found.features);
  const notes: Note[] = [];
  let stateDict: ReadonlyMap<string, NdArray> | undefined;
  // Quick: the checkpoint is read only when a domain has no dumped logits or predictions to score with; with them,
  // rebuilding the classifier is only a consistency check, left to --eval deep (a sweep of 1,000 runs would pay for
  // a second checkpoint read and a forward pass per run).
  if (found.checkpoint && (!quick || needsRebuiltHead(arrays))) {
    progress('reading the checkpoint', 0.02);
    try {
      const { readPth } = await import('../ingest/pth/index.js');
      stateDict = (await readPth(found.checkpoint)).stateDict;
      if (found.otherCheckpoints.length) {
        notes.push({
          level: 'info',
          message: `classifier rebuilt from ${basename(found.checkpoint)} (the final model, which made the dump); not used: ${found.otherCheckpoints.map((p) => basename(p)).join(', ')}`,
          file: found.checkpoint,
        });
      }
    } catch (err) {
      notes.push({ level: 'warn', message: `checkpoint not usable, evaluating from the dump only: ${(err as Error).message}`, file: found.checkpoint });
    }
  }
  if (quick) {
    const { quickMeasure } = await import('./quick.js');
    try {
      const { results } = await quickMeasure(
        {
          arrays, arraysFile: found.features,
          ...(stateDict ? { stateDict, checkpointFile: found.checkpoint } : {}),
          ...(classNamesOf(run) ? { classNames: classNamesOf(run)! } : {}),
        },
        { ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.maxPoints !== undefined ? { maxPoints: opts.maxPoints } : {}), ...(opts.inference ? { inference: opts.inference } : {}) },
      );
      if (found.models.length) notes.push({ level: 'info', message: `TF.js model ${found.models.map((m) => m.path).join(', ')} is run by --eval deep only`, file: found.models[0]!.path });
      results.notes.unshift(...notes);
      return results;
    } catch (err) {
      if (err instanceof ArrayShapeError) throw new InputError(found.features, err.message);
      throw err;
    }
  }
  const [{ loadBackend }, { measure }] = await Promise.all([import('./backend.js'), import('./measure.js')]);
  const { backend: _b, onProgress, depth: _d, ...measureOpts } = opts;
  let loaded: LoadedBackend | undefined;
  const getBackend = async () => {
    if (!loaded) {
      progress('loading TensorFlow.js', 0.04);
      loaded = await loadBackend(opts.backend !== undefined ? { backend: opts.backend } : {});
    }
    return loaded;
  };
  // a forced --backend is honoured everywhere (the discriminator trains on it too)
  if (opts.backend !== undefined) await getBackend();
  let tfjsModel: LoadedTfModel | undefined;
  if (found.models.length) {
    const backend = await getBackend();
    progress('loading the TF.js model', 0.045);
    tfjsModel = await loadRunModel(found.models, backend, notes);
  }
  try {
    const res = await measure(
      loaded ?? getBackend,
      {
        arrays,
        arraysFile: found.features,
        ...(stateDict ? { stateDict, checkpointFile: found.checkpoint } : {}),
        ...(tfjsModel ? { tfjsModel } : {}),
        ...(classNamesOf(run) ? { classNames: classNamesOf(run)! } : {}),
      },
      { ...(opts.backend !== undefined ? { trainer: 'tfjs' as const } : {}), ...measureOpts, onProgress: (m, f) => onProgress?.(m, 0.05 + 0.95 * f) },
    );
    res.notes.unshift(...notes);
    return res;
  } catch (err) {
    if (err instanceof ArrayShapeError) throw new InputError(found.features, err.message);
    throw err;
  } finally {
    tfjsModel?.dispose();
  }
}
