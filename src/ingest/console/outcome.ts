// How a script's console output ended: a traceback's exception decides the status. Ctrl-C (KeyboardInterrupt) is a
// person stopping the run (`killed`), not a bug; out-of-memory is a crash worth naming on its own.
import type { CrashInfo, RunStatus } from '../../model/types.js';

const OOM = /OutOfMemoryError|CUDA out of memory|out of memory|MemoryError|std::bad_alloc/i;
const STOPPED_BY_HAND = /^(KeyboardInterrupt|SystemExit)$/;

export function isOutOfMemory(crash: CrashInfo): boolean {
  return OOM.test(crash.type) || OOM.test(crash.message);
}

/** Status implied by a traceback's exception: KeyboardInterrupt/SystemExit = killed, anything else = crashed. */
export function statusOfCrash(crash: CrashInfo): RunStatus {
  const bare = crash.type.split('.').pop() ?? crash.type;
  return STOPPED_BY_HAND.test(bare) ? 'killed' : 'crashed';
}

/** Signals besides tracebacks that a process was stopped from outside (slurm, the kernel's OOM killer). */
const KILLED_LINE = /^(slurmstepd: error: \*\*\* (JOB|STEP) \d+ .*CANCELLED|Killed$|.*oom-kill|.*Out Of Memory)/;

export function killedByLine(text: string): boolean {
  return KILLED_LINE.test(text);
}
