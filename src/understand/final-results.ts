// End-of-run results: what a test log (log_test.txt), a final metrics file (metrics.json) or a results summary
// (results_summary.txt) says about the finished model. Their values are evaluations, once each, never a training
// curve: a target accuracy among them is the run's test accuracy, and a source-only number stated beside the adapted
// one (`target_acc_before: 0.8971 (source-only baseline)`) is the run's own baseline for the adaptation gain.
import { basename } from 'node:path';
import type { Evaluation, HyperValue, InRunBaseline, Run, Series } from '../model/types.js';
import type { SeriesRole } from '../model/role-types.js';
import { ASSUMED, CONVENTION, EXPLICIT, MIN_KEY_CONFIDENCE, inferRoleFromName } from './infer-role.js';
import { tokenize } from './tokens.js';

/**
 * Words that mark a number as the no-adaptation result in a summary (`target_acc_before`, `baseline_acc`,
 * `source_only_acc`, `acc_no_adapt`), and phrases of two words that do the same.
 */
const BASELINE_WORDS = new Set(['before', 'baseline', 'sourceonly', 'srconly', 'noadapt', 'noda', 'unadapted', 'nonadapted', 'pretrained']);
const BASELINE_PHRASES: readonly (readonly [string, string])[] = [['source', 'only'], ['src', 'only'], ['no', 'adapt'], ['no', 'adaptation'], ['no', 'da'], ['without', 'adaptation'], ['wo', 'da'], ['wo', 'adaptation']];
/** In a summary, "after" marks the adapted model's number (the pair of a "before"): not a pseudo-label accuracy. */
const AFTER_WORDS = new Set(['after', 'adapted', 'final']);
/** A remark beside a value that says it is the no-adaptation result. */
const BASELINE_COMMENT = /baseline|source[- _]?only|src[- _]?only|no[- _]adapt|without adapt|before adapt|unadapted/i;

/** Names of log files that evaluate the finished model (`log_test.txt`, `test.log`, `eval_results.txt`). */
const TEST_LOG_WORDS = new Set(['test', 'testing', 'eval', 'evaluation', 'evaluate', 'inference']);

/** Words that say a file logs training too (`train_eval.log`): not a test log. */
const TRAIN_LOG_WORDS = new Set(['train', 'training', 'fit']);
/**
 * A test log evaluates the finished model once per task: a series with more values than this in a "test" file is a
 * curve (a test pass every epoch, written to its own file) and is read as one.
 */
export const MAX_END_OF_RUN_POINTS = 3;

/** True when a file's name says it holds test/evaluation passes of the finished model, not training. */
export function isTestLogName(file: string): boolean {
  const tokens = tokenize(basename(file).replace(/\.[a-z0-9]+$/i, ''));
  return tokens.some((t) => TEST_LOG_WORDS.has(t)) && !tokens.some((t) => TRAIN_LOG_WORDS.has(t));
}

/** The tokens of `raw` without the baseline marker, and whether there was one. */
function withoutBaselineMarker(raw: string): { rest: string[]; baseline: boolean; after: boolean } {
  const tokens = tokenize(raw);
  let baseline = false;
  let after = false;
  const rest: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const pair = BASELINE_PHRASES.find(([a, b]) => tokens[i] === a && tokens[i + 1] === b);
    if (pair) { baseline = true; i++; continue; }
    if (BASELINE_WORDS.has(tokens[i])) { baseline = true; continue; }
    if (AFTER_WORDS.has(tokens[i])) { after = true; continue; }
    rest.push(tokens[i]);
  }
  return { rest, baseline, after };
}

export interface EndOfRunRole {
  role: SeriesRole;
  /** the no-adaptation (source-only) model's number, not this run's */
  baseline: boolean;
}

/**
 * The role of an end-of-run series: its name read without before/after/baseline markers (in a summary they say which
 * model, not a pseudo-label), split `test` unless the name names one, and an unnamed accuracy is the target's (the
 * finished model is tested on the target in DA protocols; a label naming the source domain overrules it later).
 */
export function endOfRunRole(s: Series): EndOfRunRole {
  const m = withoutBaselineMarker(s.rawName);
  const name = m.rest.join('_') || s.rawName;
  const r = inferRoleFromName(name, 'epoch');
  const where = s.endOfRun === 'test-log' ? `"${basename(s.file)}" is a test log: its values evaluate the finished model` : `"${basename(s.file)}" holds end-of-run results`;
  const reasons = [...r.reasons.filter((x) => !x.startsWith('assumed') && x !== 'training accuracy is measured on labelled source batches' && !x.startsWith('no split named')), where];
  const splitNamed = r.reasons.some((x) => x.startsWith('split '));
  let { domain, confidence } = r;
  const split = splitNamed ? r.split : 'test';
  if (r.quantity === 'accuracy' && !r.reasons.some((x) => /^(source|target) word/.test(x))) {
    domain = 'target';
    confidence = Math.min(confidence, ASSUMED);
    reasons.push('assumed: the finished model is tested on the target domain (DA protocols report test = target)');
  }
  const baseline = m.baseline || (s.comment !== undefined && BASELINE_COMMENT.test(s.comment));
  if (baseline) reasons.push(`the no-adaptation (source-only) model's number ("${s.rawName}"${s.comment ? `, "${s.comment}"` : ''})`);
  else if (m.after) reasons.push(`"after" marks the adapted model's number`);
  return { role: { ...r, domain, split, granularity: 'epoch', confidence: Math.round(confidence * 100) / 100, reasons, from: 'inferred' }, baseline };
}

