// The plot step (`--plots DIR`, `--format html`): each run's curves and feature t-SNE. With a RunCache the runs the
// diagnosis read and each embedding are reused, so several outputs never re-read a run or compute its t-SNE twice.
import type { Report, RunReport } from '../report/schema.js';
import type { Run } from '../model/types.js';
import type { FeatureEmbedding } from '../tsne/embed-features.js';
import { writePlots, type WritePlotsOptions } from '../plot/write-plots.js';
import { buildPlots, type NamedPlot } from '../plot/build-plots.js';
import type { RunCache } from './run-cache.js';
import { loadRuns } from './load.js';

export interface ReportPlotsOptions extends WritePlotsOptions {
  /** t-SNE point cap (stratified subsample above it); default 5,000 */
  maxPoints?: number;
  seed?: number;
  /** told about every run whose curves or features could not be reloaded (the plots fall back or are skipped) */
  onNote?: (runId: string, message: string) => void;
  /** runs kept by the diagnosis and embeddings already computed; a run not in it is re-read */
  cache?: RunCache;
}

/** The run's full series, re-read from its files; undefined (per-epoch means are drawn instead) when that fails. */
async function reloadRun(r: RunReport, note: (m: string) => void, cache?: RunCache): Promise<Run | undefined> {
  const kept = cache?.get(r.path);
  if (kept) return kept;
  try {
    const { runs } = await loadRuns([r.path], { cache });
    return runs.find((x) => x.path === r.path) ?? (runs.length === 1 ? runs[0] : undefined);
  } catch (err) {
    note(`curves drawn from epoch means: could not re-read ${r.path} (${err instanceof Error ? err.message : String(err)})`);
    return undefined;
  }
}

/** t-SNE of the run's feature dump (bottleneck features), or undefined with a note. */
export async function embedRunFeatures(r: RunReport, opts: { maxPoints?: number; seed?: number; cache?: RunCache }, note: (m: string) => void): Promise<FeatureEmbedding | undefined> {
  const path = r.features?.path;
  if (!path || !path.endsWith('.npz')) return undefined;
  if (opts.cache) return opts.cache.embedding(`${path}\0${opts.maxPoints}\0${opts.seed}`, () => computeEmbedding(r, path, opts, note));
  return computeEmbedding(r, path, opts, note);
}

async function computeEmbedding(r: RunReport, path: string, opts: { maxPoints?: number; seed?: number }, note: (m: string) => void): Promise<FeatureEmbedding | undefined> {
  try {
    const { readNpz } = await import('../ingest/npy/index.js');
    const { embedInputFromArrays, embedFeatures } = await import('../tsne/embed-features.js');
    // class names: from re-evaluation, else from a logged per-class table (tllib prints "0 - zero" style names)
    const names = r.eval?.classNames ?? r.perClass.find((t) => t.rows.length > 0)?.rows.map((row) => row.name);
    const arrays = await readNpz(path);
    (await import('../ingest/npy/dump-checks.js')).checkFeatureDump(arrays, path);
    const input = embedInputFromArrays(arrays, path, 'features', names);
    return embedFeatures(input, { cap: opts.maxPoints, seed: opts.seed });
  } catch (err) {
    note(`no t-SNE: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * Every run's plots as SVG strings, keyed by run id (for `renderHtml(report, { svgs })`): reloads the curves,
 * embeds features.npz when the run has one. Cost: one t-SNE per run with features (seconds each).
 */
export async function reportPlots(report: Report, opts: ReportPlotsOptions = {}): Promise<Record<string, NamedPlot[]>> {
  const out: Record<string, NamedPlot[]> = {};
  for (const r of report.runs) {
    const note = (m: string) => opts.onNote?.(r.id, m);
    out[r.id] = buildPlots({ runId: r.id, run: await reloadRun(r, note, opts.cache), report: r, embedding: await embedRunFeatures(r, opts, note) });
  }
  return out;
}

/** Writes every run's plots into `dir` and returns the files written. */
export async function writeReportPlots(report: Report, dir: string, opts: ReportPlotsOptions = {}): Promise<string[]> {
  const written: string[] = [];
  for (const r of report.runs) {
    const note = (m: string) => opts.onNote?.(r.id, m);
    const run = await reloadRun(r, note, opts.cache);
    const embedding = await embedRunFeatures(r, opts, note);
    written.push(...(await writePlots({ runId: r.id, run, report: r, embedding }, dir, { ...opts, notePlot: note })));
  }
  return written;
}
