// CPU time per pipeline phase, for `npm run bench -- triage` ("where do the milliseconds of a run go?"). Off by default:
// then each hook is one undefined check.
import { cpuUsage } from 'node:process';

export const PHASES = ['discover', 'read', 'evaluate', 'rules', 'causes', 'report'] as const;
export type Phase = (typeof PHASES)[number];

let totals: Record<Phase, number> | undefined;

/** Starts (or restarts) counting; phase totals are CPU milliseconds of this process (all its threads). */
export function enablePhaseClock(): void {
  totals = { discover: 0, read: 0, evaluate: 0, rules: 0, causes: 0, report: 0 };
}

/** CPU milliseconds per phase since enablePhaseClock, or undefined when the clock is off. */
export function phaseTotals(): Readonly<Record<Phase, number>> | undefined {
  return totals && { ...totals };
}

function cpuMs(): number {
  const c = cpuUsage();
  return (c.user + c.system) / 1000;
}

/** Runs `fn`, adding its CPU time to `phase` when the clock is on. */
export function timed<T>(phase: Phase, fn: () => T): T {
  if (!totals) return fn();
  const t0 = cpuMs();
  try {
    return fn();
  } finally {
    totals[phase] += cpuMs() - t0;
  }
}

/** Async `fn`: everything the process does until it settles counts (the sequential pipeline awaits one thing at a time). */
export async function timedAsync<T>(phase: Phase, fn: () => Promise<T>): Promise<T> {
  if (!totals) return fn();
  const t0 = cpuMs();
  try {
    return await fn();
  } finally {
    totals[phase] += cpuMs() - t0;
  }
}
