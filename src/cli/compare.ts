// `dann-doctor compare A B`: what differs between two runs (or two sets of seeds) and whether the gap is seed noise.
import type { HyperValue, PerClassTable } from '../model/types.js';
import type { Finding, Report, RunReport, SeveritySetting } from '../report/schema.js';
import { isSourceOnly } from '../understand/baseline-run.js';
import type { CliIO } from '../output/cli-io.js';
import type { DiagnoseOptions } from '../pipeline/options.js';
import { meanInterval } from '../seeds/seed-stats.js';
import { hyperText, isNonConfigKey, SEED_KEYS, compareSeedGroups, distinctTrainings, duplicatesText, formatInterval, targetAccOf, type GroupComparison, type SeedGroup } from '../seeds/group-by-seed.js';
import { activeFindings } from '../sweep/triage-table.js';
import { paint } from '../reporters/style.js';
import { InputError } from '../ingest/input-error.js';
import { COMMON_OPTIONS, UsageError, colorFlag, numberAtLeast, oneOf, parseCommandLine, ruleOverrides, roleMap } from './parse.js';
import { loadCommandConfig } from './config.js';
import { resolve } from 'node:path';
import { mdCode, mdText } from '../output/markdown-safe.js';
import { escapeJsonC1, showControls, showControlsDeep, terminalSafeText } from '../output/terminal-safe.js';
import { stringifyFinite } from '../output/finite-json.js';

/**
 * Without seed repeats a single-run gap has no noise estimate; on digit/Office-31 benchmarks seed-to-seed spread of
 * target accuracy is typically 0.5-2 points (tllib's own benchmark tables report +-0.3..1.5), so a drop larger than
 * 1 point is what `--fail-on-regression` calls a regression by default.
 */
export const DEFAULT_REGRESSION_TOLERANCE = 1.0;

export interface MetricDelta {
  name: string;
  a?: number;
  b?: number;
  /** b - a (B relative to A), undefined when either side lacks the number */
  delta?: number;
}

export interface FindingRef {
  ruleId: string;
  messageId: string;
  severity: string;
  message: string;
}

export interface AdaptationGain {
  /** target acc of the adapted run minus the source-only run's, in points */
  gain?: number;
  adapted?: string;
  sourceOnly?: string;
  /** why no gain could be computed */
  note?: string;
}

export interface RunComparison {
  a: { id: string; algorithm: string; status: string; sourceOnly: boolean };
  b: { id: string; algorithm: string; status: string; sourceOnly: boolean };
  /** config hyperparameters that differ (paths and logging keys left out; seed kept) */
  hyperparameters: { key: string; a?: HyperValue; b?: HyperValue }[];
  metrics: MetricDelta[];
  /** per-class target accuracy deltas, when both runs have a per-class table with the same class names */
  perClass: MetricDelta[];
  onlyInA: FindingRef[];
  onlyInB: FindingRef[];
  inBoth: FindingRef[];
  adaptationGain: AdaptationGain;
}

/** The one source-only test, shared with diagnose()'s baseline choice (src/understand/baseline-run.ts). */
export { isSourceOnly };

function delta(name: string, a: number | undefined, b: number | undefined): MetricDelta {
  const ok = (x: number | undefined) => x !== undefined && Number.isFinite(x);
  return { name, a, b, delta: ok(a) && ok(b) ? (b as number) - (a as number) : undefined };
}

/** The per-class table to compare: the final test-phase one, else the last one logged or evaluated, target domain. */
function finalPerClass(run: RunReport): PerClassTable | undefined {
  const target = run.perClass.filter((t) => t.domain === 'target');
  return target.filter((t) => t.phase === 'test').at(-1) ?? target.at(-1);
}

function findingKey(f: Finding): string {
  return `${f.ruleId}|${f.messageId}`;
}

function ref(f: Finding): FindingRef {
  return { ruleId: f.ruleId, messageId: f.messageId, severity: f.severity, message: f.message };
}

