// Works out which tllib script wrote a log: from the --log path, the script name in warnings, script-only
// arguments, and finally the set of meters and the shape of the lr lines (formats.md 2.4).
import type { Algorithm, HyperValue } from '../../model/types.js';

/** Path segment or script basename -> algorithm. tllib's default `--log` folders and script names. */
const NAME_TO_ALGORITHM: Record<string, Algorithm> = {
  dann: 'dann', cdan: 'cdan', mdd: 'mdd', erm: 'erm', src_only: 'erm', source_only: 'erm', sourceonly: 'erm',
  dan: 'dan', jan: 'jan', mcd: 'mcd', adda: 'adda', afn: 'afn', bsp: 'bsp', mcc: 'mcc',
  self_ensemble: 'self_ensemble', fixmatch: 'fixmatch', cc_loss: 'cc_loss',
};

/** Longest names first so that `dann_x` is not taken for `dan`. */
const NAMES = Object.keys(NAME_TO_ALGORITHM).sort((a, b) => b.length - a.length);

/** Algorithm named by one path segment (`dann`, `DAN`, `cdan_office31`, `src_only`), else undefined. */
function algorithmOfSegment(segment: string): Algorithm | undefined {
  const seg = segment.toLowerCase();
  for (const name of NAMES) {
    if (seg === name) return NAME_TO_ALGORITHM[name];
    if (seg.startsWith(name) && (seg[name.length] === '_' || seg[name.length] === '-') && !NAME_TO_ALGORITHM[seg]) {
      return NAME_TO_ALGORITHM[name];
    }
  }
  return undefined;
}

/** The algorithm named by a `--log` path such as 'logs/dann/Office31_A2W' or 'Result/DAN/Byte_512/..'. */
export function algorithmFromLogPath(path: string): Algorithm | undefined {
  for (const seg of path.split(/[\\/]+/)) {
    const a = algorithmOfSegment(seg);
    if (a) return a;
  }
  return undefined;
}

/** The algorithm named by a script path in a warning line (`.../dann.py:40: UserWarning`). */
export function algorithmFromScript(scriptPath: string): Algorithm | undefined {
  const base = scriptPath.split(/[\\/]/).pop() ?? '';
  if (!base.endsWith('.py')) return undefined;
  return NAME_TO_ALGORITHM[base.slice(0, -3).toLowerCase()];
}

/**
 * Arguments only one script defines (tllib argparse definitions). They refine a meter-based guess (DAN and JAN
 * print the same meters) and decide when there are no meters; they never override the meters outright, since a
 * user's fork may add any argument.
 */
const SCRIPT_ONLY_ARGS: [string, Algorithm][] = [
  ['num_k', 'mcd'], ['trade_off_entropy', 'mcd'], ['margin', 'mdd'], ['trade_off_bsp', 'bsp'], ['trade_off_norm', 'afn'],
  ['randomized_dim', 'cdan'], ['non_linear', 'dan'], ['adversarial', 'jan'], ['pretrain_epochs', 'adda'],
];

/** Meter-based guesses that script-only arguments may refine: the args' algorithm must log the same meters. */
const SAME_METERS: Partial<Record<Algorithm, Algorithm[]>> = {
  dan: ['jan', 'mcd', 'mdd'], jan: ['dan', 'mcd', 'mdd'], mcc: ['cc_loss', 'mdd', 'mcd'], mdd: ['mcc', 'dan', 'jan'],
  dann: ['bsp'], bsp: ['dann'],
};

export interface MeterEvidence {
  meters: Set<string>;
  /** 'float' for `lr: x`, 'list' for `lr: [..]`/`[..]`, undefined when there were none */
  lrKind?: 'float' | 'list';
  /** MCD's two-head summary ` * Acc1 .. Acc2 ..` was seen */
  twoHeadSummary: boolean;
  /** an ADDA/BSP-style source pretraining block was seen */
  pretraining: boolean;
}

/** What the meters alone say (formats.md 2.4 table). */
export function algorithmFromMeters(e: MeterEvidence): Algorithm | undefined {
  const m = e.meters;
  if (m.size === 0) return e.twoHeadSummary ? 'mcd' : undefined;
  if (m.has('Pseudo Label Ratio') || m.has('Self Training Loss')) return 'fixmatch';
  if (m.has('Norm Loss') || m.has('Source Feature Norm')) return 'afn';
  if (m.has('Cons Loss')) return 'self_ensemble';
  if (m.has('Transfer Loss') && m.has('Domain Acc')) return 'adda';
  const trans = m.has('Trans Loss');
  const domain = m.has('Domain Acc');
  if (domain && !trans) return e.pretraining ? 'bsp' : 'dann';
  if (domain && trans) return 'cdan';
  if (trans) {
    if (e.twoHeadSummary) return 'mcd';
    if (e.lrKind === 'list') return 'mdd';
    if (e.lrKind === 'float') return 'mcc';
    return 'dan';
  }
  if (m.has('Cls Acc')) return 'erm';
  return undefined;
}

/** The decision and which evidence made it. */
export function inferAlgorithm(
  hyper: Record<string, HyperValue> | undefined,
  scriptNames: Iterable<string>,
  meters: MeterEvidence,
): { algorithm: Algorithm; from: 'log-path' | 'script' | 'arguments' | 'meters' | 'none' } {
  const log = hyper?.log;
  if (typeof log === 'string') {
    const a = algorithmFromLogPath(log);
    if (a) return { algorithm: a, from: 'log-path' };
  }
  for (const s of scriptNames) {
    const a = algorithmFromScript(s);
    if (a) return { algorithm: a, from: 'script' };
  }
  const byArgs = hyper ? SCRIPT_ONLY_ARGS.find(([arg]) => arg in hyper)?.[1] : undefined;
  const a = algorithmFromMeters(meters);
  if (a && byArgs && byArgs !== a && SAME_METERS[a]?.includes(byArgs)) return { algorithm: byArgs, from: 'arguments' };
  if (!a && byArgs) return { algorithm: byArgs, from: 'arguments' };
  return a ? { algorithm: a, from: 'meters' } : { algorithm: 'unknown', from: 'none' };
}
