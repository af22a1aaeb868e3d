// TensorBoard tfevents reader: framing -> Event decoding -> per-tag accumulation with restart purge -> RunFragment.
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { InputError, inputErrorFromFs } from '../input-error.js';
import { readTfRecords } from './record-reader.js';
import { decodeEvent, isNumericDtype, type DecodedValue } from './event.js';
import { ProtoError } from './protobuf.js';
import { maskedCrc32c } from './crc32c.js';
import { buildSeries, canonicalKey, guessAlgorithm, isEpochLevelName, type RawSeries } from '../../understand/metric-aliases.js';
import { readHparamsYaml, statusFromPlannedEpochs } from '../common/hparams.js';
import { MAX_POINTS_PER_SERIES } from '../common/point-buffer.js';
import type { FormatReader, ReadOptions } from '../format-reader.js';
import { splitStepOrder } from './step-order.js';
import type { HyperValue, Note, Point, RunAttempt, RunFragment } from '../../model/types.js';

/** A tfevents file name always contains this (events.out.tfevents.<time>.<host>...). */
const NAME_MARK = 'tfevents';
/** Subdirectory names the Keras TensorBoard callback writes, one per split. */
const KERAS_SPLIT_DIRS = new Set(['train', 'validation']);
/** How deep readTfeventsDir looks for event files (logdir/<add_scalars child>/ or logdir/train/, plus one more). */
const MAX_DIR_DEPTH = 3;
/** After this many undecodable records in a file only a count is noted. */
const MAX_DECODE_NOTES = 5;
/**
 * Points kept per tag before thinning (the tllib reader's budget, for the same reason: a 1 GB event file holds tens
 * of millions of scalars, far more than any rule needs, and as Point objects they would need gigabytes).
 */
export const MAX_POINTS_PER_TAG = MAX_POINTS_PER_SERIES;

interface TagState {
  points: Point[];
  /** keep every stride-th point; doubles each time the budget fills */
  stride: number;
  seen: number;
  lastNonFinite: boolean;
  /**
   * The newest value when thinning did not keep it; it ends the series unless a later point replaces it. Held as
   * numbers, not a Point: most values of a long series are dropped, and allocating each one was most of the GC work.
   */
  hasTail: boolean;
  tailStep: number;
  tailValue: number;
  tailWall: number;
  /** file of the last value (a repeated step from a new file is a resumed job) */
  lastFile: string;
}

function makePoint(step: number, value: number, wall: number): Point {
  return Number.isNaN(wall) ? { step, value } : { step, value, wallTime: wall };
}

/** Drops a tag's points at or after `step` (a restart rewrites them); returns how many. */
function truncateFrom(st: TagState, step: number): number {
  let dropped = 0;
  if (st.hasTail && st.tailStep >= step) { st.hasTail = false; dropped++; }
  const list = st.points;
  let i = list.length;
  while (i > 0 && list[i - 1].step >= step) i--;
  dropped += list.length - i;
  list.length = i;
  return dropped;
}

export interface TfeventsOptions extends ReadOptions {
  /** default true */
  verifyCrc?: boolean;
  /** read size in bytes (tests use a tiny one to make records straddle reads) */
  chunkBytes?: number;
  /** points kept per tag before thinning (default MAX_POINTS_PER_TAG) */
  maxPointsPerTag?: number;
}

/** Per-tag scalar points of one stream (one directory's files, in order), with TensorBoard's restart purge. */
class ScalarAccumulator {
  private readonly tags = new Map<string, TagState>();
  /** plugin of each tag, from the first value that carried metadata (TF2 writes it only once per tag) */
  private readonly plugin = new Map<string, string | undefined>();
  private readonly purgeNoted = new Set<string>();
  /**
   * TensorBoard's rule: a file that announced file_version >= 2 (`brain.Event:2`, what every current writer puts
   * first) is purged only on SessionLog START; older files (no or a v1 file_version) purge a tag's later points
   * when a summary's step goes back below the most recent one.
   */
  private legacyFile = true;
  mostRecentStep = -Infinity;
  constructor(private readonly notes: Note[], private readonly budget = MAX_POINTS_PER_TAG) {}

