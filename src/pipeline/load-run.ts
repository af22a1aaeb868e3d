// Reads one discovered run: sniffs and reads each log file with the right reader, lists checkpoints and feature
// dumps, and merges everything into a Run. One unreadable file becomes a note; the rest of the run still comes through.
import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { DiscoveredRun } from '../discover/discover-runs.js';
import type { RunFragment, Note, CheckpointInfo, FeatureDumpInfo, RunSourceFormat, PartialRead } from '../model/types.js';
import type { Run } from '../model/types.js';
import { buildRun } from '../model/build-run.js';
import { InputError } from '../ingest/input-error.js';
import { detectFormat } from '../ingest/detect.js';
import { readTfeventsDir } from '../ingest/tfevents/index.js';
import { readMlflowRun } from '../ingest/mlflow/index.js';
import { readWandbRun } from '../ingest/wandb/index.js';
import { readConsoleLog } from '../ingest/console/index.js';
import { configFilesIn, readConfigFiles } from '../ingest/config/read-config.js';
import { understandRun } from '../understand/index.js';
import { readSummaryFile } from '../ingest/summary/index.js';
import { settleAttemptStatuses } from '../understand/appended-runs.js';
import { MAX_END_OF_RUN_POINTS, isTestLogName } from '../understand/final-results.js';
import { KEY } from '../model/metric-keys.js';

export interface LoadRunOptions {
  metricAliases?: Record<string, string>;
  /** raw series name -> role spec (--map, config `roles`) */
  roles?: Record<string, string>;
  formatHint?: RunSourceFormat;
  maxBytes?: number;
  /** read checkpoints larger than this only when asked (evaluation); their facts are cheap, their bytes are not */
  checkpointFactsMaxBytes?: number;
}

/** A ResNet-50 tllib checkpoint is ~100 MB; reading it for a few facts would break "an answer within a second". */
export const DEFAULT_CHECKPOINT_FACTS_MAX_BYTES = 32 * 1024 * 1024;

function errMessage(err: unknown): string {
  return err instanceof InputError ? err.message : err instanceof Error ? err.message : String(err);
}

/**
 * The checkpoint and .npz readers, imported on first use (a run without them never loads them) and kept: an
 * `await import()` of a loaded module still resolves it again, ~7 us each, five times per run of a sweep.
 */
let checkpointReaders: Promise<{ readPth: typeof import('../ingest/pth/index.js').readPth; checkpointInfo: typeof import('../ingest/checkpoint-facts.js').checkpointInfo }> | undefined;
let npyReader: Promise<typeof import('../ingest/npy/index.js')> | undefined;

async function loadCheckpointReaders() {
  const [{ readPth }, { checkpointInfo }] = await Promise.all([import('../ingest/pth/index.js'), import('../ingest/checkpoint-facts.js')]);
  return { readPth, checkpointInfo };
}

async function checkpointFacts(path: string, itersPerEpoch: number | undefined, maxBytes: number, notes: Note[]): Promise<CheckpointInfo | null> {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) {
      notes.push({ level: 'info', file: path, message: `checkpoint is ${(size / 2 ** 20).toFixed(0)} MB; not read for facts (raise --max-checkpoint-mb or use --eval)` });
      return null;
    }
    const { readPth, checkpointInfo } = await (checkpointReaders ??= loadCheckpointReaders());
    const res = await readPth(path, { layoutOnly: true }); // facts need names and shapes, not the weights
    return checkpointInfo(path, res, { itersPerEpoch });
  } catch (err) {
    notes.push({ level: 'warn', file: path, message: `checkpoint not readable: ${errMessage(err)}` });
    return null;
  }
}

async function featureDumpInfo(path: string, notes: Note[]): Promise<FeatureDumpInfo | undefined> {
  try {
    if (path.toLowerCase().endsWith('.npz')) {
      const { listNpz } = await (npyReader ??= import('../ingest/npy/index.js'));
      const arrays = await listNpz(path);
      return { path, arrays };
    }
    return undefined;
  } catch (err) {
    notes.push({ level: 'warn', file: path, message: `feature dump not readable: ${errMessage(err)}` });
    return undefined;
  }
}

