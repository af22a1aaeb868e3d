// A reader that goes away (`dann-doctor ... | head -c 100`, a pager quit early) is a normal end, not a crash.
//
// Node reports a write to a closed pipe as an 'error' event (EPIPE) on the stream; with no listener that is an
// uncaught exception with a stack trace. Here it ends the process quietly, with the exit code already decided
// (the report's, when it was all written at once) or 0: nobody is reading what would follow.

/** Errors that mean "the other end stopped reading". */
const CLOSED_PIPE_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export function isClosedPipe(err: unknown): boolean {
  return CLOSED_PIPE_CODES.has((err as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/**
 * Listens for write errors on the process's stdout/stderr. A closed pipe exits quietly; any other write error is
 * one line on stderr (if stderr still works) and exit 2, never a stack trace.
 */
export function exitQuietlyOnClosedPipe(proc: NodeJS.Process = process): void {
  for (const [name, stream] of [['stdout', proc.stdout], ['stderr', proc.stderr]] as const) {
    stream.on('error', (err: Error) => {
      if (isClosedPipe(err)) return proc.exit(typeof proc.exitCode === 'number' ? proc.exitCode : 0);
      if (name === 'stdout') {
        try {
          proc.stderr.write(`dann-doctor: cannot write to stdout: ${err.message}\n`);
        } catch {
          /* stderr is gone too: nothing left to tell */
        }
      }
      proc.exit(2);
    });
  }
}
