// Gives every series of a run its role, combining the name (infer-role.ts) with run-level evidence: the config
// (DomainBed test_envs), the other series (an explicitly-target accuracy makes an unmarked val accuracy the source's),
// value ranges (domain BCE at ln 2 / 2 ln 2, fractions vs percent) and the user's corrections (--map, config roles).
// Then stores each series under the canonical key its role fills, so every rule sees it.
import type { HyperValue, Note, Run, Series } from '../model/types.js';
import { KEY } from '../model/metric-keys.js';
import { looksLikeFraction, normaliseMetricName } from './metric-aliases.js';
import type { SeriesRole } from '../model/role-types.js';
import { ASSUMED, CONVENTION, EXPLICIT, MIN_KEY_CONFIDENCE, inferRoleFromName, keyForRole, keyFromName, roleOfKey } from './infer-role.js';
import { parseRoleSpec } from './role-spec.js';
import { hyperLookup } from './hyper-aliases.js';
import { tokenize } from './tokens.js';
import * as W from './lexicon.js';
import { LABEL_DOMAIN_CONFIDENCE, applyFinalResults, endOfRunRole, sourceDomainValues } from './final-results.js';

/** ln 2: binary cross-entropy of a discriminator at chance; a sum over source and target batches sits at 2 ln 2. */
const LN2 = Math.log(2);
/** how close (relative) the first values of a domain loss must sit to ln 2 or 2 ln 2 to count as "at chance" */
const CHANCE_TOLERANCE = 0.15;

const DOMAINBED_ACC = /^env(\d+)_(in|out|uda)_acc$/i;

interface Candidate {
  series: Series;
  role: SeriesRole;
  key?: string;
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : NaN;
}

/** Environments DomainBed evaluates as targets: `test_envs` (or `args.test_envs`), a list or one number. */
function testEnvsOf(hp: Record<string, HyperValue>): { envs: number[]; from: string } | undefined {
  const hit = hyperLookup(hp, ['test_envs', 'test_env', 'target_envs']);
  if (!hit) return undefined;
  const v = hit.value;
  const list = Array.isArray(v) ? v : [v];
  const envs = list.map((x) => (typeof x === 'number' ? x : Number(x))).filter(Number.isInteger);
  return envs.length ? { envs, from: hit.name } : undefined;
}

/** DomainBed `env{i}_{in,out,uda}_acc`: domain from test_envs, split from in/out/uda. */
function domainBedRole(c: Candidate, envs: { envs: number[]; from: string } | undefined, assumedDefault: boolean): void {
  const m = DOMAINBED_ACC.exec(c.series.rawName);
  if (!m) return;
  const env = Number(m[1]);
  const part = m[2].toLowerCase();
  const target = envs ? envs.envs.includes(env) : env === 0;
  // DomainBed evaluates at checkpoints: one value per checkpoint, indexed by its (rounded) epoch like other epoch series
  const pts = c.series.points;
  if (c.series.granularity !== 'epoch' && pts.length > 0 && pts.every((p) => p.epoch !== undefined && p.epoch >= 0) && new Set(pts.map((p) => p.epoch)).size === pts.length) {
    c.series = { ...c.series, granularity: 'epoch', points: pts.map((p) => ({ ...p, step: p.epoch! })) };
  }
  const split = part === 'out' ? 'val' : part === 'uda' ? 'train' : target ? 'test' : 'train';
  const why = envs ? `env${env} ${target ? 'is' : 'is not'} in ${envs.from}=[${envs.envs.join(', ')}]` : `assumed: DomainBed's default test_envs [0]${assumedDefault ? '' : ''}`;
  c.role = {
    domain: target ? 'target' : 'source',
    quantity: 'accuracy',
    split,
    granularity: 'epoch',
    confidence: envs ? EXPLICIT : ASSUMED * CONVENTION,
    reasons: [
      `DomainBed accuracy name env{i}_{in,out,uda}_acc`,
      why,
      part === 'out' ? '"out" is the held-out split of the environment' : part === 'uda' ? '"uda" is the unlabeled adaptation split' : '"in" is the split the model trains on (unlabeled for a target)',
    ],
    from: 'inferred',
  };
}

