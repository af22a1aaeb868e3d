// Turns the paths a user gives (run directory, single log file, folder of many runs) into runs and their files.
// Knows file *layouts* (tllib, Lightning, MLflow, TensorBoard), never file contents: readers sniff those.
import { readdir, stat, realpath } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { InputError, inputErrorFromFs } from '../ingest/input-error.js';

export interface DiscoveredRun {
  /** stable id: path relative to the root the user gave (the root's basename when the root is the run) */
  id: string;
  /** absolute path of the run directory (or of the file for a single-file input) */
  path: string;
  /** log/metric files to sniff and read, in reading order (for tllib: newest train log first) */
  logFiles: string[];
  /** earlier attempts: older train-*.txt in the same directory */
  earlierAttempts: string[];
  /** directory holding events.out.tfevents.* files (read as a whole, with add_scalars children) */
  tfeventsDir?: string;
  /** MLflow file-store run directory */
  mlflowDir?: string;
  checkpoints: string[];
  featureDumps: string[];
}

export interface DiscoverResult {
  runs: DiscoveredRun[];
  errors: { path: string; message: string }[];
}

/** Deeper than this is almost surely a loop or the wrong folder; we say so instead of walking forever. */
export const DEFAULT_MAX_DEPTH = 12;
/** Folders that never hold runs of their own. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'checkpoints', 'visualize', '__pycache__', 'artifacts', '.trash', 'wandb-cache']);

const TLL_PHASE_LOG = /^(train|test|analysis)-(\d{4}-\d{2}-\d{2}-\d{2}_\d{2}_\d{2})\.txt$/;
const TFEVENTS = /^events\.out\.tfevents\./;
const LOG_NAME = /(\.(txt|log|csv|jsonl|ndjson)$)|^log\.txt(-.*)?$/i;
const CHECKPOINT = /\.(pth|pt|ckpt|pth\.tar)$|^model\.pth\.tar-\d+$/i;
const FEATURES = /\.(npz|npy)$/i;
/** Sub-folders Keras' TensorBoard callback creates under one logdir. */
const KERAS_TB_SPLITS = new Set(['train', 'validation', 'eval', 'val']);

interface DirEntryInfo { name: string; isDir: boolean; isFile: boolean }