/** Config hyperparameter differences between two runs, in A's key order then B's extra keys. */
export function hyperparameterDiff(a: Record<string, HyperValue>, b: Record<string, HyperValue>): { key: string; a?: HyperValue; b?: HyperValue }[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys
    .filter((k) => !isNonConfigKey(k) || SEED_KEYS.has(k.toLowerCase()))
    .filter((k) => hyperText(a[k]) !== hyperText(b[k]))
    .map((k) => ({ key: k, a: a[k], b: b[k] }));
}

/** Adaptation gain when exactly one side is source-only (the other is then the adapted run). */
export function adaptationGain(a: RunReport, b: RunReport): AdaptationGain {
  const sa = isSourceOnly(a);
  const sb = isSourceOnly(b);
  if (sa === sb) return { note: sa ? 'both runs are source-only' : 'neither run is source-only (algorithm erm or trade_off=0)' };
  const [src, adapted] = sa ? [a, b] : [b, a];
  const ta = targetAccOf(adapted);
  const ts = targetAccOf(src);
  if (ta === undefined || ts === undefined) return { adapted: adapted.id, sourceOnly: src.id, note: 'a target accuracy is missing' };
  return { gain: ta - ts, adapted: adapted.id, sourceOnly: src.id };
}

/** Pure comparison of two diagnosed runs: B relative to A (deltas are b - a). Suppressed findings are left out. */
export function compareRuns(a: RunReport, b: RunReport): RunComparison {
  const m = (r: RunReport) => r.metrics;
  const metrics = [
    delta('final target acc', m(a).finalTargetAcc, m(b).finalTargetAcc),
    delta('best target acc', m(a).bestTargetAcc, m(b).bestTargetAcc),
    delta('test acc', m(a).testAcc, m(b).testAcc),
    delta('final source acc', m(a).finalSourceAcc, m(b).finalSourceAcc),
    delta('final domain acc', m(a).finalDomainAcc, m(b).finalDomainAcc),
  ].filter((d) => d.a !== undefined || d.b !== undefined);
  const pa = finalPerClass(a);
  const pb = finalPerClass(b);
  const perClass: MetricDelta[] = [];
  if (pa && pb) {
    const bRows = new Map(pb.rows.map((r) => [r.name, r.acc]));
    for (const r of pa.rows) if (bRows.has(r.name)) perClass.push(delta(r.name, r.acc, bRows.get(r.name)));
  }
  const fa = activeFindings(a);
  const fb = activeFindings(b);
  const ka = new Set(fa.map(findingKey));
  const kb = new Set(fb.map(findingKey));
  const uniq = (fs: Finding[]) => {
    const seen = new Set<string>();
    return fs.filter((f) => (seen.has(findingKey(f)) ? false : (seen.add(findingKey(f)), true)));
  };
  const side = (r: RunReport) => ({ id: r.id, algorithm: r.algorithm, status: r.status, sourceOnly: isSourceOnly(r) });
  return {
    a: side(a), b: side(b),
    hyperparameters: hyperparameterDiff(a.hyperparameters, b.hyperparameters),
    metrics, perClass,
    onlyInA: uniq(fa.filter((f) => !kb.has(findingKey(f)))).map(ref),
    onlyInB: uniq(fb.filter((f) => !ka.has(findingKey(f)))).map(ref),
    inBoth: uniq(fa.filter((f) => kb.has(findingKey(f)))).map(ref),
    adaptationGain: adaptationGain(a, b),
  };
}

export interface RunSetComparison {
  a: SeedGroupSummary;
  b: SeedGroupSummary;
  /** B vs A: is the gap in mean target accuracy outside seed noise? */
  test: GroupComparison;
  /** config differences between the two sides (from their first runs) */
  hyperparameters: { key: string; a?: HyperValue; b?: HyperValue }[];
  /** rule ids that fired in some runs of one side and in no run of the other */
  onlyInA: string[];
  onlyInB: string[];
}