/** Evidence from values: a discriminator loss starting near ln 2 or 2 ln 2, an accuracy outside 0..100. */
function valueEvidence(c: Candidate): void {
  const vals = c.series.points.map((p) => p.value).filter(Number.isFinite);
  if (vals.length === 0) return;
  const r = c.role;
  if (r.quantity === 'domain-loss' || (r.quantity === 'transfer-loss' && r.domain === 'domain-discriminator')) {
    const head = median(vals.slice(0, Math.max(1, Math.ceil(vals.length / 20))));
    for (const [ref, label] of [[LN2, 'ln 2 = 0.693 (one binary cross-entropy at chance)'], [2 * LN2, '2 ln 2 = 1.386 (the sum of two binary cross-entropies at chance)']] as const) {
      if (Math.abs(head - ref) / ref < CHANCE_TOLERANCE) {
        r.reasons.push(`values start near ${label}`);
        r.confidence = Math.min(1, r.confidence + 0.05);
      }
    }
  }
  if (r.quantity === 'accuracy') {
    const max = Math.max(...vals);
    const min = Math.min(...vals);
    if (min < 0 || max > 100.0001) {
      r.reasons.push(`values ${min.toPrecision(3)}..${max.toPrecision(3)} are outside 0..100: not an accuracy`);
      r.confidence = Math.min(r.confidence, 0.2);
    } else if (c.series.scaledFrom === 'fraction') r.reasons.push('values are fractions (0..1), shown as percent');
  }
  if (r.quantity === 'lr' && vals.some((v) => v < 0 || v > 10)) {
    r.reasons.push('values outside 0..10: unlikely to be a learning rate');
    r.confidence = Math.min(r.confidence, 0.3);
  }
}

/** An accuracy named explicitly for the target (a target word, or a DomainBed target env) and evaluated on val/test. */
function isExplicitTargetAcc(c: Candidate): boolean {
  return c.role.quantity === 'accuracy' && c.role.domain === 'target' && (c.role.split === 'val' || c.role.split === 'test') &&
    c.role.confidence >= CONVENTION * 0.9 && !c.role.reasons.some((x) => x.startsWith('assumed'));
}

/** Names of the source and target domains: config keys (`source: amazon`, `tgt: D`) or a task in the path (`mnistm2svhn`, `A_to_W`). */
interface DomainNames {
  source: Set<string>;
  target: Set<string>;
  from: string;
}

const TASK_IN_NAME = /(?:^|[^a-z0-9])([a-z][a-z0-9]*?)(?:2|_to_|-to-|→)([a-z][a-z0-9]*)(?:$|[^a-z0-9])/i;

function domainNames(run: Run): DomainNames | undefined {
  const hp = run.hyperparameters;
  const words = (v: HyperValue | undefined): string[] => (typeof v === 'string' ? v.toLowerCase().split(/[\s,+/]+/).filter((w) => w.length > 1) : Array.isArray(v) ? v.flatMap((x) => words(x)) : []);
  const s = hyperLookup(hp, ['source', 'src', 'source_domain', 'source_domains', 'src_domain', 'source_dataset']);
  const t = hyperLookup(hp, ['target', 'tgt', 'target_domain', 'target_domains', 'tgt_domain', 'target_dataset']);
  if (s && t && words(s.value).length && words(t.value).length) {
    return { source: new Set(words(s.value)), target: new Set(words(t.value)), from: `config ${s.name}/${t.name}` };
  }
  for (const file of [run.path, ...run.files]) {
    for (const part of file.split(/[\\/]/).reverse()) {
      const m = TASK_IN_NAME.exec(part.replace(/\.[a-z]+$/i, ''));
      // two-letter-plus domain names only: `A2W` style single letters are too weak to match series words against
      if (m && m[1].length > 1 && m[2].length > 1) return { source: new Set([m[1].toLowerCase()]), target: new Set([m[2].toLowerCase()]), from: `"${part}"` };
    }
  }
  return undefined;
}

/** A series named for a domain (`accuracy of the svhn dataset` when svhn is the target) belongs to that domain. */
function byDomainName(c: Candidate, names: DomainNames): void {
  const r = c.role;
  if (r.from === 'user' || r.domain === 'domain-discriminator') return;
  if (!['accuracy', 'loss', 'class-loss', 'total-loss', 'error'].includes(r.quantity)) return;
  const tokens = tokenize(c.series.rawName);
  const hitT = tokens.find((t) => names.target.has(t));
  const hitS = tokens.find((t) => names.source.has(t));
  if (!hitT === !hitS) return;
  const domain = hitT ? 'target' : 'source';
  const explicit = r.reasons.some((x) => /^(source|target) word/.test(x));
  if (explicit && r.domain === domain) return;
  c.role = {
    ...r,
    domain,
    // an accuracy of the target with no split named is an evaluation
    split: domain === 'target' && r.quantity === 'accuracy' && r.split === 'train' && !r.reasons.some((x) => x.startsWith('split "')) ? 'val' : r.split,
    confidence: Math.max(r.confidence, EXPLICIT * CONVENTION),
    reasons: [...r.reasons.filter((x) => !x.startsWith('assumed') && !x.startsWith('training accuracy')), `"${hitT ?? hitS}" is the ${domain} domain (${names.from})`],
  };
}