async function listDir(dir: string): Promise<DirEntryInfo[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: DirEntryInfo[] = [];
  for (const e of entries) {
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const s = await stat(join(dir, e.name));
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch {
        continue; // dangling link: nothing to read
      }
    }
    out.push({ name: e.name, isDir, isFile });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Classifies one directory's own files into a run, or returns null when it holds nothing to read. */
async function runOfDir(dir: string, entries: DirEntryInfo[], id: string): Promise<DiscoveredRun | null> {
  const files = entries.filter((e) => e.isFile).map((e) => e.name);
  const dirs = entries.filter((e) => e.isDir).map((e) => e.name);
  const run: DiscoveredRun = { id, path: dir, logFiles: [], earlierAttempts: [], checkpoints: [], featureDumps: [] };

  if (files.includes('meta.yaml') && dirs.includes('metrics')) {
    run.mlflowDir = dir;
  }
  // tllib: newest log per phase is the run; older train logs are earlier attempts.
  const phases: Record<string, string[]> = { train: [], test: [], analysis: [] };
  for (const f of files) {
    const m = TLL_PHASE_LOG.exec(f);
    if (m) phases[m[1]].push(f);
  }
  for (const p of ['train', 'test', 'analysis']) phases[p].sort((a, b) => (TLL_PHASE_LOG.exec(a)![2] < TLL_PHASE_LOG.exec(b)![2] ? -1 : 1));
  if (phases.train.length) {
    run.logFiles.push(join(dir, phases.train.at(-1)!));
    run.earlierAttempts = phases.train.slice(0, -1).map((f) => join(dir, f));
  }
  for (const p of ['test', 'analysis']) if (phases[p].length) run.logFiles.push(join(dir, phases[p].at(-1)!));
  for (const f of files) {
    if (TLL_PHASE_LOG.test(f)) continue;
    if (TFEVENTS.test(f)) run.tfeventsDir = dir;
    else if (CHECKPOINT.test(f)) run.checkpoints.push(join(dir, f));
    else if (FEATURES.test(f)) run.featureDumps.push(join(dir, f));
    else if (LOG_NAME.test(f) && !run.mlflowDir) run.logFiles.push(join(dir, f));
  }
  if (dirs.includes('checkpoints')) {
    try {
      for (const e of await listDir(join(dir, 'checkpoints'))) if (e.isFile && CHECKPOINT.test(e.name)) run.checkpoints.push(join(dir, 'checkpoints', e.name));
    } catch {
      /* unreadable checkpoints folder: the logs are still worth reading */
    }
  }
  // Keras' TensorBoard callback writes logdir/train and logdir/validation: one run, read from the parent.
  if (!run.tfeventsDir) {
    for (const sub of dirs.filter((d) => KERAS_TB_SPLITS.has(d))) {
      try {
        if (onlyEventFiles(await listDir(join(dir, sub)))) run.tfeventsDir = dir;
      } catch {
        /* unreadable split folder: reported when walked */
      }
    }
  }
  const hasLogs = run.logFiles.length > 0 || run.tfeventsDir || run.mlflowDir;
  return hasLogs ? run : null;
}

/** True when every file in `entries` is an event file (an add_scalars child folder of its parent's run). */
function onlyEventFiles(entries: DirEntryInfo[]): boolean {
  const files = entries.filter((e) => e.isFile);
  return files.length > 0 && files.every((e) => TFEVENTS.test(e.name)) && entries.every((e) => e.isFile);
}

export async function discoverRuns(paths: string[], opts: { maxDepth?: number } = {}): Promise<DiscoverResult> {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const result: DiscoverResult = { runs: [], errors: [] };
  const seen = new Set<string>();
  for (const given of paths) {
    const root = resolve(given);
    let st;
    try {
      st = await stat(root);
    } catch (err) {
      result.errors.push({ path: given, message: inputErrorFromFs(given, err).message });
      continue;
    }
    if (st.isFile()) {
      const dir = resolve(root, '..');
      result.runs.push({
        id: basename(root), path: root, logFiles: TFEVENTS.test(basename(root)) ? [] : [root], earlierAttempts: [],
        tfeventsDir: TFEVENTS.test(basename(root)) ? dir : undefined,
        checkpoints: CHECKPOINT.test(root) ? [root] : [], featureDumps: FEATURES.test(root) ? [root] : [],
      });
      continue;
    }
    const runsBefore = result.runs.length;
    const errorsBefore = result.errors.length;
    await walk(root, root, 0);
    if (result.runs.length === runsBefore && result.errors.length === errorsBefore) {
      result.errors.push({ path: given, message: new InputError(given, 'no training logs found (looked for train-*.txt, log.txt, *.log, metrics.csv, *.jsonl, events.out.tfevents.*, MLflow runs)').message });
    }

    async function walk(dir: string, rootDir: string, depth: number): Promise<void> {
      let real: string;
      try {
        real = await realpath(dir);
      } catch (err) {
        result.errors.push({ path: dir, message: inputErrorFromFs(dir, err).message });
        return;
      }
      if (seen.has(real)) return; // symlink loop or the same folder given twice
      seen.add(real);
      let entries: DirEntryInfo[];
      try {
        entries = await listDir(dir);
      } catch (err) {
        result.errors.push({ path: dir, message: inputErrorFromFs(dir, err).message });
        return;
      }
      const rel = relative(resolve(rootDir, '..'), dir).split(sep).join('/');
      const id = dir === rootDir ? basename(rootDir) : rel;
      const run = await runOfDir(dir, entries, id || basename(dir));
      if (run) result.runs.push(run);
      if (run?.mlflowDir) return; // an MLflow run's subfolders are its metrics/params/tags
      if (depth >= maxDepth) {
        if (entries.some((e) => e.isDir)) result.errors.push({ path: dir, message: `${dir}: deeper than ${maxDepth} folders; not descending further (--max-depth)` });
        return;
      }
      for (const e of entries) {
        if (!e.isDir || SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue;
        const child = join(dir, e.name);
        if (run?.tfeventsDir) {
          try {
            if (onlyEventFiles(await listDir(child))) continue; // add_scalars child: read with the parent
          } catch {
            /* reported when walked */
          }
        }
        await walk(child, rootDir, depth + 1);
      }
    }
  }
  return result;
}
