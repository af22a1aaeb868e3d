// Parses argv for the main command into typed options; usage errors are UsageError (exit 2, one line).
import { UsageError, parseCommandLine, COMMON_OPTIONS, positiveInt, ruleOverrides as parseRuleOverrides, roleMap as parseRoleMap, backendName, oneOf, colorFlag } from './parse.js';
import type { Severity, SeveritySetting, ShardSpec } from '../report/schema.js';
import { parseShard } from '../sweep/shard.js';
import type { RunSourceFormat } from '../model/types.js';
import type { EvalDepthSetting, ReplayRequest } from '../pipeline/options.js';
import { parseTry, TryParseError } from '../replay/config.js';

export { UsageError };

export const FORMATS = ['text', 'json', 'markdown', 'sarif', 'html'] as const;
export type OutputFormat = (typeof FORMATS)[number];
export type FailOn = Severity | 'never';

export interface CliOptions {
  paths: string[];
  /** each reporter and where it goes (undefined file = stdout) */
  outputs: { format: OutputFormat; file?: string }[];
  /** true when the user named no --format (TTY -> interactive UI) */
  formatGiven: boolean;
  failOn: FailOn;
  /** `--fail-on not-judged`: a run dann-doctor could not judge fails the build too */
  failOnNotJudged: boolean;
  /** `--map NAME=ROLE`: the user's roles for series (override inference and the config file's roles) */
  roleMap: Record<string, string>;
  configFile?: string;
  ruleOverrides: Record<string, SeveritySetting>;
  /** evaluation depth: quick by default, deep with --eval [deep] or --backend, off with --no-eval */
  evaluate: EvalDepthSetting;
  backend?: string;
  baselineRun?: string;
  plotsDir?: string;
  formatHint?: RunSourceFormat;
  maxDepth?: number;
  maxBytes?: number;
  maxPoints?: number;
  writeBaseline?: string;
  baselineFile?: string;
  color?: boolean;
  /** replace existing output files that dann-doctor did not write */
  force: boolean;
  /** follow symlinks to folders and to files outside the folder given */
  followLinks: boolean;
  verbose: boolean;
  /** --shard i/n: diagnose one share of the discovered runs */
  shard?: ShardSpec;
  /** --replay [--try k=v]... [--replay-budget 30s] */
  replay?: ReplayRequest;
  /** --data ROOT / --rerun: re-run each checkpoint without a feature dump on its images (root: ROOT, else the run's) */
  rerun?: { data?: string };
  help: boolean;
  version: boolean;
}

const HINTS: RunSourceFormat[] = ['tllib', 'tfevents', 'mlflow', 'lightning-csv', 'keras-csv', 'deepda-csv', 'csv', 'jsonl', 'deepda-log', 'dassl-log', 'keras-log', 'wandb', 'console'];

/** "--max-bytes 512M" style sizes. */
function bytes(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)b?$/i.exec(v.trim());
  if (!m) throw new UsageError(`--max-bytes expects a size like 200M or 2G, got "${v}"`);
  const mult = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}

const EVAL_DEPTHS = ['quick', 'deep', 'off'] as const;

/** A replay longer than a day is a typo, not a budget. */
const MAX_REPLAY_BUDGET_SECONDS = 86400;

/** "30s", "2m", "1.5m", "90" (seconds) -> seconds. */
function durationSeconds(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?$/i.exec(v.trim());
  const n = m ? Number(m[1]) * ({ s: 1, sec: 1, m: 60, min: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's'] ?? 1) : NaN;
  if (!(n > 0) || n > MAX_REPLAY_BUDGET_SECONDS) throw new UsageError(`--replay-budget expects a duration like 30s or 2m, got "${v}"`);
  return n;
}

