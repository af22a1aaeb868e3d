// Which curves to draw for a run and for each finding: series picked from evidence, ranges shaded, change points marked.
import type { Run, Series, Evaluation } from '../model/types.js';
import type { RunReport, Finding, SeriesSummary } from '../report/schema.js';
import { KEY } from '../model/metric-keys.js';
import type { CurvePlotInput, CurveSeries, CurvePoint } from './curves-svg.js';

/**
 * Where curve points come from: the full series of a loaded Run (every logged step), or, when only a Report is at
 * hand, its per-epoch means (x in epochs).
 */
export interface CurveSource {
  xUnit: 'step' | 'epoch';
  itersPerEpoch?: number;
  /** 1 when the log numbers epochs from 1: an epoch axis shows the log's numbers (points are shifted by it) */
  epochBase: number;
  keys: string[];
  points(key: string): CurvePoint[] | undefined;
  label(key: string): string;
  unit(key: string): string;
  /** true for one-value-per-epoch series drawn on a step axis (they get a dot per epoch) */
  perEpoch(key: string): boolean;
  evaluations: Evaluation[];
}

export function curveSourceFromRun(run: Run): CurveSource {
  const anyIteration = Object.values(run.series).some((s) => s.granularity === 'iteration');
  const xUnit = anyIteration ? 'step' : 'epoch';
  const base = run.epochBase ?? 0;
  const pts = (s: Series): CurvePoint[] => {
    // epoch-granular series on a step axis sit at the end of their epoch
    if (xUnit === 'step' && s.granularity === 'epoch' && run.itersPerEpoch)
      return s.points.map((p) => ({ step: ((p.epoch ?? p.step) + 1) * run.itersPerEpoch!, value: p.value }));
    if (xUnit === 'epoch') return s.points.map((p) => ({ step: (p.epoch ?? p.step) + base, value: p.value }));
    return s.points.map((p) => ({ step: p.step, value: p.value }));
  };
  return {
    xUnit,
    itersPerEpoch: run.itersPerEpoch,
    epochBase: base,
    keys: Object.keys(run.series),
    points: (k) => (run.series[k] ? pts(run.series[k]) : undefined),
    label: (k) => labelOf(run.series[k]?.rawName ?? k, k),
    unit: (k) => run.series[k]?.unit ?? 'other',
    perEpoch: (k) => xUnit === 'step' && run.series[k]?.granularity === 'epoch',
    evaluations: run.evaluations,
  };
}

export function curveSourceFromReport(r: RunReport): CurveSource {
  const byKey = new Map<string, SeriesSummary>(r.series.map((s) => [s.key, s]));
  return {
    xUnit: 'epoch',
    itersPerEpoch: r.itersPerEpoch,
    epochBase: r.epochBase ?? 0,
    keys: [...byKey.keys()],
    points: (k) => byKey.get(k)?.epochMeans.map((e) => ({ step: e.epoch + (r.epochBase ?? 0), value: e.mean })),
    label: (k) => labelOf(byKey.get(k)?.rawName ?? k, k) + ' (epoch mean)',
    unit: (k) => byKey.get(k)?.unit ?? 'other',
    perEpoch: () => false,
    evaluations: r.evaluations,
  };
}

function labelOf(raw: string, key: string): string {
  return raw === key ? key : `${raw} (${key})`;
}

const UNIT_LABEL: Record<string, string> = { percent: 'accuracy (%)', fraction: 'fraction', loss: 'loss', lr: 'learning rate', coefficient: 'coefficient', other: 'value' };

/** Converts a value in evidence units to the plot's x unit. */
function toX(v: number, unit: 'step' | 'epoch' | undefined, src: CurveSource, end: boolean): number | undefined {
  const u = unit ?? 'step';
  if (u === src.xUnit) return u === 'epoch' ? v + src.epochBase : v;
  if (!src.itersPerEpoch) return undefined;
  if (u === 'epoch') return end ? (v + 1) * src.itersPerEpoch - 1 : v * src.itersPerEpoch;
  return Math.floor(v / src.itersPerEpoch) + src.epochBase;
}

