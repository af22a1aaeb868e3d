// A run without a feature dump, re-run from its checkpoint on its own images: find the checkpoint and the data
// (Namespace + --data), use the cached result when this checkpoint already ran on these images with this transform,
// else rebuild the network, forward both domains and cache the arrays. What comes back is a FeatureDumpInfo whose
// file is the cached features.npz: every consumer of a dump (quick/deep evaluation, t-SNE, plots, the UI) reads it
// as it reads a run's own dump. Missing or partial data is a note with counts, never a thrown error.
import { statSync, readdirSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute, basename } from 'node:path';
import type { FeatureDumpInfo, Note, Run } from '../model/types.js';
import type { NdArray } from '../model/ndarray.js';
import type { ListedImage, RebuildOptions, RebuiltNetwork, ValTransform } from './types.js';
import { resolveDataLayout, type LayoutProbe, type DataLayout } from './data/dataset-layout.js';
import { readTask } from './data/read-list.js';
import { valTransformOf, describeTransform, outputSize } from './data/val-transform.js';
import { forwardDomains, skippedNotes, type DomainImages } from './forward-dataset.js';
import { defaultCacheDir, fileHash, readCachedRerun, rerunKey, writeCachedRerun, type RerunMeta, RERUN_CACHE_VERSION } from './rerun-cache.js';
import type { BatchOptions } from './data/image-batches.js';

export interface RerunRequest {
  /** `--data ROOT`: the dataset root, instead of the Namespace's */
  data?: string;
  /** default: defaultCacheDir() */
  cacheDir?: string;
  engine?: RebuildOptions['engine'];
  batchSize?: number;
  concurrency?: number;
}

export interface RerunDeps {
  /** the network half (src/rerun/network): a state_dict -> a runnable network */
  rebuild: (stateDict: ReadonlyMap<string, NdArray>, opts: RebuildOptions) => Promise<RebuiltNetwork>;
  readStateDict: (path: string) => Promise<ReadonlyMap<string, NdArray>>;
  listArrays: (npz: string) => Promise<FeatureDumpInfo['arrays']>;
}

export interface RerunOutcome {
  features?: FeatureDumpInfo;
  notes: Note[];
  /** why nothing could be re-run (no checkpoint, no data, an unreproducible transform), for run.evalFailure */
  failure?: string;
}

/** Checkpoints in the order evaluation trusts them (evaluate/index.ts: the final model first). */
const CHECKPOINT_NAMES = ['latest.pth', 'best.pth'];

export const FS_PROBE: LayoutProbe = {
  isFile: (p) => { try { return statSync(p).isFile(); } catch { return false; } },
  isDir: (p) => { try { return statSync(p).isDirectory(); } catch { return false; } },
  list: (p) => { try { return readdirSync(p); } catch { return []; } },
};

function runDirOf(run: Run): string {
  try {
    return statSync(run.path).isDirectory() ? run.path : dirname(run.path);
  } catch {
    return dirname(run.path);
  }
}

/** The checkpoint a re-run uses: checkpoints/latest.pth, else best.pth, else another listed .pth. */
export function rerunCheckpoint(run: Run): string | undefined {
  const dir = runDirOf(run);
  const named = CHECKPOINT_NAMES.map((n) => resolve(dir, 'checkpoints', n)).find((p) => FS_PROBE.isFile(p));
  return named ?? run.checkpoints.map((c) => c.path).find((p) => p.endsWith('.pth') && FS_PROBE.isFile(p));
}

