// Invocations appended to one file (a log opened with 'a', a CSV/JSONL the script appends to) are either restarts of
// one run or different runs: issue 13 says a start header with other hyperparameters is a separate run, the same
// config again is a restart (an attempt) of the same run. This groups them, per file, and says what changed.
import { basename, dirname } from 'node:path';
import type { AttemptReach, HyperValue, RunAttempt } from '../model/types.js';
import { HYPER_NAMES, hyperLookup, hyperValueNumber } from './hyper-aliases.js';

/**
 * Settings that say where and how a run was executed, not what it trained: a different GPU, output folder, log file
 * handle or print interval does not make a different run. Matched on the last part of a dotted key.
 */
const EXECUTION_KEY = /^(gpu|gpus|gpu_id|gpu_ids|device|devices|cuda|cuda_visible_devices|workers|num_workers|n_workers|worker|out_file|out_dir|output|output_dir|output_path|output_dir_src|log|log_dir|logdir|log_path|log_file|save_dir|save_path|snapshot_path|tensorboard_path|tensorboard_dir|tb_dir|print_freq|log_freq|log_interval|display|time|timestamp|date|start_time|hostname|host|pid|local_rank|rank|world_size|resume|exp_dir)$/i;
/** A printed object (`<open file 'log.txt', mode 'a' at 0x7f...>`) differs on every start: never a hyperparameter. */
const OBJECT_REPR = /^<.*>$|\bat 0x[0-9a-f]+/i;

/** How many changed keys a report names. */
const MAX_CHANGED_SHOWN = 4;

/** The part of a config that identifies the training: execution settings and object reprs left out. */
export function configIdentity(config: Readonly<Record<string, HyperValue>> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(config ?? {})) {
    const last = k.split('.').pop()!;
    if (EXECUTION_KEY.test(last)) continue;
    if (typeof v === 'string' && OBJECT_REPR.test(v)) continue;
    out.set(k, JSON.stringify(v));
  }
  return out;
}