  /** A new file of the stream begins: legacy until its file_version record says otherwise. */
  beginFile(): void {
    this.legacyFile = true;
  }

  fileVersion(v: string): void {
    const m = /Event:(\d+)/.exec(v);
    this.legacyFile = !m || Number(m[1]) < 2;
  }

  get points(): Map<string, Point[]> {
    return new Map([...this.tags].map(([t, s]) => [t, s.points]));
  }

  /** Notes for tags that were thinned (what was kept and how). */
  thinningNotes(file: string): Note[] {
    const out: Note[] = [];
    for (const [tag, s] of this.tags) {
      if (s.stride > 1) out.push({ level: 'info', file, message: `tag "${tag}": ${s.seen} points, kept ${s.points.length} (every ${s.stride}th, plus the first of each non-finite run and the newest)` });
    }
    return out;
  }

  scalarOf(v: DecodedValue): number | undefined {
    if (v.plugin !== undefined || v.scalarDataClass) this.plugin.set(v.tag, v.scalarDataClass ? 'scalars' : v.plugin);
    if (v.simpleValue !== undefined) return v.simpleValue;
    const t = v.tensor;
    if (!t || t.numbers.length !== 1 || !isNumericDtype(t.dtype)) return undefined;
    const plugin = this.plugin.get(v.tag);
    // a rank-0 numeric tensor with no plugin ever named is a TF2 scalar written without metadata
    if (plugin === 'scalars' || (plugin === undefined && t.rank === 0)) return t.numbers[0];
    return undefined;
  }

  /** One scalar value; `wall` is NaN when the event had no wall time. */
  add(tag: string, step: number, value: number, wall: number, file: string, offset: number): void {
    let st = this.tags.get(tag);
    if (!st) this.tags.set(tag, (st = { points: [], stride: 1, seen: 0, lastNonFinite: false, hasTail: false, tailStep: 0, tailValue: 0, tailWall: NaN, lastFile: file }));
    const list = st.points;
    const lastStep = st.hasTail ? st.tailStep : list.length ? list[list.length - 1].step : undefined;
    const prevFile = st.lastFile;
    st.lastFile = file;
    // Inside one file, like TensorBoard: a v2 file never purges on its own (per-epoch values written at step = epoch
    // beside per-step values are kept, and split later); a legacy file purges when the step goes back. A new file
    // of the stream repeating earlier steps is a job resumed from a checkpoint: its values replace the ones it
    // rewrote (a restart from scratch is split off as an attempt before this, see readTfeventsDir).
    const crossFile = prevFile !== file && lastStep !== undefined && step <= lastStep;
    const legacyBack = this.legacyFile && prevFile === file && step < this.mostRecentStep && lastStep !== undefined && step < lastStep;
    if (crossFile || legacyBack) {
      const dropped = truncateFrom(st, step);
      const noteKey = `${tag}\u0000${file}`;
      if (!this.purgeNoted.has(noteKey)) {
        this.purgeNoted.add(noteKey);
        this.notes.push({
          level: 'warn', file, offset,
          message: `tag "${tag}": step went from ${lastStep} back to ${step} (restart?); kept the newer values, dropped ${dropped} older point(s) at steps >= ${step}`,
        });
      }
    }
    // bounded memory: keep every stride-th point, the first of each non-finite run (a NaN is a symptom) and the newest
    const nonFinite = !Number.isFinite(value);
    const keep = st.seen % st.stride === 0 || (nonFinite && !st.lastNonFinite);
    st.lastNonFinite = nonFinite;
    st.seen++;
    if (!keep) {
      st.hasTail = true;
      st.tailStep = step;
      st.tailValue = value;
      st.tailWall = wall;
      return;
    }
    st.hasTail = false;
    list.push(makePoint(step, value, wall));
    if (list.length > this.budget) {
      st.stride *= 2;
      let w = 0;
      for (let r = 0; r < list.length; r++) if (r % 2 === 0 || !Number.isFinite(list[r].value)) list[w++] = list[r];
      list.length = w;
    }
  }