/** --replay, --try and --replay-budget; the latter two only make sense with the first. */
function replayRequest(on: boolean, tries: string[], budget: string | undefined, steps: number | undefined): ReplayRequest | undefined {
  if (!on) {
    if (tries.length) throw new UsageError('--try replays a setting: add --replay');
    if (budget !== undefined) throw new UsageError('--replay-budget needs --replay');
    if (steps !== undefined) throw new UsageError('--replay-steps needs --replay');
    return undefined;
  }
  try {
    return {
      tries: tries.map(parseTry),
      ...(budget !== undefined ? { budgetSeconds: durationSeconds(budget) } : {}),
      ...(steps !== undefined ? { iterations: steps } : {}),
    };
  } catch (err) {
    if (err instanceof TryParseError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * `--eval` alone means deep (its meaning before quick evaluation was on by default); `--eval quick|deep|off` and
 * `--eval=DEPTH` name the depth. node:util's parseArgs cannot take an optional value, so a bare --eval is rewritten.
 */
function evalArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { out.push(...argv.slice(i)); break; }
    if (a !== '--eval') { out.push(a); continue; }
    const next = argv[i + 1];
    if (next !== undefined && (EVAL_DEPTHS as readonly string[]).includes(next)) { out.push(`--eval=${next}`); i++; }
    else out.push('--eval=deep');
  }
  return out;
}

function evalDepth(v: string | undefined, noEval: boolean, backend: boolean): EvalDepthSetting {
  if (v !== undefined && !(EVAL_DEPTHS as readonly string[]).includes(v)) throw new UsageError(`--eval expects quick | deep | off, got "${v}"`);
  if (noEval && v !== undefined && v !== 'off') throw new UsageError(`--no-eval and --eval ${v} contradict each other`);
  if (noEval || v === 'off') {
    if (backend) throw new UsageError('--backend picks the TF.js backend of --eval deep; it makes no sense with --no-eval');
    return 'off';
  }
  if (v === 'deep' || backend) return 'deep';
  return 'quick';
}

export function parseCliArgs(argv: string[]): CliOptions {
  const parsed = parseCommandLine(evalArgs(argv), {
        ...COMMON_OPTIONS,
        format: { type: 'string', short: 'f', multiple: true },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string' },
        eval: { type: 'string' },
        'no-eval': { type: 'boolean' },
        backend: { type: 'string' },
        baseline: { type: 'string' },
        plots: { type: 'string' },
        'format-hint': { type: 'string' },
        'max-depth': { type: 'string' },
        'max-bytes': { type: 'string' },
        'max-points': { type: 'string' },
        'write-baseline': { type: 'string' },
        'baseline-file': { type: 'string' },
        force: { type: 'boolean' },
        'follow-links': { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        shard: { type: 'string' },
        replay: { type: 'boolean' },
        try: { type: 'string', multiple: true },
        'replay-budget': { type: 'string' },
        'replay-steps': { type: 'string' },
        data: { type: 'string' },
        rerun: { type: 'boolean' },
        version: { type: 'boolean', short: 'V' },
  });
  const v = parsed.values;
  const outputs: CliOptions['outputs'] = [];
  for (const spec of (v.format ?? []).flatMap((f) => f.split(','))) {
    const [name, file] = spec.split('=', 2) as [string, string | undefined];
    if (!(FORMATS as readonly string[]).includes(name)) throw new UsageError(`unknown --format "${name}" (one of ${FORMATS.join(', ')}; add =FILE to send it to a file)`);
    outputs.push({ format: name as OutputFormat, file: file || undefined });
  }
  const formatGiven = outputs.length > 0;
  if (!formatGiven) outputs.push({ format: 'text' });
  if (v.output) {
    const target = outputs.find((o) => !o.file);
    if (!target) throw new UsageError('--output given but every --format already names its file');
    target.file = v.output;
  }
  if (outputs.filter((o) => !o.file).length > 1) throw new UsageError('several --format values would all go to stdout; give each but one a file: --format sarif=report.sarif');
  // `--fail-on warn,not-judged`: one severity bar (default error) and/or not-judged
  const failParts = (v['fail-on'] ?? 'error').split(',').map((x) => x.trim()).filter(Boolean);
  for (const part of failParts) oneOf('fail-on', part, ['error', 'warn', 'info', 'never', 'not-judged']);
  const bars = failParts.filter((x) => x !== 'not-judged');
  if (bars.length > 1) throw new UsageError(`--fail-on takes one severity (error|warn|info|never), plus not-judged if wanted; got "${v['fail-on']}"`);
  const failOn = (bars[0] ?? 'error') as FailOn;
  const failOnNotJudged = failParts.includes('not-judged');
  const ruleOverrides = parseRuleOverrides(v.rule ?? []);
  const roleMap = parseRoleMap(v.map ?? []);
  const hint = v['format-hint'] as RunSourceFormat | undefined;
  if (hint && !HINTS.includes(hint)) throw new UsageError(`unknown --format-hint "${hint}" (one of ${HINTS.join(', ')})`);
  const shard = v.shard === undefined ? undefined : parseShard(v.shard);
  if (v.shard !== undefined && !shard) throw new UsageError(`--shard expects i/n with 1 <= i <= n (e.g. --shard 2/8), got "${v.shard}"`);
  const replay = replayRequest(!!v.replay, v.try ?? [], v['replay-budget'], positiveInt('replay-steps', v['replay-steps']));
  const evaluate = evalDepth(v.eval, !!v['no-eval'], !!v.backend);
  if (v.data !== undefined && v.data.trim() === '') throw new UsageError('--data expects the dataset root folder, got ""');
  const rerun = v.data !== undefined || v.rerun ? { ...(v.data !== undefined ? { data: v.data } : {}) } : undefined;
  if (rerun && evaluate === 'off') throw new UsageError(`${v.data !== undefined ? '--data' : '--rerun'} re-runs the checkpoint to evaluate it; it makes no sense with --no-eval`);
  return {
    ...(rerun ? { rerun } : {}),
    shard,
    replay,
    paths: parsed.positionals,
    outputs,
    formatGiven,
    failOn,
    failOnNotJudged,
    roleMap,
    configFile: v.config,
    ruleOverrides,
    evaluate,
    backend: backendName(v.backend),
    baselineRun: v.baseline,
    plotsDir: v.plots,
    formatHint: hint,
    maxDepth: positiveInt('max-depth', v['max-depth']),
    maxBytes: bytes(v['max-bytes']),
    maxPoints: positiveInt('max-points', v['max-points']),
    writeBaseline: v['write-baseline'],
    baselineFile: v['baseline-file'],
    color: colorFlag(v),
    force: !!v.force,
    followLinks: !!v['follow-links'],
    verbose: !!v.verbose,
    help: !!v.help,
    version: !!v.version,
  };
}

export const HELP = `dann-doctor — diagnose domain-adversarial training runs (DANN, CDAN, MDD, ...)

Usage
  dann-doctor [options] PATH...          diagnose runs (a run dir, a log file, or a folder of runs)
  dann-doctor inspect PATH [--map N=R]   every series with its role and why, the hyperparameters and where
  dann-doctor compare A B [--format F]   compare two runs (or --baseline B)
  dann-doctor watch DIR [--on-finding CMD]  follow a run that is still training
  dann-doctor merge SHARD.json... [--format F]  combine --shard reports into one

Output
  -f, --format NAME[=FILE]   text | json | markdown | sarif | html; repeat or comma-separate,
                             =FILE sends one to a file (default: interactive UI on a terminal, else text)
  -o, --output FILE          write the (single) report to FILE instead of stdout
      --plots DIR            write t-SNE and curve plots (SVG + PNG) to DIR
      --fail-on LEVEL        exit 1 if a finding at or above LEVEL exists: error (default) | warn | info | never;
                             add not-judged (e.g. --fail-on error,not-judged) to fail runs that could not be judged
      --no-color             plain text (NO_COLOR is honoured too)
      --force                replace an existing output file that dann-doctor did not write
  -v, --verbose              list every ingest note

Analysis
      --eval [quick|deep]    evaluation from features.npz (+ checkpoint). quick is on by default: predictions,
                             per-class accuracy, collapse, a linear domain probe (typed arrays, < 1 s).
                             --eval / --eval deep also trains the discriminator BatchNorm counterfactual
                             and per-class A-distance (seconds)
      --no-eval              log only: do not read feature dumps
      --backend NAME         force a TF.js backend for --eval deep: tfjs-node-gpu | tfjs-node | webgpu | wasm | cpu
      --data ROOT            re-run a checkpoint (checkpoints/latest.pth, else best.pth) on the run's images
                             when it saved no features.npz: ROOT is the dataset root (tllib layout:
                             image_list/*.txt, Digits, or class/xxx.png folders), the tasks and transform
                             come from the run's Namespace; the arrays are cached outside the run
                             (DANN_DOCTOR_CACHE_DIR, else $XDG_CACHE_HOME/dann-doctor), a second look is instant
      --rerun                the same with the dataset root the run's Namespace names
      --baseline RUN         a source-only run to measure the adaptation gain against
  -c, --config FILE          dann-doctor.config.json (default: ./dann-doctor.config.json if present)
      --rule ID=LEVEL        override a rule's severity: off | info | warn | error
      --map NAME=ROLE        say what a series means: target-acc | source-acc | domain-acc | total-loss |
                             class-loss | domain-loss | lr | grl-coeff | ignore | a canonical key (repeatable)
      --format-hint FMT      force a reader: tllib | tfevents | mlflow | lightning-csv | csv | jsonl | ...
      --write-baseline FILE  record current findings so later runs don't fail on them
      --baseline-file FILE   apply such a file (suppressed findings don't count for --fail-on)

Try a fix before retraining
      --replay               replay the run's adversarial game on its frozen features (feature dump), as
                             configured, with each fix of its likely causes, and source-only (docs/replay.md)
      --try KEY=VALUE[,...]  also replay this setting (repeatable): trade_off, lr, disc_batch_norm,
                             disc_hidden, disc_lr_mult, grl_hi, grl_max_iters, batch_size, algorithm, ...
      --replay-budget TIME   wall-clock budget for all variants, e.g. 30s, 2m (default 30s)
      --replay-steps N       steps per replayed trial (default 300)

Limits
      --max-depth N  --max-bytes SIZE  --max-points N
      --follow-links         follow symlinks to folders, and to files outside the folder given
                             (default: only regular files inside it are read)

Many runs
      --shard I/N            diagnose share I of N (stable: by each run's path); write it with
                             --format json=shard-I.json, then: dann-doctor merge shard-*.json

Exit codes: 0 no finding at/above --fail-on · 1 findings (or a not-judged run with --fail-on not-judged) · 2 usage or unreadable input

Examples
  dann-doctor fixtures/runs/label_shift
  dann-doctor runs/ --format markdown=summary.md --format sarif=dann.sarif --fail-on warn
  dann-doctor logs/dann/Office31_A2W --eval deep --plots out/
  dann-doctor compare logs/dann/A2W logs/src_only/A2W
`;