/** Keys whose values differ between two configs (a key one has and the other lacks differs). */
function changedKeys(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

/**
 * Sets `run` (and `changed` on the first invocation of each new run) on every attempt, in place. Attempts are grouped
 * per file in file order. An attempt without a config (a CSV prints none) continues the run before it: nothing says
 * its settings changed.
 */
export function groupAppendedRuns(attempts: RunAttempt[]): void {
  for (const list of attemptGroups(attempts).values()) {
    list.sort((x, y) => x.index - y.index);
    let run = 0;
    let prev: Map<string, string> | undefined;
    for (const a of list) {
      const id = a.config ? configIdentity(a.config) : undefined;
      const changed = id && prev ? changedKeys(prev, id) : [];
      if (run === 0 || changed.length > 0) {
        run++;
        if (changed.length > 0) a.changed = changed.slice(0, MAX_CHANGED_SHOWN).concat(changed.length > MAX_CHANGED_SHOWN ? [`+${changed.length - MAX_CHANGED_SHOWN} more`] : []);
      }
      a.run = run;
      if (id) prev = id;
    }
  }
}

/**
 * The attempts of one source, in order: one file's invocations (a log, a CSV, a capture), or, where each file holds
 * one attempt (TensorBoard writes a new event file per start), the files of one folder.
 */
function attemptGroups<T extends Pick<RunAttempt, 'file'>>(attempts: readonly T[]): Map<string, T[]> {
  const perFile = new Map<string, number>();
  for (const a of attempts) perFile.set(a.file, (perFile.get(a.file) ?? 0) + 1);
  const groups = new Map<string, T[]>();
  for (const a of attempts) {
    const key = (perFile.get(a.file) ?? 0) > 1 ? a.file : dirname(a.file);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(a);
  }
  return groups;
}

/** Runs and restarts among the attempts, and whether any printed a config, for a one-line summary. */
export function appendedRunCounts(attempts: readonly RunAttempt[]): { runs: number; restarts: number; configs: boolean } {
  let runs = 0;
  for (const list of attemptGroups(attempts).values()) runs += new Set(list.map((a) => a.run ?? a.index)).size;
  return { runs, restarts: attempts.length - runs, configs: attempts.some((a) => a.config && Object.keys(a.config).length > 0) };
}

/**
 * How an attempt appended to a CSV/JSONL file ended, from what its config planned: `finished` when its rows reach the
 * planned epochs (the plan's last epoch, counting from the attempt's first epoch, 0 or 1) or steps (the plan's last
 * step), `incomplete` when a plan is known and not reached, `unknown` without a plan. A metric file has no traceback:
 * a crash or a Ctrl-C is only known from a stdout capture beside it (settleAttemptStatuses).
 */
export function attemptStatusFromPlan(config: Readonly<Record<string, HyperValue>> | undefined, r: AttemptReach): { status: 'finished' | 'incomplete' | 'unknown'; why?: string } {
  const epochs = config && r.plannedEpochs === undefined ? hyperLookup(config, HYPER_NAMES.epochs) : undefined;
  const planE = r.plannedEpochs ?? (epochs ? hyperValueNumber(epochs.value) : undefined);
  const eName = r.plannedEpochs !== undefined ? 'printed on its lines' : epochs?.name;
  if (planE !== undefined && planE > 0 && r.lastEpoch !== undefined) {
    const base = r.firstEpoch !== undefined && r.firstEpoch >= 1 ? 1 : 0;
    return r.lastEpoch >= planE - 1 + base
      ? { status: 'finished', why: `reached epoch ${r.lastEpoch} of ${planE} planned (${eName})` }
      : { status: 'incomplete', why: `stopped at epoch ${r.lastEpoch} of ${planE} planned (${eName})` };
  }
  const steps = config && r.plannedSteps === undefined ? hyperLookup(config, HYPER_NAMES.steps) : undefined;
  const planS = r.plannedSteps ?? (steps ? hyperValueNumber(steps.value) : undefined);
  const sName = r.plannedSteps !== undefined ? 'printed on its lines' : steps?.name;
  if (planS !== undefined && planS > 0 && r.lastStep !== undefined) {
    // a run that logs every k steps (tests every 500 of 16,004) logs last at most k short of its plan
    const last = r.plannedSteps !== undefined ? planS : planS - 1;
    return r.lastStep >= last || (r.stepInterval !== undefined && r.lastStep + r.stepInterval > last)
      ? { status: 'finished', why: `reached step ${r.lastStep} of ${planS} planned (${sName})` }
      : { status: 'incomplete', why: `stopped at step ${r.lastStep} of ${planS} planned (${sName})` };
  }
  return { status: 'unknown' };
}

/**
 * Statuses of metric-file attempts (in place): first from their plan (the attempt's own config, else the run's), then,
 * for those it leaves open, from a stdout capture beside them that split into as many invocations (their tracebacks, a
 * Ctrl-C), matched in order. Only equal counts are matched: otherwise nothing says which invocation wrote which rows.
 */
export function settleAttemptStatuses(attempts: RunAttempt[], runConfig: Readonly<Record<string, HyperValue>>, captureFiles: ReadonlySet<string>): void {
  // attempts that ended in a traceback keep the status it gave; the others are read against their plan
  const byFile = new Map<string, RunAttempt[]>();
  for (const a of attempts) (byFile.get(a.file) ?? byFile.set(a.file, []).get(a.file)!).push(a);
  const captures = [...byFile].filter(([f]) => captureFiles.has(f));
  for (const [file, list] of byFile) {
    if (captureFiles.has(file)) continue;
    for (const a of list) {
      if (!a.reached || a.status !== 'unknown' || a.crash) continue;
      const plan = attemptStatusFromPlan(a.config ?? runConfig, a.reached);
      a.status = plan.status;
      if (plan.why) a.statusFrom = plan.why;
    }
    if (list.length < 2) continue;
    const cap = captures.find(([, c]) => c.length === list.length);
    if (!cap) continue;
    list.forEach((a, i) => {
      const c = cap[1][i];
      if (a.status === 'finished' || c.status === 'unknown') return;
      a.status = c.status;
      a.statusFrom = `invocation ${i + 1} of ${basename(cap[0])} (lines ${c.line}-${c.endLine})`;
      if (c.crash) a.crash = c.crash;
    });
  }
}