/**
 * A series printed with a label equal to the config's name for the source domain (SHOT's source stage prints
 * `Task: A` with `name_src: A`) measured the source: its evaluations are source validation, never target accuracy.
 */
function byLabel(c: Candidate, sourceValues: Map<string, string>): void {
  const r = c.role;
  if (r.from === 'user' || !c.series.labels || r.domain === 'domain-discriminator') return;
  if (!['accuracy', 'loss', 'class-loss', 'total-loss', 'error'].includes(r.quantity)) return;
  const hit = Object.entries(c.series.labels).find(([, v]) => sourceValues.has(v.toLowerCase()));
  if (!hit) return;
  c.role = {
    ...r,
    domain: 'source',
    confidence: Math.max(Math.min(r.confidence, LABEL_DOMAIN_CONFIDENCE), LABEL_DOMAIN_CONFIDENCE),
    reasons: [...r.reasons.filter((x) => !x.startsWith('assumed')), `its lines say ${hit[0]}: ${hit[1]}, the source domain (config ${sourceValues.get(hit[1].toLowerCase())})`],
  };
}

/** Label values that name a split or a domain in full (`phase: val`, `domain: target`); single letters never do. */
const LABEL_ROLE_WORDS = new Set([...W.TRAIN_WORDS, ...W.VAL_WORDS, ...W.TEST_WORDS, 'source', 'src', 'target', 'tgt'].filter((w) => w.length > 1));

/**
 * The name role inference reads: the name as written, plus the split or domain its lines were labelled with
 * (`acc` printed on `phase: val` lines is a validation accuracy). End-of-run results keep their own reading.
 */
function withLabelWords(s: Series): string {
  if (!s.labels || s.endOfRun) return s.rawName;
  const words = Object.values(s.labels).map((v) => v.toLowerCase()).filter((v) => LABEL_ROLE_WORDS.has(v));
  return words.length ? `${s.rawName} ${words.join(' ')}` : s.rawName;
}

/** An unnamed accuracy with at most this many values reads as periodic evaluations, not per-step training meters. */
const MAX_EVALUATIONS = 50;

/**
 * An accuracy with no split and no domain in its name, logged once per epoch/evaluation, in a run where no accuracy
 * names its split: an evaluation (SHOT's `Accuracy = 86.95%`), so the target's by the same protocol assumption.
 */
function epochAccuracyIsEvaluation(candidates: Candidate[]): void {
  const accs = candidates.filter((c) => c.role.quantity === 'accuracy' && c.role.from !== 'user');
  if (accs.some((c) => c.role.reasons.some((x) => x.startsWith('split "')))) return;
  for (const c of accs) {
    const r = c.role;
    const sparse = r.granularity === 'epoch' || c.series.points.length <= MAX_EVALUATIONS;
    if (r.split !== 'train' || !sparse || r.domain !== 'source') continue;
    if (!r.reasons.includes('training accuracy is measured on labelled source batches')) continue;
    c.role = {
      ...r,
      domain: 'target',
      split: 'val',
      // one more assumption than the name alone carried
      confidence: Math.round(r.confidence * (ASSUMED / CONVENTION) * 100) / 100,
      reasons: [...r.reasons.filter((x) => x !== 'training accuracy is measured on labelled source batches'), `logged once per epoch/evaluation (${c.series.points.length} values) and no accuracy in the run names a split`, "assumed: an evaluation accuracy is the target's (tllib, DeepDA, SHOT and most DA code validate on the target)"],
    };
  }
}

export interface AssignRolesOptions {
  /** raw series name (or current key) -> role spec, from --map and the config file's `roles` */
  map?: Record<string, string>;
}

