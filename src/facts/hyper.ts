// Rules read hyperparameters through the one alias table and lookup in src/understand/hyper-aliases.ts, memoised per
// run: the rules and the cause ranking ask ~60 times per run, mostly the same names lists, and a lookup has to check
// the hyperparameter object for added keys (tllib Namespaces are large, dictionary-mode objects: ~40 keys to walk).
import type { Run } from '../model/types.js';
import { HYPER_NAMES, hyperNumber as lookupNumber, hyperBool as lookupBool, hyperString as lookupString, type HyperHit } from '../understand/hyper-aliases.js';

export { HYPER_NAMES, showHyper, type HyperHit } from '../understand/hyper-aliases.js';

type HyperRun = Readonly<Pick<Run, 'hyperparameters' | 'hyperparametersFrom'>>;

interface Memo {
  from: HyperRun['hyperparametersFrom'];
  number: Map<readonly string[], HyperHit<number> | undefined>;
  bool: Map<readonly string[], HyperHit<boolean> | undefined>;
  string: Map<readonly string[], HyperHit<string> | undefined>;
}

/**
 * Per hyperparameter object (a run's, once built: judging never changes it, as for grlScheduleOf): the hits per names
 * list of the table. Any other list (a rule's own spellings, written inline) is looked up afresh each call.
 */
const memo = new WeakMap<object, Memo>();
const TABLE_LISTS = new Set<readonly string[]>(Object.values(HYPER_NAMES));

function memoOf(run: HyperRun): Memo | undefined {
  const hp = run.hyperparameters;
  if (!hp) return undefined;
  let m = memo.get(hp);
  if (!m || m.from !== run.hyperparametersFrom) memo.set(hp, (m = { from: run.hyperparametersFrom, number: new Map(), bool: new Map(), string: new Map() }));
  return m;
}

function cached<T>(table: Map<readonly string[], T> | undefined, names: readonly string[], look: () => T): T {
  if (!table || !TABLE_LISTS.has(names)) return look();
  if (table.has(names)) return table.get(names) as T;
  const hit = look();
  table.set(names, hit);
  return hit;
}

/** A numeric hyperparameter (see understand/hyper-aliases.ts hyperNumber). */
export function hyperNumber(run: HyperRun, names: readonly string[]): HyperHit<number> | undefined {
  return cached(memoOf(run)?.number, names, () => lookupNumber(run, names));
}

/** A boolean hyperparameter (see understand/hyper-aliases.ts hyperBool). */
export function hyperBool(run: HyperRun, names: readonly string[]): HyperHit<boolean> | undefined {
  return cached(memoOf(run)?.bool, names, () => lookupBool(run, names));
}

/** A string hyperparameter (see understand/hyper-aliases.ts hyperString). */
export function hyperString(run: HyperRun, names: readonly string[]): HyperHit<string> | undefined {
  return cached(memoOf(run)?.string, names, () => lookupString(run, names));
}