/** Per-epoch validation accuracies as dot series, placed at the end of each epoch on a step axis. */
export function validationDots(src: CurveSource): CurveSeries[] {
  const out: CurveSeries[] = [];
  for (const domain of ['target', 'source'] as const) {
    const evs = src.evaluations.filter((e) => e.phase === 'val' && e.domain === domain && e.acc1 !== undefined && e.epoch !== undefined);
    if (evs.length === 0) continue;
    const points = evs.map((e) => ({ step: src.xUnit === 'epoch' ? e.epoch! + src.epochBase : (e.epoch! + 1) * (src.itersPerEpoch ?? 1), value: e.acc1! }));
    if (src.xUnit === 'step' && !src.itersPerEpoch) continue;
    out.push({ key: `val/${domain}`, label: `${domain} val acc@1 (per epoch)`, points, dots: true, color: domain === 'target' ? '#d62728' : '#1f77b4' });
  }
  return out;
}

/** The plots every run gets: accuracies, losses, and the schedules (lr, GRL coefficient), where present. */
export function overviewCurves(runId: string, src: CurveSource): { name: string; plot: CurvePlotInput }[] {
  const groups: { name: string; title: string; keys: string[]; yLabel: string; dots: boolean }[] = [
    { name: 'accuracy', title: 'accuracy', keys: [KEY.clsAcc, KEY.domainAcc, KEY.valAcc, KEY.sourceValAcc], yLabel: 'accuracy (%)', dots: true },
    { name: 'loss', title: 'losses', keys: [KEY.loss, KEY.clsLoss, KEY.transferLoss, KEY.valLoss], yLabel: 'loss', dots: false },
    { name: 'schedule', title: 'schedules', keys: [KEY.lr, KEY.grlCoeff], yLabel: 'value', dots: false },
  ];
  const out: { name: string; plot: CurvePlotInput }[] = [];
  for (const g of groups) {
    const series: CurveSeries[] = [];
    for (const k of g.keys) {
      const p = src.points(k);
      if (p && p.length) series.push({ key: k, label: src.label(k), points: p, marks: src.perEpoch(k) });
    }
    // the val/acc1 series and the evaluations are the same numbers: dots only when no val line is drawn
    if (g.dots && !series.some((s) => s.key === KEY.valAcc)) series.push(...validationDots(src));
    if (series.length === 0) continue;
    out.push({ name: g.name, plot: { title: `${runId}: ${g.title}`, series, xLabel: src.xUnit, yLabel: g.yLabel } });
  }
  return out;
}

/**
 * The plot behind one finding: the series its evidence names (those sharing the first one's unit), each
 * evidence range shaded, single-step evidence (a jump, the first NaN) marked. Null when no evidence names a
 * series this source has.
 */
export function findingCurves(runId: string, finding: Finding, src: CurveSource): CurvePlotInput | null {
  const keys = [...new Set(finding.evidence.map((e) => e.series).filter((k): k is string => !!k && !!src.points(k)?.length))];
  if (keys.length === 0) return null;
  const unit = src.unit(keys[0]);
  const series: CurveSeries[] = keys.filter((k) => src.unit(k) === unit).map((k) => ({ key: k, label: src.label(k), points: src.points(k)!, marks: src.perEpoch(k) }));
  if (unit === 'percent' && !series.some((s) => s.key === KEY.valAcc)) series.push(...validationDots(src));
  const highlights: { from: number; to: number; label?: string }[] = [];
  const markers: { step: number; label?: string }[] = [];
  for (const e of finding.evidence) {
    if (e.from === undefined) continue;
    const a = toX(e.from, e.unit, src, false);
    const b = toX(e.to ?? e.from, e.unit, src, true);
    if (a === undefined || b === undefined) continue;
    if ((e.to ?? e.from) === e.from) markers.push({ step: a, label: e.note });
    else highlights.push({ from: a, to: b, label: e.note });
  }
  return {
    title: `${runId}: ${finding.ruleId}`,
    series,
    highlights,
    markers,
    xLabel: src.xUnit,
    yLabel: UNIT_LABEL[unit] ?? unit,
  };
}