/** Assigns roles to every series of `run` (in place): re-keys series to the canonical key their role fills, notes each change. */
export function assignRoles(run: Run, opts: AssignRolesOptions = {}): void {
  const notes: Note[] = [];
  const candidates: Candidate[] = [];
  for (const [key, s] of Object.entries(run.series)) {
    // A reader's own structured key (tllib's `analysis/a_distance`, `val/f1_macro`) says more than the raw meter name
    const structured = !roleOfKey(key) && key !== s.rawName && !key.endsWith(')') && key.includes('/');
    const named = inferRoleFromName(structured ? key : withLabelWords(s), s.granularity === 'epoch' ? 'epoch' : 'step');
    const fromKey = roleOfKey(key);
    let role: SeriesRole = s.endOfRun ? endOfRunRole(s).role : named;
    // A reader that knows its format's structure (tllib's validation Acc@1, DeepDA's columns) or a metricAliases
    // entry put the series under a canonical key its name alone would not give: that decision stands.
    if (fromKey && keyFromName(s.rawName) !== key && !s.endOfRun) {
      role = { ...fromKey, granularity: named.granularity, confidence: CONVENTION, reasons: [`read as ${key} by the reader (file structure or metricAliases)`], from: 'inferred' };
    }
    candidates.push({ series: s, role });
  }
  // Run-level evidence
  const envs = testEnvsOf(run.hyperparameters);
  for (const c of candidates) domainBedRole(c, envs, !envs);
  const names = domainNames(run);
  if (names) for (const c of candidates) byDomainName(c, names);
  epochAccuracyIsEvaluation(candidates);
  const sourceValues = sourceDomainValues(run.hyperparameters);
  if (sourceValues.size) for (const c of candidates) byLabel(c, sourceValues);
  // an end-of-run number (test log, summary) says nothing about which domain the training log's curves measured
  const explicitTarget = candidates.find((c) => !c.series.endOfRun && isExplicitTargetAcc(c));
  if (explicitTarget) {
    for (const c of candidates) {
      if (c === explicitTarget || c.role.quantity !== 'accuracy' || c.role.domain !== 'target') continue;
      if (!c.role.reasons.some((x) => x.startsWith('assumed'))) continue;
      c.role = {
        ...c.role,
        domain: 'source',
        confidence: ASSUMED,
        reasons: [...c.role.reasons.filter((x) => !x.startsWith('assumed')), `"${explicitTarget.series.rawName}" is the target accuracy by name, so this unmarked ${c.role.split} accuracy is taken as the source's`],
      };
    }
  }
  for (const c of candidates) valueEvidence(c);
  // The user's corrections win over everything
  const map = opts.map ?? {};
  const used = new Set<string>();
  for (const c of candidates) {
    const entry = Object.entries(map).find(([name]) => normaliseMetricName(name) === normaliseMetricName(c.series.rawName) || name === c.series.key);
    if (!entry) continue;
    used.add(entry[0]);
    const spec = parseRoleSpec(entry[1]);
    if (!spec) continue; // validated where the map is parsed
    if (spec.ignore) {
      c.role = { domain: 'unknown', quantity: 'other', split: 'unknown', granularity: c.role.granularity, confidence: 1, reasons: [`ignored by the user (${entry[0]}=${entry[1]})`], from: 'user' };
    } else {
      c.role = { domain: spec.domain, quantity: spec.quantity, split: spec.split, granularity: c.role.granularity, confidence: 1, reasons: [`set by the user (${entry[0]}=${entry[1]})`], from: 'user' };
    }
  }
  for (const name of Object.keys(map)) {
    if (!used.has(name)) notes.push({ level: 'warn', file: run.path, message: `--map/roles names "${name}", which this run does not log (series: ${candidates.map((c) => c.series.rawName).slice(0, 12).join(', ')})` });
  }
  // Which series fills each canonical key: the user's choice, then the more confident, then the one with more points
  for (const c of candidates) {
    c.key = c.role.from === 'user' || c.role.confidence >= MIN_KEY_CONFIDENCE ? keyForRole(c.role) : undefined;
    // end-of-run results are not curves: they fill no curve key (final-results.ts reads them), unless the user says so
    if (c.series.endOfRun && c.role.from !== 'user') c.key = undefined;
    if (c.role.quantity === 'other' && c.role.from === 'user') c.key = undefined;
  }
  // evaluation keys want one value per epoch (what the rules judge); training keys want the densest series
  const rank = (c: Candidate) => [
    c.role.from === 'user' ? 1 : 0, Math.round(c.role.confidence * 10), c.role.split === 'val' ? 1 : 0,
    c.role.split !== 'train' && c.role.granularity === 'epoch' ? 1 : 0, c.series.points.length,
  ] as const;
  const better = (a: Candidate, b: Candidate) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] > rb[i];
    return false;
  };
  const winner = new Map<string, Candidate>();
  for (const c of candidates) {
    if (!c.key) continue;
    const w = winner.get(c.key);
    if (!w || better(c, w)) winner.set(c.key, c);
  }
  const out: Record<string, Series> = {};
  const canonical = new Set<string>(Object.values(KEY));
  for (const c of candidates) {
    const s = c.series;
    const wins = c.key !== undefined && winner.get(c.key) === c;
    // a series that fills no canonical key keeps the reader's own key (its raw name, or a structured one)
    let key = wins ? c.key! : roleOfKey(s.key) ? s.rawName : s.key;
    if (!wins && c.key) notes.push({ level: 'info', file: s.file, message: `metric "${s.rawName}" also maps to ${c.key}, which "${winner.get(c.key)!.series.rawName}" holds; kept it as "${canonical.has(s.rawName) ? `${s.rawName} (raw)` : roleOfKey(s.key) ? s.rawName : s.key}"` });
    if (!wins && c.key) c.role.reasons.push(`${c.key} is held by "${winner.get(c.key)!.series.rawName}" (${winner.get(c.key) && winner.get(c.key)!.role.from === 'user' ? 'set by the user' : 'more certain or more points'})`);
    if (canonical.has(key) && !wins) key = `${s.rawName} (raw)`;
    if (key in out) key = `${s.rawName} (${s.file})`;
    let series: Series = { ...s, key, role: c.role };
    if (wins && c.role.quantity === 'accuracy' && s.unit !== 'percent') {
      const vals = s.points.map((p) => p.value);
      if (looksLikeFraction(vals)) {
        series = { ...series, unit: 'percent', scaledFrom: 'fraction', points: s.points.map((p) => ({ ...p, value: p.value * 100, ...(p.avg !== undefined ? { avg: p.avg * 100 } : {}) })) };
        notes.push({ level: 'info', file: s.file, message: `"${s.rawName}" holds fractions (0..1); shown as percent (x100) under ${key}` });
      } else series = { ...series, unit: 'percent' };
    }
    if (key !== s.key) notes.push({ level: 'info', file: s.file, message: `"${s.rawName}" is read as ${describeRole(c.role)}${key in KEY_NAMES ? ` (${key})` : ''}: ${c.role.reasons.join('; ')}` });
    out[key] = series;
  }
  const before = run.series[KEY.valAcc];
  // the readers' own collision notes were about their keys; the notes above replace them
  run.notes = run.notes.filter((n) => !/^metric ".*" also maps to /.test(n.message));
  for (const k of Object.keys(run.series)) delete run.series[k];
  Object.assign(run.series, out);
  refreshTargetFacts(run, before, out[KEY.valAcc]);
  applyFinalResults(run);
  run.notes.push(...notes);
}

