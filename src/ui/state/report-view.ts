// Pure views of a Report that the UI needs (ordering, headline numbers, per-class rows, ranges); no Ink, no I/O.
import type { Report, RunReport, Finding, RankedCause, Severity, Evidence, SeriesSummary } from '../../report/schema.js';
import type { EvalResults, HyperValue } from '../../model/types.js';
import { KEY } from '../../model/metric-keys.js';
import { finalPerClassTable, perClassTableLabel } from '../../model/per-class-table.js';
import { shownEpoch, type EpochBase } from '../../model/epoch-numbering.js';
import { changePoint } from '../../signals/change-point.js';

/** Lower is worse, so sorting ascending puts the worst first. Same order as the engine and the reporters. */
import { SEVERITY_ORDER as SEVERITY_RANK } from '../../report/schema.js';
export { SEVERITY_RANK };
/** Glyphs, finding order, top cause and the verdict: the reporters' (src/report/views.ts, one definition). */
import { SEVERITY_GLYPH as SEVERITY_BADGE, sortedFindings, topCause, verdictOf, runVerdictOf } from '../../report/views.js';
export { SEVERITY_BADGE, sortedFindings, topCause };

export interface SeverityCounts { error: number; warn: number; info: number }

export function severityCounts(run: RunReport): SeverityCounts {
  const c: SeverityCounts = { error: 0, warn: 0, info: 0 };
  for (const f of run.findings) if (!f.suppressed) c[f.severity]++;
  return c;
}

/** A crashed or failed run is worse than any finding list: the user must see it first. */
const BAD_STATUS = new Set(['crashed', 'failed', 'killed']);

/**
 * Run indices worst first: bad status, then the worst severity present, then the lowest final target accuracy
 * (between two runs with an error, the one that ended worse is the one to open first), then more findings.
 */
export function runOrder(report: Report): number[] {
  const key = (r: RunReport) => {
    const c = severityCounts(r);
    const worst = c.error ? 0 : c.warn ? 1 : c.info ? 2 : 3;
    return [BAD_STATUS.has(r.status) ? 0 : 1, worst, r.metrics.finalTargetAcc ?? Infinity, -(c.error + c.warn)];
  };
  return report.runs
    .map((r, i) => ({ i, k: key(r) }))
    .sort((a, b) => {
      for (let j = 0; j < a.k.length; j++) if (a.k[j] !== b.k[j]) return a.k[j] - b.k[j];
      return a.i - b.i;
    })
    .map((x) => x.i);
}

/** Healthy = nothing at warn or above (info findings are advice, not problems). */
export function isHealthy(run: RunReport): boolean {
  const c = severityCounts(run);
  return c.error === 0 && c.warn === 0 && !BAD_STATUS.has(run.status) && runVerdictOf(run) !== 'not-judged';
}

/** One line that answers "what went wrong" (ux principle 1: verdict first): the reporters' verdict. */
export function verdict(run: RunReport): { severity: Severity | 'ok'; text: string } {
  const v = verdictOf(run);
  return { severity: v.severity, text: v.text };
}

/**
 * The causes a finding supports that diagnose ranked for this run, most confident first. Causes the rule lists
 * but diagnose did not rank are left out: a 0.00 bar would read as a claim.
 */
export function causesOf(run: RunReport, finding: Finding): RankedCause[] {
  return finding.causes
    .map((id) => run.causes.find((c) => c.id === id))
    .filter((c): c is RankedCause => c !== undefined)
    .sort((a, b) => b.confidence - a.confidence);
}

/** Display name of an algorithm id ('dann' -> 'DANN'). */
export function algorithmName(run: RunReport): string {
  const a = run.algorithm;
  if (a === 'unknown') return 'algorithm ?';
  if (a === 'self_ensemble') return 'Self-Ensemble';
  if (a === 'fixmatch') return 'FixMatch';
  if (a === 'cc_loss') return 'CC-Loss';
  if (a === 'deepda') return 'DeepDA';
  if (a === 'dassl') return 'Dassl';
  if (a === 'other') return run.algorithmFrom?.name ?? 'other';
  return a.toUpperCase();
}

export function statusText(run: RunReport): string {
  if (run.status === 'crashed' && run.crash) return `crashed (${run.crash.type})`;
  return run.status;
}

/** Hyperparameters worth a glance in the header, in the order a DANN practitioner reads them. */
export const KEY_HYPERPARAMETERS = [
  'arch', 'batch_size', 'lr', 'trade_off', 'lr_gamma', 'lr_decay', 'bottleneck_dim', 'disc_hidden',
  'disc_batch_norm', 'disc_lr_mult', 'grl_hi', 'grl_max_iters', 'entropy', 'randomized', 'margin', 'seed',
];

export function formatHyper(v: HyperValue): string {
  if (Array.isArray(v)) return `[${v.map(formatHyper).join(',')}]`;
  if (v === null) return 'None';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toPrecision(4));
  return String(v);
}

