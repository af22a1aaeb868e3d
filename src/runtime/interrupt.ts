// SIGINT / SIGTERM for the CLI entry: the process stops at once with the code a shell reports for the signal.
//
// Node's default SIGINT exit is immediate, but only while nothing listens; the CLI listens so that the UI can
// restore the terminal and `watch` can say what it raised. Long work (evaluation, t-SNE, sweeps) runs on worker
// threads, so the main thread is free to take the signal; process.exit() then ends those workers too.

/** 128 + signal number: what a shell shows for a program ended by the signal. */
export const EXIT_CODE_FOR_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof EXIT_CODE_FOR_SIGNAL;

/**
 * After the signal, commands that stop on their own (the UI restoring the terminal, watch printing its summary)
 * get this long before the process exits anyway: long enough for a clean unmount, short enough to feel instant.
 */
export const GRACEFUL_STOP_MS = 1500;

export interface InterruptHandle {
  /** resolves with the exit code (130 / 143) when a stop signal arrives */
  interrupted: Promise<number>;
  /** the exit code once a signal arrived, else undefined */
  code(): number | undefined;
  /** end the process now as the signal would have (see exitNow in installInterruptHandlers) */
  exit(): void;
}

/**
 * Installs the handlers once. `beforeExit` runs synchronously right before a forced exit (clear a progress line,
 * leave the alternate screen). A second signal exits immediately.
 */
export function installInterruptHandlers(proc: NodeJS.Process = process, beforeExit?: () => void): InterruptHandle {
  let code: number | undefined;
  let signal: StopSignal | undefined;
  let resolve!: (c: number) => void;
  const interrupted = new Promise<number>((r) => (resolve = r));
  // Die by the signal itself (default action, the shell then reports 128+n): process.exit() would run native
  // addons' exit-time cleanup while a worker is inside them (onnxruntime, Dawn), which aborts with 134.
  const exitNow = (c: number) => {
    try {
      beforeExit?.();
    } finally {
      if (signal && proc.kill === process.kill && proc === process) {
        proc.removeAllListeners(signal);
        proc.kill(proc.pid, signal);
      }
      proc.exit(c);
    }
  };
  const on = (sig: StopSignal) => () => {
    const c = EXIT_CODE_FOR_SIGNAL[sig];
    if (code !== undefined) return exitNow(c);
    code = c;
    signal = sig;
    resolve(c);
    setTimeout(() => exitNow(c), GRACEFUL_STOP_MS); // ref'd: the process stays until then at most
  };
  for (const sig of Object.keys(EXIT_CODE_FOR_SIGNAL) as StopSignal[]) proc.on(sig, on(sig));
  return { interrupted, code: () => code, exit: () => exitNow(code ?? EXIT_CODE_FOR_SIGNAL.SIGINT) };
}

/** Thrown by untilInterrupted when the user stopped the work; carries the exit code. */
export class Interrupted extends Error {
  constructor(readonly exitCode: number) {
    super('interrupted');
  }
}

/** `work`, unless `interrupted` resolves first: then rejects with Interrupted (the work is abandoned). */
export function untilInterrupted<T>(work: Promise<T>, interrupted: Promise<unknown> | undefined): Promise<T> {
  if (!interrupted) return work;
  return Promise.race([work, interrupted.then((c) => Promise.reject(new Interrupted(typeof c === 'number' ? c : EXIT_CODE_FOR_SIGNAL.SIGINT)))]);
}
