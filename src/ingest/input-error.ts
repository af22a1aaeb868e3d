// A known, user-facing input problem: printed as one line naming the file (and line/offset), exit code 2.

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

/** Opens a file for reading; a failure is an InputError naming the file (never a raw ENOENT/EACCES). */
export async function openForReading(file: string): Promise<import('node:fs/promises').FileHandle> {
  const { open } = await import('node:fs/promises');
  try {
    return await open(file, 'r');
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
}