export async function loadRun(d: DiscoveredRun, opts: LoadRunOptions = {}): Promise<Run> {
  const notes: Note[] = [];
  const fragments: RunFragment[] = [];
  const cut: PartialRead[] = [];
  const readOpts = { metricAliases: opts.metricAliases, maxBytes: opts.maxBytes };
  const logFiles = [...d.logFiles];
  for (const file of d.summaryFiles ?? []) {
    try {
      const summary = await readSummaryFile(file);
      if (typeof summary === 'object') fragments.push(summary);
      else if (summary === 'not-a-summary') logFiles.push(file); // a log, JSON lines: the log readers decide
    } catch (err) {
      notes.push({ level: 'warn', file, message: errMessage(err) });
    }
  }
  for (const file of logFiles) {
    try {
      const reader = await detectFormat(file, opts.formatHint);
      if (!reader) {
        // Unknown text beside a run (README.txt, requirements.txt) is normal; only say so when it is all there is.
        if (logFiles.length === 1 && !d.tfeventsDir && !d.mlflowDir && fragments.length === 0) {
          const size = statSync(file).size;
          notes.push({ level: 'warn', file, message: size === 0 ? 'empty file' : 'not a training log dann-doctor recognises (use --format-hint to force a reader)' });
        }
        continue;
      }
      const fragment = await reader.read(file, readOpts);
      if (opts.maxBytes !== undefined) {
        // Every reader stops at maxBytes; make sure the cut is said once whatever the reader noted.
        const size = statSync(file).size;
        const said = (fragment.notes ?? []).some((n) => n.file === file && n.message.includes(String(opts.maxBytes)));
        if (size > opts.maxBytes && !said) (fragment.notes ??= []).push({ level: 'warn', file, message: `only the first ${opts.maxBytes} of ${size} bytes were read (--max-bytes)` });
        if (size > opts.maxBytes) cut.push({ file, bytesRead: opts.maxBytes, size });
      }
      if (fragment.format !== 'tllib' && isTestLogName(file)) markTestLog(fragment);
      fragments.push(fragment);
    } catch (err) {
      notes.push({ level: 'warn', file, message: errMessage(err) });
    }
  }
  if (d.tfeventsDir) {
    try {
      fragments.push(await readTfeventsDir(d.tfeventsDir, readOpts));
    } catch (err) {
      notes.push({ level: 'warn', file: d.tfeventsDir, message: errMessage(err) });
    }
  }
  if (d.mlflowDir) {
    try {
      fragments.push(await readMlflowRun(d.mlflowDir, readOpts));
    } catch (err) {
      notes.push({ level: 'warn', file: d.mlflowDir, message: errMessage(err) });
    }
  }
  if (d.wandbDir) {
    try {
      fragments.push(await readWandbRun(d.wandbDir, readOpts));
    } catch (err) {
      notes.push({ level: 'warn', file: d.wandbDir, message: errMessage(err) });
    }
  }
  fragments.push(...(await readStdoutCaptures(d, fragments, readOpts, notes)));
  if (d.configFiles?.length) fragments.push({ format: 'unknown', files: [], configFiles: d.configFiles });
  // The run's configuration beside its logs (config.yaml, args.json, hparams.yaml, ...): after the readers, so the
  // values a log header states win over a config file that may have been edited since.
  const configDirs = new Set<string>();
  let isDir = false;
  try {
    isDir = statSync(d.path).isDirectory(); // sync: an async stat costs several times the CPU of the stat itself
  } catch {
    /* vanished: its logs' folders still hold the configs */
  }
  configDirs.add(isDir ? d.path : dirname(d.path));
  for (const f of d.logFiles) configDirs.add(dirname(f));
  if (d.tfeventsDir) configDirs.add(d.tfeventsDir);
  const alreadyRead = new Set(fragments.flatMap((f) => (f.hyperparametersFrom ? [f.hyperparametersFrom.file] : [])));
  const configFiles = new Set(d.configFiles ?? []);
  for (const dir of configDirs) for (const f of await configFilesIn(dir)) configFiles.add(f);
  const cfg = await readConfigFiles([...configFiles].filter((f) => !alreadyRead.has(f)));
  fragments.push(...cfg.fragments);
  notes.push(...cfg.notes);
  const itersPerEpoch = fragments.find((f) => f.itersPerEpoch !== undefined)?.itersPerEpoch;
  const checkpoints: CheckpointInfo[] = [];
  for (const c of d.checkpoints) {
    const info = await checkpointFacts(c, itersPerEpoch, opts.checkpointFactsMaxBytes ?? DEFAULT_CHECKPOINT_FACTS_MAX_BYTES, notes);
    if (info) checkpoints.push(info);
  }
  const npz = d.featureDumps.find((f) => basename(f) === 'features.npz') ?? d.featureDumps.find((f) => f.endsWith('.npz'));
  const features = npz ? await featureDumpInfo(npz, notes) : undefined;
  const run = buildRun({ id: d.id, path: d.path, fragments, earlierAttempts: d.earlierAttempts, checkpoints, features, notes });
  if (run.attempts?.length) settleAttemptStatuses(run.attempts, run.hyperparameters, new Set(d.stdoutFiles ?? []));
  understandRun(run, { roles: opts.roles });
  return cut.length ? markPartiallyRead(run, cut) : run;
}

const CANONICAL_KEYS = new Set<string>(Object.values(KEY));

/**
 * A test log (log_test.txt, test.log, eval.txt) evaluates the finished model: its numbers are end-of-run results, not
 * curves. They keep keys of their own so that merging never drops them for the training log's same-named curve.
 */