  /** Puts each tag's newest (unkept) point back at the end once the stream is over. */
  finish(): void {
    for (const s of this.tags.values()) {
      if (s.hasTail) s.points.push(makePoint(s.tailStep, s.tailValue, s.tailWall));
      s.hasTail = false;
    }
  }

  /** SessionLog.START at `step`: TensorBoard drops every tag's points at or after it. */
  purgeFrom(step: number, file: string, offset: number): void {
    let dropped = 0;
    for (const st of this.tags.values()) dropped += truncateFrom(st, step);
    if (dropped > 0) this.notes.push({ level: 'warn', file, offset, message: `session restarted at step ${step}; dropped ${dropped} point(s) logged at steps >= ${step} before the restart` });
  }
}

/** Decodes the scalars of one event file into `acc` under `tagName(tag)`. */
async function accumulateFile(file: string, acc: ScalarAccumulator, tagName: (tag: string) => string, notes: Note[], opts: TfeventsOptions): Promise<{ scalars: number }> {
  let bad = 0;
  const stats = { scalars: 0 };
  acc.beginFile();
  await readTfRecords(file, { notes, verifyCrc: opts.verifyCrc, maxBytes: opts.maxBytes, chunkBytes: opts.chunkBytes }, (buf, start, end, offset) => {
    let ev;
    try {
      ev = decodeEvent(buf, start, end);
    } catch (err) {
      if (!(err instanceof ProtoError)) throw err;
      bad++;
      if (bad <= MAX_DECODE_NOTES) notes.push({ level: 'warn', file, offset, message: `undecodable Event record (${err.message}); skipped` });
      return;
    }
    if (ev.fileVersion !== undefined) acc.fileVersion(ev.fileVersion);
    if (ev.sessionStart) acc.purgeFrom(ev.step, file, offset);
    let scalars = 0;
    for (const v of ev.values) {
      const x = acc.scalarOf(v);
      if (x === undefined) continue;
      acc.add(tagName(v.tag), ev.step, x, ev.wallTime ?? NaN, file, offset);
      scalars++;
    }
    if (ev.values.length > 0) acc.mostRecentStep = ev.step;
    if (scalars > 0) stats.scalars += scalars;
  });
  if (bad > MAX_DECODE_NOTES) notes.push({ level: 'warn', file, message: `${bad} Event records in all could not be decoded` });
  return stats;
}

/** Thrown to stop reading a file once its first scalar step is known. */
class FirstStepFound extends Error {
  constructor(readonly step: number) { super('found'); }
}

/** The step of a file's first scalar value, or undefined for a file with none (zero bytes, graph or file_version only). */
async function firstScalarStep(file: string, opts: TfeventsOptions): Promise<number | undefined> {
  const acc = new ScalarAccumulator([]);
  try {
    await readTfRecords(file, { notes: [], verifyCrc: opts.verifyCrc, maxBytes: opts.maxBytes, chunkBytes: opts.chunkBytes }, (buf, start, end) => {
      let ev;
      try {
        ev = decodeEvent(buf, start, end);
      } catch {
        return;
      }
      for (const v of ev.values) if (acc.scalarOf(v) !== undefined) throw new FirstStepFound(ev.step);
    });
  } catch (err) {
    if (err instanceof FirstStepFound) return err.step;
    if (err instanceof InputError) return undefined;
    throw err;
  }
  return undefined;
}

/**
 * Splits one directory's event files (in name = time order) into attempts: a file whose first scalar step is at or
 * before the first step of the attempt so far started training over (a new job from scratch, not a resume).
 * Files without scalars join no attempt.
 */