function inside(child: string, parent: string): boolean {
  const r = relative(resolve(parent), resolve(child));
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

async function listDomains(layout: DataLayout, notes: Note[]): Promise<{ domains: DomainImages[]; classNames?: string[] }> {
  const domains: DomainImages[] = [];
  let classNames = layout.classNames;
  for (const domain of ['source', 'target'] as const) {
    const images: ListedImage[] = [];
    for (const src of layout[domain]) {
      const where = src.kind === 'image-list' ? src.file : src.dir;
      try {
        const task = await readTask(src);
        if (task.badLines.count) {
          const f = task.badLines.first!;
          notes.push({ level: 'warn', file: f.file, line: f.line, message: `${task.badLines.count} line(s) of the image list are not \`path label\` and were skipped (first, line ${f.line}: "${f.text}")` });
        }
        if (task.images.length === 0) notes.push({ level: 'warn', file: where, message: `${domain} task ${src.task}: no images listed` });
        classNames ??= task.classNames;
        images.push(...task.images);
      } catch (err) {
        notes.push({ level: 'warn', file: where, message: `${domain} task ${src.task}: list not readable (${(err as Error).message})` });
      }
    }
    if (images.length) domains.push({ domain, images });
  }
  return { domains, ...(classNames ? { classNames } : {}) };
}

/** The cached dump for this checkpoint and these images, or a new one made by running the network. */
export async function rerunRun(run: Run, req: RerunRequest, deps: RerunDeps, opts: Pick<BatchOptions, 'signal'> & { onProgress?: (m: string, f?: number) => void } = {}): Promise<RerunOutcome> {
  const notes: Note[] = [];
  const progress = opts.onProgress ?? (() => {});
  const checkpoint = rerunCheckpoint(run);
  if (!checkpoint) return { notes, failure: 'no feature dump and no checkpoint (checkpoints/latest.pth or best.pth) to re-run' };
  const runDir = runDirOf(run);
  const layout = resolveDataLayout(run.hyperparameters, runDir, FS_PROBE, req.data);
  for (const p of layout.problems) notes.push({ level: 'warn', file: run.hyperparametersFrom?.file ?? run.path, message: `re-run: ${p}` });
  const tr = valTransformOf(run.hyperparameters, layout.channels);
  if ('unreproducible' in tr) return { notes, failure: `the checkpoint cannot be re-run as the run evaluated it: ${tr.unreproducible}` };
  const { domains, classNames } = await listDomains(layout, notes);
  if (!domains.some((d) => d.domain === 'target')) {
    return { notes, failure: `no target images to re-run the checkpoint on (dataset root ${layout.root || 'unknown'}, from ${layout.rootFrom}${req.data ? '' : '; give --data ROOT'})` };
  }
  const cacheDir = resolve(req.cacheDir ?? defaultCacheDir());
  // the cache must never be a run directory or the data directory (nothing is ever written there)
  const cacheRefused = inside(cacheDir, runDir) || (layout.root && inside(cacheDir, layout.root));
  if (cacheRefused) return { notes, failure: `the cache folder ${cacheDir} is inside the run or data directory, where dann-doctor never writes (set DANN_DOCTOR_CACHE_DIR elsewhere)` };
  progress(`hashing ${basename(checkpoint)}`);
  let key: string;
  let t: ValTransform = tr.transform;
  try {
    key = rerunKey(await fileHash(checkpoint), domains, t);
  } catch (err) {
    return { notes, failure: `checkpoint not readable: ${(err as Error).message}` };
  }
  const hit = await readCachedRerun(cacheDir, key);
  if (hit) {
    for (const m of hit.meta.notes) notes.push({ level: 'warn', file: layout.root, message: `re-run: ${m}` });
    return { notes, features: await featuresOf(hit.features, hit.meta, true, deps) };
  }
  progress(`reading ${basename(checkpoint)}`);
  let net: RebuiltNetwork;
  try {
    const sd = await deps.readStateDict(checkpoint);
    const size = outputSize(t);
    net = await deps.rebuild(sd, {
      ...(req.engine ? { engine: req.engine } : {}),
      ...(size !== null ? { inputSize: { height: size, width: size } } : {}),
      ...(run.hyperparameters.no_pool === true ? { noPool: true } : {}),
    });
  } catch (err) {
    return { notes, failure: `network not rebuilt from ${basename(checkpoint)}: ${(err as Error).message}` };
  }
  try {
    for (const n of net.notes ?? []) notes.push({ level: 'info', file: checkpoint, message: n });
    if (net.input.channels !== t.channels && (net.input.channels === 1 || net.input.channels === 3)) {
      // the first convolution's weights say how many channels the network was trained on: they win over a guess
      notes.push({ level: 'info', file: checkpoint, message: `images fed with ${net.input.channels} channel(s), as the network's first layer expects (the run's settings suggested ${t.channels})` });
      t = { ...t, channels: net.input.channels };
    }
    const res = await forwardDomains(net, domains, t, { batchSize: req.batchSize, concurrency: req.concurrency, signal: opts.signal, onProgress: progress });
    const skipped = skippedNotes(res.stats, net.numClasses);
    const used = (d: 'source' | 'target') => res.stats.find((s) => s.domain === d)?.used ?? 0;
    const rows = used('source') + used('target');
    if (used('target') === 0) return { notes: [...notes, ...skipped.map((m) => ({ level: 'warn' as const, file: layout.root, message: `re-run: ${m}` }))], failure: 'no target image could be read for the re-run' };
    const meta: RerunMeta = {
      version: RERUN_CACHE_VERSION, checkpoint, dataRoot: layout.root, transform: describeTransform(t), engine: net.engine, architecture: net.architecture,
      rows: { source: used('source'), target: used('target') }, seconds: res.seconds, imagesPerSecond: res.seconds > 0 ? rows / res.seconds : 0,
      ...(classNames?.length === net.numClasses ? { classNames } : {}), notes: skipped, created: new Date().toISOString(),
    };
    for (const m of skipped) notes.push({ level: 'warn', file: layout.root, message: `re-run: ${m}` });
    const written = await writeCachedRerun(cacheDir, key, res.arrays, meta);
    return { notes, features: await featuresOf(written.features, meta, false, deps) };
  } finally {
    await net.dispose().catch(() => {});
  }
}

async function featuresOf(path: string, meta: RerunMeta, cached: boolean, deps: RerunDeps): Promise<FeatureDumpInfo> {
  return {
    path,
    arrays: await deps.listArrays(path),
    rerun: {
      checkpoint: meta.checkpoint, dataRoot: meta.dataRoot, transform: meta.transform, engine: meta.engine, architecture: meta.architecture,
      rows: meta.rows, imagesPerSecond: meta.imagesPerSecond, cached, ...(meta.classNames ? { classNames: meta.classNames } : {}),
    },
  };
}

/** The one-line info note saying where the evaluated features came from. */
export function rerunSummary(f: FeatureDumpInfo): string {
  const r = f.rerun!;
  const how = r.cached ? 'from the cache' : `${Math.round(r.imagesPerSecond)} images/s on ${r.engine}`;
  return `features re-computed from ${r.checkpoint} (${r.architecture}) on ${r.rows.source} source and ${r.rows.target} target images under ${r.dataRoot} (${r.transform}; ${how}); cached at ${f.path}`;
}