export interface SeedGroupSummary {
  label: string;
  runIds: string[];
  values: number[];
  mean: number;
  low: number;
  high: number;
  text: string;
}

function summary(g: SeedGroup): SeedGroupSummary {
  const copies = duplicatesText(g);
  return { label: g.label, runIds: g.runIds, values: g.values, mean: g.interval.mean, low: g.interval.low, high: g.interval.high, text: `${formatInterval(g.interval)}${copies ? `; ${copies}` : ''}` };
}

/** Two sets of runs (e.g. five seeds before and after a change): group statistics and a Welch test, B vs A. */
export function compareRunSets(a: RunReport[], b: RunReport[], labels: [string, string] = ['A', 'B']): RunSetComparison {
  // Each side is one group whatever its hyperparameters: the user said these runs belong together.
  const asGroup = (runs: RunReport[], label: string): SeedGroup => {
    const { kept, duplicates } = distinctTrainings(runs);
    const values = kept.map((r) => targetAccOf(r)).filter((v): v is number => v !== undefined);
    return {
      signature: label, label, algorithm: runs[0]?.algorithm ?? 'unknown', config: {}, runIds: runs.map((r) => r.id),
      seeds: [], values, duplicates, metric: 'finalTargetAcc', interval: meanInterval(values),
    };
  };
  const ga = asGroup(a, labels[0]);
  const gb = asGroup(b, labels[1]);
  const rules = (runs: RunReport[]) => new Set(runs.flatMap((r) => activeFindings(r).map((f) => f.ruleId)));
  const ra = rules(a);
  const rb = rules(b);
  return {
    a: summary(ga), b: summary(gb),
    test: compareSeedGroups(gb, ga),
    hyperparameters: a[0] && b[0] ? hyperparameterDiff(a[0].hyperparameters, b[0].hyperparameters).filter((d) => !SEED_KEYS.has(d.key.toLowerCase())) : [],
    onlyInA: [...ra].filter((r) => !rb.has(r)).sort(),
    onlyInB: [...rb].filter((r) => !ra.has(r)).sort(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

export type ComparisonResult = { kind: 'runs'; comparison: RunComparison } | { kind: 'sets'; comparison: RunSetComparison };

/** toFixed without "-0.0": a difference that rounds to zero is zero, not negative. */
export function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}
function num(v: number | undefined, digits = 1): string {
  return v === undefined || !Number.isFinite(v) ? '—' : fixed(v, digits);
}
function signed(v: number | undefined, digits = 1): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const s = fixed(v, digits);
  return s.startsWith('-') ? s : `+${s}`;
}
function pad(rows: string[][]): string[] {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join('  '));
}