async function attemptsOf(files: string[], opts: TfeventsOptions): Promise<{ attempts: string[][]; empty: string[] }> {
  const attempts: string[][] = [];
  const empty: string[] = [];
  let firstOfAttempt: number | undefined;
  for (const f of files) {
    const first = await firstScalarStep(f, opts);
    if (first === undefined) { empty.push(f); continue; }
    if (firstOfAttempt === undefined || first <= firstOfAttempt) {
      attempts.push([f]);
      firstOfAttempt = first;
    } else attempts[attempts.length - 1].push(f);
  }
  return { attempts, empty };
}

/**
 * Tag -> series name for a file in `relDir` under the log dir. `add_scalars(main, {k: v})` writes child dirs named
 * `<main with / as _>_<k>` whose files use tag = main: those become `main/k`. Other subdirs (Keras `train/`,
 * `validation/`) prefix the tag with the subdir.
 */
export function tagNameFor(relDir: string, tag: string): string {
  if (relDir === '') return tag;
  const rel = relDir.split(/[\\/]/).join('/');
  const flat = `${tag.replace(/\//g, '_')}_`;
  // the child folder's name is the key as written (spaces, dots, even a '/' that made a nested folder): kept exact
  const parts = rel.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const fromHere = parts.slice(i).join('/');
    if (fromHere.startsWith(flat) && fromHere.length > flat.length) {
      const parent = i > 0 ? `${parts.slice(0, i).join('/')}/` : '';
      return `${parent}${tag}/${fromHere.slice(flat.length)}`;
    }
  }
  return `${rel}/${tag}`;
}

/**
 * Lightning logs an `epoch` scalar at every logging step: epoch-level series logged at the global step are moved to
 * step = epoch index, and every point gets its epoch. Without an `epoch` tag, steps are kept as written.
 */
function assignEpochs(tags: Map<string, Point[]>, aliases?: Record<string, string>): Set<string> {
  const epochTag = [...tags.keys()].find((t) => t === 'epoch' || t.endsWith('/epoch'));
  const epochLevel = new Set<string>();
  for (const tag of tags.keys()) if (tag !== epochTag && isEpochLevelName(tag, canonicalKey(tag, aliases))) epochLevel.add(tag);
  if (!epochTag) return epochLevel;
  const ep = tags.get(epochTag)!;
  const epochAt = (step: number): number | undefined => {
    // last epoch point at or before `step` (binary search; ep is in step order)
    let lo = 0;
    let hi = ep.length - 1;
    let ans: number | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ep[mid].step <= step) { ans = ep[mid].value; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  };
  for (const [tag, pts] of tags) {
    if (tag === epochTag) continue;
    for (const p of pts) {
      const e = epochAt(p.step);
      if (e === undefined || !Number.isFinite(e)) continue;
      p.epoch = Math.round(e);
    }
    if (epochLevel.has(tag) && pts.every((p) => p.epoch !== undefined)) {
      tags.set(tag, pts.map((p) => ({ ...p, step: p.epoch! })));
    }
  }
  return epochLevel;
}

function toFragment(files: string[], tags: Map<string, Point[]>, tagFile: Map<string, string>, notes: Note[], opts: TfeventsOptions, hparams?: { values: Record<string, HyperValue>; file: string }, epochScaled: Set<string> = new Set()): RunFragment {
  const epochLevel = assignEpochs(tags, opts.metricAliases);
  for (const t of epochScaled) epochLevel.add(t);
  const raws: RawSeries[] = [...tags].map(([tag, points]) => ({
    rawName: tag, file: tagFile.get(tag) ?? files[0], granularity: epochLevel.has(tag) ? 'epoch' : 'iteration', points,
  }));
  const built = buildSeries(raws, opts.metricAliases);
  const frag: RunFragment = { format: 'tfevents', files, series: built.series, notes: [...notes, ...built.notes] };
  if (hparams) {
    frag.hyperparameters = hparams.values;
    frag.hyperparametersFrom = { file: hparams.file };
  }
  const g = guessAlgorithm(frag.hyperparameters, built.series.map((s) => s.key), files[0]);
  if (g.algorithm) frag.algorithm = g.algorithm;
  if (g.note) frag.notes!.push(g.note);
  const val = built.series.find((s) => s.key === 'val/acc1');
  if (val && val.points.length > 0) {
    const finite = val.points.map((p) => p.value).filter(Number.isFinite);
    if (finite.length) frag.bestAcc1 = Math.max(...finite);
    if (val.granularity === 'epoch') frag.epochsCompleted = new Set(val.points.map((p) => p.step)).size;
  }
  const st = statusFromPlannedEpochs(frag.hyperparameters, frag.epochsCompleted, files[0]);
  if (st.status) frag.status = st.status;
  if (st.note) frag.notes!.push(st.note);
  return frag;
}