function markTestLog(f: RunFragment): void {
  for (const s of f.series ?? []) {
    if (s.points.length > MAX_END_OF_RUN_POINTS) continue; // a test pass per epoch: a curve
    s.endOfRun = 'test-log';
    if (CANONICAL_KEYS.has(s.key)) s.key = `${s.rawName} (${basename(s.file)})`;
  }
}

/**
 * A log cut by the user's own --max-bytes says nothing about how the run ended: its end was not read. Status becomes
 * 'partially-read' (so no rule calls it incomplete or crashed), except a finished status from another, complete
 * source. A traceback seen in a cut log may itself be cut or old: it stays a note, not the run's crash.
 */
function markPartiallyRead(run: Run, cut: PartialRead[]): Run {
  run.partiallyRead = cut;
  if (run.status === 'finished') return run; // the end was read somewhere (a final result, a done marker)
  if (run.crash && cut.some((c) => c.file === run.crash!.file)) {
    run.notes.push({ level: 'info', file: run.crash.file, message: `a ${run.crash.type} traceback in the part read (not judged: the log was cut by --max-bytes)` });
    delete run.crash;
  }
  run.status = 'partially-read';
  return run;
}

/**
 * The stdout/stderr captures beside a run (out.txt, err.txt, slurm-*.out, W&B output.log) say how it ended. When
 * other logs gave series, the captures give only status, crash and the invocations appended in them; alone, they are
 * read as the run's log by the generic console reader. A capture that splits into invocations (a start header) speaks
 * for the newest one; one without (stderr) cannot tell an old traceback from the newest run's, so it only sets the
 * status when no capture with invocations does. A `done` marker (DomainBed) means the newest invocation finished.
 */
async function readStdoutCaptures(d: DiscoveredRun, others: RunFragment[], readOpts: { metricAliases?: Record<string, string>; maxBytes?: number }, notes: Note[]): Promise<RunFragment[]> {
  const files = d.stdoutFiles ?? [];
  if (files.length === 0 && !d.doneMarker) return [];
  const haveSeries = others.some((f) => (f.series?.length ?? 0) > 0);
  const read: RunFragment[] = [];
  for (const file of files) {
    try {
      read.push(await readConsoleLog(file, { ...readOpts, statusOnly: haveSeries }));
    } catch (err) {
      notes.push({ level: 'warn', file, message: errMessage(err) });
    }
  }
  const split = read.filter((f) => (f.attempts?.length ?? 0) > 1);
  if (split.length > 0) {
    for (const f of read) {
      if (split.includes(f) || !f.status) continue;
      (f.notes ??= []).push({ level: 'info', file: f.files[0], message: `its last traceback (${f.crash?.type ?? f.status}) may belong to an earlier invocation; the run's status comes from ${basename(split[0].files[0])}` });
      delete f.status;
      delete f.crash;
    }
  }
  if (d.doneMarker) {
    for (const f of read) {
      if (f.status && f.status !== 'finished') (f.notes ??= []).push({ level: 'info', file: f.files[0], message: `"${basename(d.doneMarker)}" marks the newest run as finished; the ${f.crash?.type ?? f.status} here is from an earlier invocation` });
      delete f.status;
      delete f.crash;
      const newest = f.attempts?.at(-1);
      if (newest && !newest.crash) {
        newest.status = 'finished';
        newest.statusFrom = `"${basename(d.doneMarker)}" marks the newest invocation as finished`;
      }
    }
    read.push({ format: 'unknown', files: [d.doneMarker], status: 'finished', notes: [{ level: 'info', file: d.doneMarker, message: 'finished-marker file present' }] });
  }
  // a capture's own note that it has no numbers is noise when other logs carried the run
  if (haveSeries) for (const f of read) f.notes = (f.notes ?? []).filter((n) => !/no `name value` numbers|no numbers at all/.test(n.message));
  return read;
}

/**
 * Why a loaded run has nothing to diagnose (no reader understood any file, or the files held no metrics, no
 * hyperparameters and no evaluations, e.g. an empty log), or undefined when it has something. Such a run is an
 * input error, never a "healthy" verdict.
 */
/**
 * True when a run that has nothing to diagnose was only ever empty TensorBoard output (zero-byte or scalar-less event
 * files, as a writer leaves when a job dies at start-up): worth a line, not a failed command.
 */
export function onlyEmptyEventFiles(run: Run): boolean {
  return run.formats.length === 1 && run.formats[0] === 'tfevents' && Object.keys(run.series).length === 0 && run.notes.some((n) => /hold no scalars/.test(n.message));
}

export function nothingToDiagnose(run: Run): string | undefined {
  const empty = Object.keys(run.series).length === 0 && run.evaluations.length === 0 && Object.keys(run.hyperparameters).length === 0 && run.perClass.length === 0 && !run.crash;
  if (run.formats.length > 0 && !empty) return undefined;
  const why = run.notes.find((n) => n.level === 'warn');
  return why ? `${why.file ?? run.path}: ${why.message}` : `${run.path}: no training log dann-doctor recognises`;
}