const maxFinite = (s: Series): number | undefined => {
  const v = s.points.map((p) => p.value).filter(Number.isFinite);
  return v.length ? Math.max(...v) : undefined;
};

/**
 * Readers derive the best accuracy and the target evaluations from whatever they keyed val/acc1. When roles hand
 * that key to another series (the explicit target accuracy, a DomainBed target env), those facts follow it.
 */
function refreshTargetFacts(run: Run, before: Series | undefined, now: Series | undefined): void {
  if (before === now || (before && now && before.rawName === now.rawName && before.file === now.file)) return;
  if (before) {
    const old = new Set(before.points.map((p) => p.value));
    run.evaluations = run.evaluations.filter((e) => !(e.file === before.file && e.domain === 'target' && e.acc1 !== undefined && old.has(e.acc1)));
    if (run.bestAcc1 !== undefined && run.bestAcc1 === maxFinite(before)) run.bestAcc1 = undefined;
  }
  if (now) {
    run.bestAcc1 ??= maxFinite(now);
    if (now.granularity === 'epoch' && !run.evaluations.some((e) => e.domain === 'target' && e.phase === 'val')) {
      run.evaluations.push(...now.points.map((p) => ({ phase: 'val' as const, domain: 'target' as const, file: now.file, line: p.line, epoch: p.epoch ?? p.step, acc1: p.value })));
    }
  }
}

const KEY_NAMES: Record<string, true> = Object.fromEntries(Object.values(KEY).map((k) => [k, true]));

/** "target accuracy (val, per epoch)" */
export function describeRole(r: Pick<SeriesRole, 'domain' | 'quantity' | 'split' | 'granularity'>): string {
  const domain = r.domain === 'domain-discriminator' ? 'discriminator' : r.domain === 'unknown' ? '' : r.domain;
  const q = r.quantity.replace(/-/g, ' ');
  const split = r.split === 'unknown' ? '' : r.split;
  return `${domain ? `${domain} ` : ''}${q}${split ? ` (${split}, per ${r.granularity})` : ` (per ${r.granularity})`}`;
}