/** Reads one event file. Several files of one run (restarts, add_scalars children) go through readTfeventsDir. */
export async function readTfeventsFile(file: string, opts: TfeventsOptions = {}): Promise<RunFragment> {
  const notes: Note[] = [];
  const acc = new ScalarAccumulator(notes, opts.maxPointsPerTag);
  await accumulateFile(file, acc, (t) => t, notes, opts);
  acc.finish();
  notes.push(...acc.thinningNotes(file));
  const tagFile = new Map([...acc.points.keys()].map((t) => [t, file]));
  return toFragment([file], acc.points, tagFile, notes, opts);
}

async function findEventFiles(dir: string, depth: number, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw inputErrorFromFs(dir, err);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isFile() && e.name.includes(NAME_MARK)) out.push(p);
    else if (e.isDirectory() && depth < MAX_DIR_DEPTH && !e.name.startsWith('.')) await findEventFiles(p, depth + 1, out);
  }
}

/**
 * Reads every event file under a run's log dir into one fragment. Files of the same directory are one stream,
 * read in name order (the name starts with the creation time), so a restarted job's new file overrides the steps it
 * rewrote. `hparams.yaml` beside the files (Lightning) gives the hyperparameters.
 */
export async function readTfeventsDir(dir: string, opts: TfeventsOptions = {}): Promise<RunFragment> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new InputError(dir, 'not a directory');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw inputErrorFromFs(dir, err);
  }
  const files: string[] = [];
  await findEventFiles(dir, 0, files);
  if (files.length === 0) throw new InputError(dir, 'no tfevents files in this directory');
  const notes: Note[] = [];
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const rel = relative(dir, f).split(sep).slice(0, -1).join('/');
    (byDir.get(rel) ?? byDir.set(rel, []).get(rel)!).push(f);
  }
  const tags = new Map<string, Point[]>();
  const tagFile = new Map<string, string>();
  const epochScaled = new Set<string>();
  // Given one of Keras' split dirs directly (logdir/train, logdir/validation), keep its name on the tags: the
  // validation dir's `epoch_loss` is the validation loss, not the training loss.
  const own = basename(dir).toLowerCase();
  const ownPrefix = KERAS_SPLIT_DIRS.has(own) ? `${basename(dir)}/` : '';
  const attempts: RunAttempt[] = [];
  const emptyFiles: string[] = [];
  for (const [rel, group] of byDir) {
    const split = await attemptsOf(group, opts);
    emptyFiles.push(...split.empty);
    if (split.attempts.length === 0) continue;
    if (group.length - split.empty.length > 1) notes.push({ level: 'info', file: join(dir, rel), message: `${group.length - split.empty.length} event files read in name (time) order: ${split.attempts.flat().map((g) => basename(g)).join(', ')}` });
    const tagOf = (t: string): string => ownPrefix + tagNameFor(rel, t);
    // earlier attempts (training started over in a later file): counted, not merged into the run's series
    for (const [k, files] of split.attempts.slice(0, -1).entries()) {
      const acc = new ScalarAccumulator([], opts.maxPointsPerTag);
      for (const f of files) await accumulateFile(f, acc, tagOf, [], opts);
      acc.finish();
      const counts = Object.fromEntries([...acc.points].map(([t, pts]) => [t, pts.length]));
      attempts.push({ file: files[0], line: 0, endLine: 0, index: k + 1, status: 'unknown', pointCounts: counts });
    }
    const newest = split.attempts[split.attempts.length - 1];
    if (split.attempts.length > 1) {
      notes.push({ level: 'warn', file: newest[0], message: `steps start over in ${basename(newest[0])}: training was started again from scratch in ${join(dir, rel) || '.'}; ${split.attempts.length - 1} earlier attempt(s) kept apart, the run's series are the newest attempt` });
    }
    const acc = new ScalarAccumulator(notes, opts.maxPointsPerTag);
    let scalars = 0;
    for (const f of newest) {
      scalars += (await accumulateFile(f, acc, tagOf, notes, opts)).scalars;
      for (const t of acc.points.keys()) if (!tagFile.has(t)) tagFile.set(t, f);
    }
    acc.finish();
    notes.push(...acc.thinningNotes(join(dir, rel)));
    if (split.attempts.length > 1) attempts.push({ file: newest[0], line: 0, endLine: 0, index: split.attempts.length, status: 'unknown', pointCounts: Object.fromEntries([...acc.points].map(([t, pts]) => [t, pts.length])) });
    for (const [t, pts] of acc.points) {
      const order = splitStepOrder(pts);
      if (order.backward === 0) { tags.set(t, pts); continue; }
      tags.set(t, order.main);
      if (order.epochScale) {
        const name = `${t} (step = epoch)`;
        tags.set(name, order.epochScale);
        tagFile.set(name, tagFile.get(t) ?? newest[0]);
        epochScaled.add(name);
        notes.push({ level: 'info', file: tagFile.get(t), message: `tag "${t}" mixes per-step values with ${order.epochScale.length} values written at step = epoch; kept both, the per-epoch ones as "${name}"` });
      } else notes.push({ level: 'info', file: tagFile.get(t), message: `tag "${t}": ${order.backward} point(s) written out of step order (no restart marker); kept, in step order, as TensorBoard does` });
    }
    void scalars;
  }
  if (emptyFiles.length > 0) {
    const zero = (await Promise.all(emptyFiles.map((f) => stat(f).then((s) => s.size === 0, () => false)))).filter(Boolean).length;
    notes.push({
      level: tags.size > 0 ? 'info' : 'warn', file: emptyFiles.length === 1 ? emptyFiles[0] : dir,
      message: `${emptyFiles.length} event file(s) hold no scalars (${zero} zero-byte, ${emptyFiles.length - zero} with only a file_version, graph or wall-time record)${tags.size > 0 ? '; the others were read' : ': nothing to plot or judge here'}`,
    });
  }
  let hparams: { values: Record<string, HyperValue>; file: string } | undefined;
  const hp = join(dir, 'hparams.yaml');
  if (await stat(hp).then((s) => s.isFile(), () => false)) {
    try {
      hparams = { values: await readHparamsYaml(hp), file: hp };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      notes.push({ level: 'warn', file: hp, message: err.message });
    }
  }
  const frag = toFragment(files, tags, tagFile, notes, opts, hparams, epochScaled);
  if (attempts.length > 0) frag.attempts = attempts;
  if (hparams) frag.configFiles = [hparams.file];
  return frag;
}

/** True when the first 12 bytes are a TFRecord header whose masked CRC matches (a content check, not a name check). */
export function looksLikeTfRecord(head: Buffer): boolean {
  return head.length >= 12 && maskedCrc32c(head, 0, 8) === head.readUInt32LE(8);
}

export const tfeventsReader: FormatReader = {
  format: 'tfevents',
  sniff(name: string, head: Buffer): boolean {
    if (head.length >= 12) return looksLikeTfRecord(head);
    return head.length === 0 && basename(name).includes(NAME_MARK);
  },
  read: (path: string, opts?: ReadOptions) => readTfeventsFile(path, opts),
};
