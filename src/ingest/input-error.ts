// A known, user-facing input problem: printed as one line naming the file (and line/offset), exit code 2.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

export class InputError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly offset?: number;
  constructor(file: string, message: string, where: { line?: number; offset?: number } = {}) {
    const loc = where.line !== undefined ? `:${where.line}` : where.offset !== undefined ? ` @ byte ${where.offset}` : '';
    super(`${file}${loc}: ${message}`);
    this.name = 'InputError';
    this.file = file;
    this.line = where.line;
    this.offset = where.offset;
  }
}

/** Turns any fs error into an InputError with the file named (ENOENT, EACCES, EISDIR ...). */
export function inputErrorFromFs(file: string, err: unknown): InputError {
  const e = err as NodeJS.ErrnoException;
  const why =
    e?.code === 'ENOENT' ? 'no such file or directory'
    : e?.code === 'EACCES' || e?.code === 'EPERM' ? 'permission denied'
    : e?.code === 'EISDIR' ? 'is a directory'
    : e?.code === 'ELOOP' ? 'too many symbolic links (loop)'
    : (e?.message ?? String(err));
  return new InputError(file, why);
}

function kindOf(st: Stats): string {
  return st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'a special file';
}

/** True for a path that is (or links to) a regular file; FIFOs, devices, sockets and folders are not. Never throws. */
export function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** What readers need of an open file: FileHandle's read/stat/close (a sync-backed handle implements the same). */
export interface ReadHandle {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number; buffer: Buffer }>;
  /** the same read, returning the bytes read: for readers that make many small reads (a ZIP's records) */
  readSync(buffer: Buffer, offset: number, length: number, position: number): number;
  stat(): Promise<Stats>;
  close(): Promise<void>;
}

/**
 * A regular file read through synchronous calls behind the same promise API. Each fs/promises call is a round trip
 * through libuv's thread pool plus promise and FileHandle bookkeeping: for the small files of a sweep (a 15 KB log,
 * a 300 KB checkpoint) that overhead was most of the CPU of reading a run (open + close alone ~0.2 ms each on the
 * shared 2-core machine). A local read of a cached chunk blocks the thread for microseconds.
 */
function syncHandle(fd: number, st: Stats): ReadHandle {
  let closed = false;
  return {
    read: (buffer, offset, length, position) => {
      try {
        return Promise.resolve({ bytesRead: readSync(fd, buffer, offset, length, position), buffer });
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    readSync: (buffer, offset, length, position) => readSync(fd, buffer, offset, length, position),
    stat: () => Promise.resolve(st),
    close: () => {
      if (!closed) {
        closed = true;
        closeSync(fd);
      }
      return Promise.resolve();
    },
  };
}

/**
 * Opens a regular file for reading; a failure is an InputError naming the file (never a raw ENOENT/EACCES). Regular
 * files get a sync-backed handle (see syncHandle); anything else (a FIFO, a device, a socket) is refused: a read
 * could wait forever for a writer. O_NONBLOCK keeps the open itself of a FIFO from waiting for one.
 */
export async function openForReading(file: string): Promise<ReadHandle> {
  return openForReadingSync(file);
}

/** openForReading without the promise, for callers that read a few bytes and use them at once (format sniffing). */
export function openForReadingSync(file: string): ReadHandle {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch (err) {
    closeSync(fd);
    throw inputErrorFromFs(file, err);
  }
  if (st.isFile()) return syncHandle(fd, st);
  closeSync(fd);
  // a FIFO as checkpoints/latest.pth blocked --eval forever: only regular files are ever read
  throw new InputError(file, st.isDirectory() ? 'is a directory' : `not a regular file (${kindOf(st)}); dann-doctor reads only regular files`);
}