/** "15 ep × 300 it · batch 32 · lr 0.01 · trade_off 1" from what the run recorded. */
export function hyperLine(run: RunReport): string {
  const parts: string[] = [];
  const h = run.hyperparameters;
  const epochs = run.epochsCompleted ?? (typeof h.epochs === 'number' ? h.epochs : undefined);
  const iters = run.itersPerEpoch ?? (typeof h.iters_per_epoch === 'number' ? h.iters_per_epoch : undefined);
  if (epochs !== undefined) parts.push(`${epochs} ep` + (iters !== undefined ? ` × ${iters} it` : '') + (run.epochBase === 1 ? ' (numbered from 1)' : ''));
  for (const k of KEY_HYPERPARAMETERS) {
    if (!(k in h)) continue;
    parts.push(k === 'batch_size' ? `batch ${formatHyper(h[k])}` : `${k} ${formatHyper(h[k])}`);
  }
  return parts.join(' · ');
}

export function pct(v: number | undefined | null, digits = 1): string {
  return v === undefined || v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** Epoch range an evidence item covers, converting steps to epochs when the run knows iterations per epoch. */
export function evidenceEpochRange(run: RunReport, ev: Evidence): { from: number; to: number } | null {
  if (ev.from === undefined && ev.to === undefined) return null;
  let from = ev.from ?? ev.to!;
  let to = ev.to ?? ev.from!;
  if (ev.unit === 'step') {
    if (!run.itersPerEpoch) return null;
    from = Math.floor(from / run.itersPerEpoch);
    to = Math.floor(to / run.itersPerEpoch);
  }
  return { from: Math.min(from, to), to: Math.max(from, to) };
}

/** The first evidence range of the finding (what the curves pane marks). */
export function findingEpochRange(run: RunReport, f: Finding | undefined): { from: number; to: number; series?: string } | null {
  if (!f) return null;
  for (const ev of f.evidence) {
    const r = evidenceEpochRange(run, ev);
    if (r) return { ...r, series: ev.series };
  }
  return null;
}

/** "train-…txt:812-826" style pointer. */
export function evidenceLocation(ev: Evidence): string {
  const base = ev.file.split(/[\\/]/).at(-1) ?? ev.file;
  if (ev.line === undefined) return base;
  return `${base}:${ev.line}${ev.endLine !== undefined && ev.endLine !== ev.line ? `-${ev.endLine}` : ''}`;
}

export function evidenceText(ev: Evidence, base?: EpochBase): string {
  const parts: string[] = [];
  if (ev.series) {
    const unit = ev.unit === 'step' ? 'steps' : 'epochs';
    const at = (n: number) => (ev.unit === 'step' ? n : shownEpoch(n, base));
    const range = ev.from !== undefined || ev.to !== undefined ? ` ${unit} ${at((ev.from ?? ev.to)!)}..${at((ev.to ?? ev.from)!)}` : '';
    parts.push(`${ev.series}${range}`);
  }
  if (ev.observed !== null && ev.observed !== undefined && ev.observed !== '') {
    const obs = typeof ev.observed === 'number' ? formatNumber(ev.observed) : String(ev.observed);
    parts.push(ev.threshold !== undefined ? `observed ${obs} vs threshold ${typeof ev.threshold === 'number' ? formatNumber(ev.threshold) : ev.threshold}` : `observed ${obs}`);
  }
  if (ev.note) parts.push(ev.note);
  return parts.join(' · ');
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return String(+v.toPrecision(4));
}

/** Curves in the order a person reads a DANN run, then any other series the run has. */
export const CURVE_ORDER: { key: string; label: string }[] = [
  { key: KEY.clsAcc, label: 'source acc' },
  { key: KEY.valAcc, label: 'target acc' },
  { key: KEY.domainAcc, label: 'domain acc' },
  { key: KEY.sourceValAcc, label: 'source val' },
  { key: KEY.loss, label: 'loss' },
  { key: KEY.clsLoss, label: 'cls loss' },
  { key: KEY.transferLoss, label: 'transfer loss' },
  { key: KEY.valLoss, label: 'val loss' },
  { key: KEY.lr, label: 'lr' },
  { key: KEY.grlCoeff, label: 'grl coeff' },
];

export interface Curve { key: string; label: string; series: SeriesSummary }

/** tllib's batch-time and data-loading meters: about the machine, not the training, so not drawn. */
const TIMING_METERS = /^(time|data)$/i;

export function curvesOf(run: RunReport): Curve[] {
  const byKey = new Map(run.series.map((s) => [s.key, s]));
  const out: Curve[] = [];
  for (const c of CURVE_ORDER) {
    const s = byKey.get(c.key);
    if (s && s.epochMeans.length > 0) out.push({ ...c, series: s });
  }
  const known = new Set(CURVE_ORDER.map((c) => c.key));
  for (const s of run.series) {
    if (!known.has(s.key) && !TIMING_METERS.test(s.rawName) && !TIMING_METERS.test(s.key) && s.epochMeans.length > 0) out.push({ key: s.key, label: s.rawName || s.key, series: s });
  }
  return out;
}

export interface PerClassView {
  names: string[];
  target?: number[];
  source?: number[];
  /** where each side came from, shown under the bars */
  targetFrom?: string;
  sourceFrom?: string;
  /** target predictions per class, when evaluation ran (shows collapse / label shift at a glance) */
  targetPredHistogram?: number[];
}

/**
 * Per-class accuracy for the pane: evaluation results when they exist (same model for both domains),
 * otherwise the last per-class table of each domain in the log (the final epoch, which is what the
 * header's "target" number is).
 */
export function perClassView(run: RunReport, evalResults: EvalResults | undefined): PerClassView | null {
  const ev = evalResults ?? run.eval;
  const tTable = finalPerClassTable(run.perClass, 'target');
  const sTable = finalPerClassTable(run.perClass, 'source');
  const view: PerClassView = { names: [] };
  const n = ev?.numClasses ?? tTable?.rows.length ?? sTable?.rows.length ?? 0;
  if (n === 0) return null;
  view.names = ev?.classNames?.slice(0, n) ?? tTable?.rows.map((r) => r.name) ?? sTable?.rows.map((r) => r.name) ?? [];
  while (view.names.length < n) view.names.push(String(view.names.length));
  if (ev?.target) {
    view.target = ev.target.perClassAcc;
    view.targetFrom = `re-evaluated (${ev.target.predictionsFrom}, n=${ev.target.n})`;
    view.targetPredHistogram = ev.target.predHistogram;
  } else if (tTable) {
    view.target = tTable.rows.map((r) => r.acc);
    view.targetFrom = perClassTableLabel(tTable, run.epochBase);
  }
  if (ev?.source) {
    view.source = ev.source.perClassAcc;
    view.sourceFrom = `re-evaluated (${ev.source.predictionsFrom}, n=${ev.source.n})`;
  } else if (sTable) {
    view.source = sTable.rows.map((r) => r.acc);
    view.sourceFrom = perClassTableLabel(sTable, run.epochBase);
  }
  if (!view.target && !view.source) return null;
  return view;
}

/**
 * Puts every curve on one epoch axis (the union of their epochs) so sparklines line up under one range mark;
 * an epoch a series has no value for is null (a gap), a NaN stays NaN (drawn as a symptom).
 */
export function alignCurves(curves: Curve[]): { epochs: number[]; values: (number | null)[][] } {
  const set = new Set<number>();
  for (const c of curves) for (const p of c.series.epochMeans) set.add(p.epoch);
  const epochs = [...set].sort((a, b) => a - b);
  const index = new Map(epochs.map((e, i) => [e, i]));
  const values = curves.map((c) => {
    const row: (number | null)[] = new Array(epochs.length).fill(null);
    for (const p of c.series.epochMeans) row[index.get(p.epoch)!] = p.mean;
    return row;
  });
  return { epochs, values };
}

/** Accuracy curves are drawn over at least this many points, so noise at chance (9.3..10.7) does not look like learning. */
export const MIN_PERCENT_SPAN = 10;
/** A positive series whose max/min exceeds this is drawn on a log scale (a diverging loss: 3 -> 9e10 -> 3). */
export const LOG_SCALE_RATIO = 1e3;

/**
 * How to scale a curve's sparkline: accuracies over a span of at least MIN_PERCENT_SPAN points (kept inside
 * 0..100), positive series spanning orders of magnitude in log10, anything else over its own min..max.
 */
export function curveScale(unit: string, values: (number | null)[]): { min?: number; max?: number; log: boolean } {
  const f = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (f.length === 0) return { log: false };
  const lo = Math.min(...f);
  const hi = Math.max(...f);
  if (unit === 'percent' && hi - lo < MIN_PERCENT_SPAN) {
    const mid = (hi + lo) / 2;
    const min = Math.max(0, Math.min(100 - MIN_PERCENT_SPAN, mid - MIN_PERCENT_SPAN / 2));
    return { min, max: min + MIN_PERCENT_SPAN, log: false };
  }
  if (lo > 0 && hi / lo > LOG_SCALE_RATIO) return { log: true };
  return { log: false };
}

/**
 * A step is a change point whose shift is at least this many within-segment SDs. On the shared runs smooth
 * trends (lr decay, warm-up, domain acc settling) score 2..7.5; the dh-digits loss drop from 48 to 0.68 at
 * epoch 22 scores 18. Marking every trend would mark every curve.
 */
export const STEP_MIN_SCORE = 8;
/** Each side of a step spans at least this many epochs (one noisy epoch is not a level). */
const STEP_MIN_SEGMENT = 2;

/** The one step in a curve worth marking (index into `values`), or null; series with gaps or NaN have none. */
export function curveStep(values: (number | null)[]): { index: number; before: number; after: number } | null {
  if (values.some((v) => v === null)) return null;
  const cp = changePoint(values as number[], STEP_MIN_SEGMENT);
  if (!cp || !(cp.score >= STEP_MIN_SCORE)) return null;
  return { index: cp.index, before: cp.meanBefore, after: cp.meanAfter };
}
