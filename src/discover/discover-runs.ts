// Turns the paths a user gives (run directory, single log file, folder of many runs) into runs and their files.
// Knows file *layouts* (tllib, Lightning, MLflow, TensorBoard), never file contents: readers sniff those.
import { naturalCompare } from './natural-order.js';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { InputError, inputErrorFromFs } from '../ingest/input-error.js';
import { LOG_FILE_NAME, TLLIB_LOG_NAME } from '../ingest/common/log-names.js';
import { SUMMARY_FILE } from '../ingest/summary/index.js';
import { yieldToEventLoop } from '../runtime/yield-to-event-loop.js';

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
  /** W&B local run folder (wandb/run-*) */
  wandbDir?: string;
  /** stdout/stderr captures beside the logs (out.txt, err.txt, *.err, slurm-*.out, nohup.out): status evidence */
  stdoutFiles?: string[];
  /** config/args files beside the logs (config.yaml, args.json, hparams.yaml, opts.yaml ...) */
  configFiles?: string[];
  /** a marker file the training script writes when it finished (DomainBed `done`) */
  doneMarker?: string;
  /** files that may hold the run's final results (metrics.json, results_summary.txt); read as logs when they are not */
  summaryFiles?: string[];
}

export interface DiscoverResult {
  runs: DiscoveredRun[];
  errors: { path: string; message: string }[];
}

/** Deeper than this is almost surely a loop or the wrong folder; we say so instead of walking forever. */
export const DEFAULT_MAX_DEPTH = 12;
/** Folders listed between two yields to the event loop (see listDir). */
const WALK_YIELD_EVERY = 64;
/** Folders that never hold runs of their own. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'checkpoints', 'visualize', '__pycache__', '.trash', 'wandb-cache', 'latest-run']);

const TFEVENTS = /^events\.out\.tfevents\./;
const CHECKPOINT = /\.(pth|pt|ckpt|pth\.tar)$|^model\.pth\.tar-\d+$/i;
const FEATURES = /\.(npz|npy)$/i;
/** What a process printed, captured beside the logs: read for how the run ended (tracebacks, Ctrl-C, OOM). */
const STDOUT_CAPTURE = /^(out|err|stdout|stderr|output)\.(txt|log)$|\.(err|out)$|^slurm-.*\.out$|^nohup\.out$/i;
/** Configuration written beside the logs. */
const CONFIG_FILE = /^(config|configs|cfg|args|arguments|hparams|hyperparameters|params|opts|options|settings|best_params|train_config|experiment)\.(ya?ml|json|txt)$|^(config|args|hparams)[-_].*\.(ya?ml|json)$/i;
/** Marker files some frameworks write when a run finished (DomainBed writes `done`). */
const DONE_MARKER = /^(done|DONE|finished|\.done)$/;
/** A TensorBoard folder inside a run folder (Dassl `tensorboard/`): part of that run, not a run of its own. */
const RUN_TB_DIRS = new Set(['tensorboard', 'tb', 'tb_logs', 'tensorboard_logs', 'tblogs']);
/** W&B run folders (`run-<date>_<time>-<id>`, `offline-run-...`). */
const WANDB_RUN_DIR = /^(offline-)?run-\d{8}_\d{6}-[a-z0-9]+$/;
/** Sub-folders Keras' TensorBoard callback creates under one logdir. */
const KERAS_TB_SPLITS = new Set(['train', 'validation', 'eval', 'val']);

interface DirEntryInfo { name: string; isDir: boolean; isFile: boolean }

/**
 * How symbolic links inside a walked folder are treated. By default a link to a folder is not followed (a
 * `data -> /usr` link made 6 bogus runs and 391 errors) and a link to a file is read only when the file really lies
 * inside the folder the user gave (a `train.log -> /proc/kmsg` link hung a plain run). `followLinks` lifts both.
 */
export interface LinkPolicy {
  followLinks: boolean;
  /** real path of the folder the user gave */
  rootReal: string;
}

/** Real folders never walked: kernel pseudo-filesystems, whose files block or never end. */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