/** Plain-text comparison (deltas are B - A). */
export function renderComparisonText(raw: ComparisonResult, opts: { color?: boolean } = {}): string {
  const result = showControlsDeep(raw); // names, hyperparameters and classes come from files
  const p = paint(!!opts.color);
  const out: string[] = [];
  const tone = (d: number | undefined, s: string) => (d === undefined || Math.abs(d) < 0.05 ? s : d > 0 ? p.green(s) : p.red(s));
  if (result.kind === 'sets') {
    const c = result.comparison;
    out.push(p.bold(`compare A (${c.a.runIds.length} runs) with B (${c.b.runIds.length} runs)`) + p.dim('  deltas are B - A'));
    out.push(`  A: ${c.a.text}`, `  B: ${c.b.text}`);
    out.push(`  ${c.test.summary.replace(/^B \(/, 'B (').replace(/ vs A /, ' vs A ')}`);
    if (c.hyperparameters.length) {
      out.push('', p.bold('hyperparameters (first run of each side)'));
      out.push(...pad(c.hyperparameters.map((d) => [`  ${d.key}`, hyperText(d.a), '->', hyperText(d.b)])));
    }
    if (c.onlyInA.length) out.push('', `rules firing only in A: ${c.onlyInA.join(', ')}`);
    if (c.onlyInB.length) out.push('', `rules firing only in B: ${c.onlyInB.join(', ')}`);
    return `${out.join('\n')}\n`;
  }
  const c = result.comparison;
  out.push(p.bold(`compare A=${c.a.id} (${c.a.algorithm}, ${c.a.status}) with B=${c.b.id} (${c.b.algorithm}, ${c.b.status})`) + p.dim('  deltas are B - A'));
  out.push('', p.bold('hyperparameters'));
  if (c.hyperparameters.length === 0) out.push('  identical (paths and logging options aside)');
  else out.push(...pad(c.hyperparameters.map((d) => [`  ${d.key}`, hyperText(d.a), '->', hyperText(d.b)])));
  if (c.metrics.length) {
    out.push('', p.bold('metrics (percent)'));
    const rows = pad([['  metric', 'A', 'B', 'delta'], ...c.metrics.map((m) => [`  ${m.name}`, num(m.a), num(m.b), signed(m.delta)])]);
    out.push(rows[0], ...rows.slice(1).map((r, i) => tone(c.metrics[i].delta, r)));
  }
  if (c.perClass.length) {
    out.push('', p.bold('per-class target accuracy (percent)'));
    const rows = pad([['  class', 'A', 'B', 'delta'], ...c.perClass.map((m) => [`  ${m.name}`, num(m.a), num(m.b), signed(m.delta)])]);
    out.push(rows[0], ...rows.slice(1).map((r, i) => tone(c.perClass[i].delta, r)));
  }
  const list = (title: string, fs: FindingRef[]) => {
    if (!fs.length) return;
    out.push('', p.bold(title));
    for (const f of fs) out.push(`  ${f.severity.padEnd(5)} ${f.ruleId}: ${f.message}`);
  };
  list('findings only in A', c.onlyInA);
  list('findings only in B', c.onlyInB);
  list('findings in both', c.inBoth);
  const g = c.adaptationGain;
  out.push('');
  out.push(g.gain !== undefined
    ? `adaptation gain of ${g.adapted} over source-only ${g.sourceOnly}: ${tone(g.gain, `${signed(g.gain)} points`)} (final target acc)`
    : `adaptation gain: not computed (${g.note})`);
  return `${out.join('\n')}\n`;
}

/** Names, hyperparameters and messages come from files: text, never markup (see output/markdown-safe). */
const md = mdText;

/** Markdown comparison for PR comments and job summaries. */
export function renderComparisonMarkdown(result: ComparisonResult): string {
  const out: string[] = [];
  if (result.kind === 'sets') {
    const c = result.comparison;
    out.push(`### Compare A (${c.a.runIds.length} runs) with B (${c.b.runIds.length} runs)`, '');
    out.push('| side | final target acc | runs |', '|---|---|---|');
    out.push(`| A | ${md(c.a.text)} | ${md(c.a.runIds.join(', '))} |`, `| B | ${md(c.b.text)} | ${md(c.b.runIds.join(', '))} |`, '');
    out.push(`**${md(c.test.summary)}**`, '');
    if (c.hyperparameters.length) {
      out.push('| hyperparameter | A | B |', '|---|---|---|');
      for (const d of c.hyperparameters) out.push(`| ${mdCode(d.key, true)} | ${md(hyperText(d.a))} | ${md(hyperText(d.b))} |`);
      out.push('');
    }
    if (c.onlyInA.length) out.push(`Rules firing only in A: ${c.onlyInA.map((r) => `\`${r}\``).join(', ')}`, '');
    if (c.onlyInB.length) out.push(`Rules firing only in B: ${c.onlyInB.map((r) => `\`${r}\``).join(', ')}`, '');
    return `${out.join('\n')}\n`;
  }
  const c = result.comparison;
  out.push(`### Compare ${mdCode(c.a.id)} (A) with ${mdCode(c.b.id)} (B)`, '', '_Deltas are B − A._', '');
  if (c.hyperparameters.length) {
    out.push('| hyperparameter | A | B |', '|---|---|---|');
    for (const d of c.hyperparameters) out.push(`| ${mdCode(d.key, true)} | ${md(hyperText(d.a))} | ${md(hyperText(d.b))} |`);
    out.push('');
  }
  const table = (title: string, rows: MetricDelta[]) => {
    if (!rows.length) return;
    out.push(`| ${title} | A | B | Δ |`, '|---|---:|---:|---:|');
    for (const m of rows) out.push(`| ${md(m.name)} | ${num(m.a)} | ${num(m.b)} | ${signed(m.delta)} |`);
    out.push('');
  };
  table('metric (%)', c.metrics);
  table('class (target acc %)', c.perClass);
  const list = (title: string, fs: FindingRef[]) => {
    if (!fs.length) return;
    out.push(`**${title}**`, '');
    for (const f of fs) out.push(`- \`${f.ruleId}\` (${f.severity}): ${md(f.message)}`);
    out.push('');
  };
  list('Findings only in A', c.onlyInA);
  list('Findings only in B', c.onlyInB);
  list('Findings in both', c.inBoth);
  const g = c.adaptationGain;
  out.push(g.gain !== undefined ? `Adaptation gain of ${mdCode(g.adapted ?? '')} over source-only ${mdCode(g.sourceOnly ?? '')}: **${signed(g.gain)} points**` : `Adaptation gain: not computed (${md(g.note ?? '')})`);
  return `${out.join('\n')}\n`;
}

