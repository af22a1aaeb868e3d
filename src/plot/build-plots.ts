// All plots of one run as named SVG strings with stable names (what writePlots saves and the HTML report inlines).
import type { Run } from '../model/types.js';
import type { RunReport } from '../report/schema.js';
import type { FeatureEmbedding } from '../tsne/embed-features.js';
import { tsneScatterSvg } from './tsne-scatter-svg.js';
import { curvePlotSvg } from './curves-svg.js';
import { curveSourceFromReport, curveSourceFromRun, findingCurves, overviewCurves } from './run-curves.js';

export interface PlotInputs {
  runId: string;
  /** the loaded run: full-resolution curves (else the report's per-epoch means are drawn) */
  run?: Run;
  /** findings to draw curves for */
  report?: RunReport;
  embedding?: FeatureEmbedding;
}

export interface NamedPlot {
  /** stable file stem, e.g. "healthy-tsne-class", "healthy-curves-domain-acc-saturated" */
  name: string;
  kind: 'tsne-class' | 'tsne-domain' | 'curves' | 'finding';
  title: string;
  svg: string;
  /** for kind 'finding': the finding's fingerprint */
  fingerprint?: string;
}

/** A run id as a file-name part: path separators and odd characters become '_'. */
export function fileStem(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'run';
}

/**
 * Builds every plot for one run: t-SNE by class (with source-to-target class medoid arrows) and by domain, the overview curves, and
 * one curve plot per finding that names a series. Pure: returns strings, writes nothing.
 */
export function buildPlots(inputs: PlotInputs): NamedPlot[] {
  const stem = fileStem(inputs.runId);
  const out: NamedPlot[] = [];
  const e = inputs.embedding;
  if (e && e.n > 0) {
    const tc = `${inputs.runId}: t-SNE of ${e.featureName} by class`;
    out.push({ name: `${stem}-tsne-class`, kind: 'tsne-class', title: tc, svg: tsneScatterSvg(e, { colorBy: 'class', arrows: e.numClasses > 0, title: tc }) });
    const td = `${inputs.runId}: t-SNE of ${e.featureName} by domain`;
    out.push({ name: `${stem}-tsne-domain`, kind: 'tsne-domain', title: td, svg: tsneScatterSvg(e, { colorBy: 'domain', title: td }) });
  }
  const src = inputs.run ? curveSourceFromRun(inputs.run) : inputs.report ? curveSourceFromReport(inputs.report) : undefined;
  if (!src) return out;
  for (const o of overviewCurves(inputs.runId, src)) out.push({ name: `${stem}-curves-${o.name}`, kind: 'curves', title: o.plot.title, svg: curvePlotSvg(o.plot) });
  const used = new Map<string, number>();
  for (const f of inputs.report?.findings ?? []) {
    const plot = findingCurves(inputs.runId, f, src);
    if (!plot) continue;
    const n = (used.get(f.ruleId) ?? 0) + 1;
    used.set(f.ruleId, n);
    const name = `${stem}-curves-${f.ruleId}${n > 1 ? `-${n}` : ''}`;
    out.push({ name, kind: 'finding', title: plot.title, svg: curvePlotSvg(plot), fingerprint: f.fingerprint });
  }
  return out;
}
