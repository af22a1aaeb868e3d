// Every file dann-doctor writes goes through here: never into a run or data directory (compared by real path, so
// a symlink to a run's folder is caught), never through a symlink, never over a file that is not ours.
import { realpathSync, lstatSync, openSync, readSync, closeSync, mkdirSync, writeFileSync, writeSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** A write dann-doctor will not do; the CLI shows it as one line and exits 2. */
export class OutputRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputRefused';
  }
}

/** The mark that makes an existing file "ours" (every report, baseline and plot we write carries it early on). */
export const OWNER_MARK = 'dann-doctor';
/** How far into an existing file the mark is looked for: reports put it in their first lines, PNGs right after IHDR. */
const MARK_WINDOW_BYTES = 64 * 1024;

/**
 * The real path `p` would have: realpath of its nearest existing ancestor, plus the components that do not exist
 * yet. A symlink anywhere in the existing part is resolved, so `/t/ck/x` with `/t/ck -> /t/r1/checkpoints` becomes
 * `/t/r1/checkpoints/x`.
 */
export function realPathOf(p: string): string {
  let head = resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...rest.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return join(head, ...rest.reverse());
      rest.push(basename(head));
      head = up;
    }
  }
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** The directories nothing may be written into, as real paths. Paths given may be files (their folder is protected). */
export function protectedDirs(paths: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const real = realPathOf(p);
    let dir = real;
    try {
      if (!lstatSync(real).isDirectory()) dir = dirname(real);
    } catch {
      // a path that is gone protects itself as given
    }
    out.add(dir);
  }
  return [...out];
}

export interface OutputGuard {
  /** real paths of run and data directories */
  protect: string[];
  /** replace existing files that are not ours */
  force?: boolean;
}

function hasOwnerMark(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(MARK_WINDOW_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(OWNER_MARK);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Throws OutputRefused when writing `file` would break a promise above; returns its real path otherwise. */
export function checkOutputPath(file: string, guard: OutputGuard, what = 'output'): string {
  const real = realPathOf(file);
  for (const dir of guard.protect) {
    if (isInside(real, dir)) {
      const via = real === resolve(file) ? '' : ` (${file} resolves to ${real})`;
      throw new OutputRefused(`refusing to write ${what} ${file} inside the run or data directory ${dir}${via}; dann-doctor never writes into a run`);
    }
  }
  let st;
  try {
    st = lstatSync(resolve(file));
  } catch {
    return real; // nothing there yet
  }
  if (st.isSymbolicLink()) throw new OutputRefused(`refusing to write ${what} ${file}: it is a symbolic link (give the real path ${real} if that is meant)`);
  if (st.isDirectory()) throw new OutputRefused(`refusing to write ${what} ${file}: it is a directory`);
  if (!st.isFile()) throw new OutputRefused(`refusing to write ${what} ${file}: it is not a regular file`);
  if (!guard.force && !hasOwnerMark(real)) {
    throw new OutputRefused(`refusing to replace ${file}: it exists and was not written by dann-doctor (use --force to replace it)`);
  }
  return real;
}

/** Same check for a directory we will write into (--plots DIR): not a run dir, not inside one, by real path. */
export function checkOutputDir(dir: string, guard: OutputGuard, what = 'output directory'): string {
  const real = realPathOf(dir);
  for (const p of guard.protect) {
    if (isInside(real, p)) {
      throw new OutputRefused(`refusing to write ${what} ${dir} inside the run or data directory ${p}; dann-doctor never writes into a run`);
    }
  }
  try {
    const st = lstatSync(real);
    if (!st.isDirectory()) throw new OutputRefused(`refusing to use ${dir} as the ${what}: it exists and is not a directory`);
  } catch (err) {
    if (err instanceof OutputRefused) throw err;
  }
  return real;
}

let tmpCounter = 0;

/** Writes pieces one after another into a file created exclusively: a big report is never one string in memory. */
function writeChunks(tmp: string, chunks: Iterable<string>): void {
  const fd = openSync(tmp, 'wx');
  try {
    for (const c of chunks) writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks, creates the folder, writes a temporary file beside the target (exclusive create: never through a planted
 * link) and renames it over the target, so a half-written report never replaces a good one. `data` may be pieces
 * (an iterable of strings, e.g. htmlChunks), written as they are produced.
 */
export function writeOutputFile(file: string, data: string | Uint8Array | Iterable<string>, guard: OutputGuard, what?: string): string {
  const real = checkOutputPath(file, guard, what);
  mkdirSync(dirname(real), { recursive: true });
  // mkdir may have followed nothing new, but check the created folder again by real path
  checkOutputPath(file, guard, what);
  const tmp = join(dirname(real), `.${basename(real)}.dann-doctor-${process.pid}-${tmpCounter++}.tmp`);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(tmp, data, { flag: 'wx' });
    else writeChunks(tmp, data);
    renameSync(tmp, real);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return real;
}