/** Accuracies of one file are all fractions or all percent: a summary writes them the same way. */
function fractionFiles(run: Run): Set<string> {
  const out = new Set<string>();
  for (const s of Object.values(run.series)) {
    if (!s.endOfRun || s.role?.quantity !== 'accuracy') continue;
    if (s.points.some((p) => Number.isFinite(p.value) && p.value > 0 && p.value < 1)) out.add(s.file);
  }
  for (const s of Object.values(run.series)) {
    if (s.endOfRun && s.role?.quantity === 'accuracy' && s.points.some((p) => p.value > 1)) out.delete(s.file);
  }
  return out;
}

/** Every label value the run's own series were printed with (`Task` -> {AD}) and its string hyperparameters. */
function labelsOfRun(run: Readonly<Run>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (k: string, v: string) => (out.get(k) ?? out.set(k, new Set()).get(k)!).add(v.toLowerCase());
  for (const s of Object.values(run.series)) if (!s.endOfRun) for (const [k, v] of Object.entries(s.labels ?? {})) add(k, v);
  return out;
}

/**
 * Sets, in place, from the run's end-of-run accuracy series (roles already assigned): a test evaluation per target
 * result (with its labels), `testAcc1` when they name one result (not several tasks), and `inRunBaseline` when the run
 * states the source-only model's target accuracy.
 */
export function applyFinalResults(run: Run): void {
  const fractions = fractionFiles(run);
  const results: { s: Series; value: number; line?: number; conf: number }[] = [];
  for (const s of Object.values(run.series)) {
    const r = s.role;
    if (!s.endOfRun || !r || r.quantity !== 'accuracy' || r.domain !== 'target' || r.split === 'train') continue;
    if (r.confidence < MIN_KEY_CONFIDENCE && r.from !== 'user') continue;
    const last = [...s.points].reverse().find((p) => Number.isFinite(p.value));
    if (!last) continue;
    const value = fractions.has(s.file) && last.value <= 1 ? last.value * 100 : last.value;
    if (r.reasons.some((x) => x.startsWith("the no-adaptation (source-only) model's number"))) {
      const cand: InRunBaseline = { value, from: s.rawName, ...(s.comment ? { comment: s.comment } : {}), ref: { file: s.file, ...(last.line !== undefined ? { line: last.line } : {}) } };
      if (!run.inRunBaseline || r.confidence > CONVENTION) run.inRunBaseline = cand;
      continue;
    }
    results.push({ s, value, line: last.line, conf: r.from === 'user' ? 1 : r.confidence });
  }
  if (results.length === 0) return;
  // the most certain reading wins (`test_acc` over `test_drift_score`); several tasks' results (SHOT's log_test.txt)
  // are all kept as evaluations but name no single test accuracy
  const best = Math.max(...results.map((x) => x.conf));
  const top = results.filter((x) => x.conf === best);
  for (const x of top) {
    const ev: Evaluation = { phase: 'test', domain: 'target', file: x.s.file, acc1: x.value, ...(x.line !== undefined ? { line: x.line } : {}), ...(x.s.labels ? { labels: x.s.labels } : {}) };
    run.evaluations.push(ev);
  }
  if (run.testAcc1 !== undefined) return;
  if (top.length === 1) run.testAcc1 = top[0].value;
  else if (new Set(top.map((x) => x.value)).size === 1 && !top.some((x) => x.s.labels && Object.keys(x.s.labels).length)) run.testAcc1 = top[0].value;
}

/**
 * The source-only baseline's target accuracy to compare `run` with. A baseline tested on several targets (one labelled
 * test evaluation per task) gives the one whose label the run's own lines carry (`Task: AD`); when none matches, there
 * is nothing to compare with. Otherwise undefined here: the caller uses the baseline's target result.
 */
export function labelledBaselineResult(baseline: Readonly<Run>, run: Readonly<Run>): { value: number; file: string; line?: number; label: string } | null | undefined {
  const tests = baseline.evaluations.filter((e) => e.phase === 'test' && e.domain === 'target' && e.acc1 !== undefined && e.labels);
  if (tests.length < 2) return undefined;
  const keys = new Set(tests.flatMap((e) => Object.keys(e.labels!)));
  const varying = [...keys].filter((k) => new Set(tests.map((e) => e.labels![k] ?? '')).size > 1);
  if (varying.length === 0) return undefined;
  const mine = labelsOfRun(run);
  const hits = tests.filter((e) => varying.some((k) => mine.has(k)) && varying.every((k) => !mine.has(k) || (e.labels![k] !== undefined && mine.get(k)!.has(e.labels![k].toLowerCase()))));
  if (hits.length !== 1) return null;
  const h = hits[0];
  return { value: h.acc1!, file: h.file, ...(h.line !== undefined ? { line: h.line } : {}), label: varying.filter((k) => h.labels![k] !== undefined).map((k) => `${k}: ${h.labels![k]}`).join(', ') };
}

/** Config string values under keys that name the source domain (`name_src: A`, `source: amazon`): exact-match labels. */
export function sourceDomainValues(hp: Readonly<Record<string, HyperValue>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(hp)) {
    if (typeof v !== 'string' || v.length === 0 || v.length > 40 || /[\\/\s]/.test(v)) continue;
    const tokens = tokenize(k);
    if (tokens.some((t) => t === 'src' || t === 'source') && !tokens.some((t) => ['path', 'dir', 'file', 'root', 'ckpt', 'checkpoint', 'output'].includes(t))) out.set(v.toLowerCase(), k);
  }
  return out;
}

/** Confidence of a domain given by a label equal to a config value naming the source: explicit evidence. */
export const LABEL_DOMAIN_CONFIDENCE = EXPLICIT * CONVENTION;