/** JSON document: versioned like the Report. */
export function renderComparisonJson(result: ComparisonResult): string {
  return `${escapeJsonC1(stringifyFinite({ schemaVersion: 1, kind: result.kind === 'runs' ? 'run-comparison' : 'run-set-comparison', ...result.comparison }))}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Command

export const COMPARE_USAGE = `usage: dann-doctor compare A B [--format text|json|markdown] [--fail-on-regression] [--tolerance POINTS]
       dann-doctor compare RUN --baseline BASE ...
  A, B: run directories, log files, or folders of runs (several runs on a side are compared as seed groups).
  Deltas are B - A; with --baseline, A is BASE and B is RUN.
  --fail-on-regression  exit 1 when B is worse than A: beyond seed noise (Welch t-test, p < 0.05) when a side has
                        several seeds, else by more than --tolerance points of final target acc (default ${DEFAULT_REGRESSION_TOLERANCE}).
  --evaluate, --eval    deep evaluation (discriminator counterfactual) before comparing (slower; quick is always on)
  --no-color, --color   plain or coloured text (default: colour on a terminal unless NO_COLOR)
  -c, --config FILE, --rule ID=LEVEL   as for the main command (./dann-doctor.config.json is read when present)`;

export type DiagnoseFn = (paths: string[], options?: DiagnoseOptions) => Promise<Report>;

interface CompareArgs {
  a: string;
  b: string;
  format: 'text' | 'json' | 'markdown';
  failOnRegression: boolean;
  tolerance: number;
  evaluate: boolean;
  /** --color / --no-color; undefined = by TTY and NO_COLOR, as the main command */
  color?: boolean;
  configFile?: string;
  ruleOverrides: Record<string, SeveritySetting>;
  /** --map NAME=ROLE */
  roleMap: Record<string, string>;
}

/** The shared parser; a usage problem is a string (printed with the usage), '' for --help. */
function parseCompareArgs(args: string[]): CompareArgs | string {
  try {
    const { values: v, positionals: pos } = parseCommandLine(args, {
      ...COMMON_OPTIONS,
      format: { type: 'string', short: 'f' },
      baseline: { type: 'string' },
      'fail-on-regression': { type: 'boolean' },
      tolerance: { type: 'string' },
      evaluate: { type: 'boolean' },
      eval: { type: 'boolean' },
    });
    if (v.help) return '';
    const format = oneOf<CompareArgs['format']>('format', v.format ?? 'text', ['text', 'json', 'markdown']);
    const tolerance = numberAtLeast('tolerance', v.tolerance, 0, 'points') ?? DEFAULT_REGRESSION_TOLERANCE;
    const common = {
      format, failOnRegression: !!v['fail-on-regression'], tolerance, evaluate: !!(v.evaluate || v.eval), color: colorFlag(v),
      configFile: v.config, ruleOverrides: ruleOverrides(v.rule ?? []), roleMap: roleMap(v.map ?? []),
    };
    if (v.baseline !== undefined) {
      if (!v.baseline) return '--baseline needs a path';
      if (pos.length !== 1) return 'with --baseline give exactly one run to compare';
      return { a: v.baseline, b: pos[0], ...common };
    }
    if (pos.length !== 2) return 'compare needs two paths (A B) or one path and --baseline';
    return { a: pos[0], b: pos[1], ...common };
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
}

async function defaultDiagnose(paths: string[], options?: DiagnoseOptions): Promise<Report> {
  const { diagnose } = await import('../pipeline/diagnose.js');
  return diagnose(paths, options);
}

/** Whether B regressed against A: beyond seed noise for sets, beyond `tolerance` points for single runs. */
export function isRegression(result: ComparisonResult, tolerance = DEFAULT_REGRESSION_TOLERANCE): boolean {
  if (result.kind === 'sets') {
    const t = result.comparison.test;
    if (t.verdict === 'worse') return true;
    // no seed noise estimate on either side (one run each): fall back to the tolerance
    return t.verdict === 'unknown' && t.test.diff < -tolerance;
  }
  const d = result.comparison.metrics.find((m) => m.name === 'final target acc')?.delta;
  return d !== undefined && d < -tolerance;
}

/** `dann-doctor compare A B`. Exit 0 ok, 1 regression with --fail-on-regression, 2 usage or input error. */
export async function compareCommand(args: string[], io: CliIO, diagnoseFn: DiagnoseFn = defaultDiagnose): Promise<number> {
  const parsed = parseCompareArgs(args);
  if (typeof parsed === 'string') {
    io.stderr.write(`${parsed ? `dann-doctor compare: ${parsed}\n` : ''}${COMPARE_USAGE}\n`);
    return parsed ? 2 : 0;
  }
  let ra: Report;
  let rb: Report;
  try {
    // the same dann-doctor.config.json and --rule overrides as the main command
    const opts: DiagnoseOptions = { evaluate: parsed.evaluate ? 'deep' : 'quick', config: await loadCommandConfig(parsed, io.cwd) };
    // paths are relative to the user's folder (io.cwd), not to wherever this process happens to run
    ra = await diagnoseFn([resolve(io.cwd, parsed.a)], opts);
    rb = await diagnoseFn([resolve(io.cwd, parsed.b)], opts);
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr.write(`dann-doctor compare: ${showControls(err.message)}\n`);
      return 2;
    }
    throw err;
  }
  for (const [side, r, path] of [['A', ra, parsed.a], ['B', rb, parsed.b]] as const) {
    for (const e of r.errors) io.stderr.write(`dann-doctor compare: ${side}: ${showControls(e.message.startsWith(e.path) ? e.message : `${e.path}: ${e.message}`)}\n`);
    if (r.runs.length === 0) {
      io.stderr.write(`dann-doctor compare: no run found in ${showControls(path)}\n`);
      return 2;
    }
  }
  const result: ComparisonResult = ra.runs.length === 1 && rb.runs.length === 1
    ? { kind: 'runs', comparison: compareRuns(ra.runs[0], rb.runs[0]) }
    : { kind: 'sets', comparison: compareRunSets(ra.runs, rb.runs) };
  const color = parsed.color ?? (io.isTTY && !io.env.NO_COLOR);
  io.stdout.write(
    parsed.format === 'json' ? renderComparisonJson(result)
    : parsed.format === 'markdown' ? terminalSafeText(renderComparisonMarkdown(result))
    : terminalSafeText(renderComparisonText(result, { color })),
  );
  return parsed.failOnRegression && isRegression(result, parsed.tolerance) ? 1 : 0;
}