function isInsideDir(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * Directory calls are synchronous: on local disks an async readdir/realpath/stat costs 4-8x the CPU of the call
 * itself (a libuv round trip and a promise), which made discovery ~0.3 ms of a sweep's per-run CPU. The walk yields
 * to the event loop every WALK_YIELD_EVERY folders so a progress display and Ctrl-C stay live on a slow share.
 */
async function listDir(dir: string, links: LinkPolicy): Promise<DirEntryInfo[]> {
  const entries = readdirSync(dir, { withFileTypes: true });
  const out: DirEntryInfo[] = [];
  for (const e of entries) {
    let isDir = e.isDirectory();
    let isFile = e.isFile(); // FIFOs, sockets and devices are neither: never read
    if (e.isSymbolicLink()) {
      try {
        const target = realpathSync.native(join(dir, e.name));
        const s = statSync(target);
        const inside = isInsideDir(target, links.rootReal) && !PSEUDO_FS.some((p) => isInsideDir(target, p));
        isDir = s.isDirectory() && links.followLinks;
        isFile = s.isFile() && (links.followLinks || inside);
      } catch {
        continue; // dangling link: nothing to read
      }
    }
    out.push({ name: e.name, isDir, isFile });
  }
  return out.sort((a, b) => naturalCompare(a.name, b.name));
}

/** Classifies one directory's own files into a run, or returns null when it holds nothing to read. */
async function runOfDir(dir: string, entries: DirEntryInfo[], id: string, links: LinkPolicy): Promise<DiscoveredRun | null> {
  const files = entries.filter((e) => e.isFile).map((e) => e.name);
  const dirs = entries.filter((e) => e.isDir).map((e) => e.name);
  const run: DiscoveredRun = { id, path: dir, logFiles: [], earlierAttempts: [], checkpoints: [], featureDumps: [] };

  if (files.includes('meta.yaml') && dirs.includes('metrics')) {
    run.mlflowDir = dir;
  }
  // tllib: newest log per phase is the run; older train logs are earlier attempts.
  const phases: Record<string, string[]> = { train: [], test: [], analysis: [] };
  for (const f of files) {
    const m = TLLIB_LOG_NAME.exec(f);
    if (m) phases[m[1]].push(f);
  }
  for (const p of ['train', 'test', 'analysis']) phases[p].sort((a, b) => (TLLIB_LOG_NAME.exec(a)![2] < TLLIB_LOG_NAME.exec(b)![2] ? -1 : 1));
  if (phases.train.length) {
    run.logFiles.push(join(dir, phases.train.at(-1)!));
    run.earlierAttempts = phases.train.slice(0, -1).map((f) => join(dir, f));
  }
  for (const p of ['test', 'analysis']) if (phases[p].length) run.logFiles.push(join(dir, phases[p].at(-1)!));
  // W&B: the run folder is read as a whole (history, summary, config, exit record); output.log is its stdout
  if (WANDB_RUN_DIR.test(basename(dir)) && (files.some((f) => f.endsWith('.wandb')) || dirs.includes('files'))) {
    run.wandbDir = dir;
    if (dirs.includes('files')) {
      try {
        if ((await listDir(join(dir, 'files'), links)).some((e) => e.name === 'output.log')) run.stdoutFiles = [join(dir, 'files', 'output.log')];
      } catch {
        /* unreadable files/ folder: the transaction log may still be there */
      }
    }
    return run;
  }
  for (const f of files) {
    if (TLLIB_LOG_NAME.test(f)) continue;
    if (TFEVENTS.test(f)) run.tfeventsDir = dir;
    else if (CHECKPOINT.test(f)) run.checkpoints.push(join(dir, f));
    else if (FEATURES.test(f)) run.featureDumps.push(join(dir, f));
    else if (DONE_MARKER.test(f)) run.doneMarker = join(dir, f);
    else if (CONFIG_FILE.test(f)) (run.configFiles ??= []).push(join(dir, f));
    else if (SUMMARY_FILE.test(f) && !run.mlflowDir) (run.summaryFiles ??= []).push(join(dir, f));
    else if (STDOUT_CAPTURE.test(f) && !run.mlflowDir) (run.stdoutFiles ??= []).push(join(dir, f));
    else if (LOG_FILE_NAME.test(f) && !run.mlflowDir) run.logFiles.push(join(dir, f));
  }
  // config.txt / args.txt hold the arguments, not metrics; a run made of them alone is no run
  if (run.mlflowDir) {
    // Keras' TensorBoard callback under an MLflow run's artifacts (artifacts/.../train, .../validation)
    const tb = await findEventDir(join(dir, 'artifacts'), 0, links);
    if (tb) run.tfeventsDir = tb;
  }
  for (const sub of dirs.filter((d) => RUN_TB_DIRS.has(d))) {
    try {
      if (!run.tfeventsDir && (await findEventDir(join(dir, sub), 0, links))) run.tfeventsDir = join(dir, sub);
    } catch {
      /* unreadable: reported when walked */
    }
  }
  if (dirs.includes('checkpoints')) {
    try {
      for (const e of await listDir(join(dir, 'checkpoints'), links)) if (e.isFile && CHECKPOINT.test(e.name)) run.checkpoints.push(join(dir, 'checkpoints', e.name));
    } catch {
      /* unreadable checkpoints folder: the logs are still worth reading */
    }
  }
  // Keras' TensorBoard callback writes logdir/train and logdir/validation: one run, read from the parent.
  if (!run.tfeventsDir) {
    for (const sub of dirs.filter((d) => KERAS_TB_SPLITS.has(d))) {
      try {
        if (onlyEventFiles(await listDir(join(dir, sub), links))) run.tfeventsDir = dir;
      } catch {
        /* unreadable split folder: reported when walked */
      }
    }
  }
  const hasLogs = run.logFiles.length > 0 || run.tfeventsDir || run.mlflowDir || (run.stdoutFiles?.length ?? 0) > 0 || (run.summaryFiles?.length ?? 0) > 0;
  return hasLogs ? run : null;
}

/** How deep under an MLflow run's artifacts (or a run's tensorboard/ folder) event files are looked for. */
const MAX_EVENT_SEARCH_DEPTH = 4;

/** The folder that holds event files (or Keras' train/validation split folders of them), searched breadth-first. */
async function findEventDir(dir: string, depth: number, links: LinkPolicy): Promise<string | undefined> {
  let entries: DirEntryInfo[];
  try {
    entries = await listDir(dir, links);
  } catch {
    return undefined;
  }
  if (entries.some((e) => e.isFile && TFEVENTS.test(e.name))) return dir;
  const subs = entries.filter((e) => e.isDir);
  for (const s of subs) {
    if (!KERAS_TB_SPLITS.has(s.name)) continue;
    try {
      if ((await listDir(join(dir, s.name), links)).some((e) => e.isFile && TFEVENTS.test(e.name))) return dir;
    } catch {
      /* keep looking */
    }
  }
  if (depth >= MAX_EVENT_SEARCH_DEPTH) return undefined;
  for (const s of subs) {
    const hit = await findEventDir(join(dir, s.name), depth + 1, links);
    if (hit) return hit;
  }
  return undefined;
}

/** True when every file in `entries` is an event file (an add_scalars child folder of its parent's run). */
function onlyEventFiles(entries: DirEntryInfo[]): boolean {
  const files = entries.filter((e) => e.isFile);
  return files.length > 0 && files.every((e) => TFEVENTS.test(e.name)) && entries.every((e) => e.isFile);
}

export async function discoverRuns(paths: string[], opts: { maxDepth?: number; followLinks?: boolean } = {}): Promise<DiscoverResult> {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const result: DiscoverResult = { runs: [], errors: [] };
  const seen = new Set<string>();
  let walked = 0;
  for (const given of paths) {
    const root = resolve(given);
    let st;
    try {
      st = statSync(root);
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
    let links: LinkPolicy;
    try {
      links = { followLinks: !!opts.followLinks, rootReal: realpathSync.native(root) };
    } catch (err) {
      result.errors.push({ path: given, message: inputErrorFromFs(given, err).message });
      continue;
    }
    if (PSEUDO_FS.some((p) => isInsideDir(links.rootReal, p))) {
      result.errors.push({ path: given, message: new InputError(given, `${links.rootReal} is a kernel pseudo-filesystem, not a folder of runs`).message });
      continue;
    }
    await walk(root, root, 0);
    if (result.runs.length === runsBefore && result.errors.length === errorsBefore) {
      result.errors.push({ path: given, message: new InputError(given, 'no training logs found (looked for train-*.txt, log.txt, *.log, metrics.csv, *.jsonl, events.out.tfevents.*, MLflow runs)').message });
    }

    async function walk(dir: string, rootDir: string, depth: number): Promise<void> {
      if (++walked % WALK_YIELD_EVERY === 0) await yieldToEventLoop();
      let real: string;
      try {
        real = realpathSync.native(dir);
      } catch (err) {
        result.errors.push({ path: dir, message: inputErrorFromFs(dir, err).message });
        return;
      }
      if (seen.has(real)) return; // symlink loop or the same folder given twice
      seen.add(real);
      if (PSEUDO_FS.some((p) => isInsideDir(real, p))) return;
      let entries: DirEntryInfo[];
      try {
        entries = await listDir(dir, links);
      } catch (err) {
        result.errors.push({ path: dir, message: inputErrorFromFs(dir, err).message });
        return;
      }
      const rel = relative(resolve(rootDir, '..'), dir).split(sep).join('/');
      const id = dir === rootDir ? basename(rootDir) : rel;
      const run = await runOfDir(dir, entries, id || basename(dir), links);
      if (run) result.runs.push(run);
      if (run?.mlflowDir || run?.wandbDir) return; // an MLflow/W&B run's subfolders are its own files
      if (depth >= maxDepth) {
        if (entries.some((e) => e.isDir)) result.errors.push({ path: dir, message: `${dir}: deeper than ${maxDepth} folders; not descending further (--max-depth)` });
        return;
      }
      for (const e of entries) {
        if (!e.isDir || SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue;
        const child = join(dir, e.name);
        if (run?.tfeventsDir && run.tfeventsDir === child) continue; // the run's own tensorboard/ folder
        if (run?.tfeventsDir) {
          try {
            if (onlyEventFiles(await listDir(child, links))) continue; // add_scalars child: read with the parent
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
