// Background work the interactive UI asks for (evaluation, t-SNE): both on worker threads, abortable on quit.
import type { EngineConfig, Report, RunReport } from '../report/schema.js';
import type { EvalResults } from '../model/types.js';
import type { CliOptions } from './args.js';
import type { OutputGuard } from '../output/safe-write.js';
import type { RunCache } from '../pipeline/run-cache.js';
import type { ReplayReport } from '../report/replay-schema.js';
import { exportDir, exportPath } from '../ui/export-path.js';

import type { FeatureEmbedding } from '../tsne/embed-features.js';

type LoaderOptions = Pick<CliOptions, 'backend' | 'maxPoints'> & Partial<Pick<CliOptions, 'formatHint' | 'maxBytes' | 'baselineRun' | 'evaluate' | 'replay'>>;

/**
 * Takes the run from the cache or reads it again (the report keeps no Run), attaches the evaluation and judges it as `diagnose --eval` would,
 * with the same baseline: the explicit --baseline run, else the report's source-only run of the same task.
 */
async function rejudgeRun(report: Report, runId: string, evaluation: EvalResults, opts: LoaderOptions, config: Partial<EngineConfig>, cache?: RunCache): Promise<RunReport> {
  const shown = report.runs.find((r) => r.id === runId);
  if (!shown) throw new Error(`no run ${runId} in the report`);
  const { loadRuns } = await import('../pipeline/load.js');
  const { judgeRun } = await import('../pipeline/judge.js');
  const { resolveConfig } = await import('../pipeline/config.js');
  const { pickBaselines } = await import('../understand/baseline-run.js');
  const readOpts = { config, formatHint: opts.formatHint, maxBytes: opts.maxBytes, maxDepth: 0 };
  const run = cache?.get(shown.path) ?? (await loadRuns([shown.path], readOpts)).runs[0];
  if (!run) throw new Error(`${shown.path} could not be read again`);
  run.eval = evaluation;
  const bIndex = pickBaselines(report.runs)[report.runs.indexOf(shown)];
  const baselinePath = opts.baselineRun ?? (bIndex !== undefined ? report.runs[bIndex].path : undefined);
  const baseline = baselinePath ? (await loadRuns([baselinePath], readOpts)).runs[0] : undefined;
  return { ...judgeRun(run, resolveConfig(config), baseline), id: shown.id };
}

export function uiLoaders(report: Report, opts: LoaderOptions, cwd: string, guard: OutputGuard = { protect: [] }, config: Partial<EngineConfig> = {}, cache?: RunCache) {
  // what exports write: the report with every re-judged run swapped in
  let current = report;
  const protect = guard.protect.length ? guard.protect : report.runs.map((r) => r.path);
  return {
    // shown in the export prompt before anything is written
    exportDir: exportDir(cwd, protect),
    load: {
      rejudge: async (runId: string, evaluation: EvalResults): Promise<RunReport> => {
        const judged = await rejudgeRun(current, runId, evaluation, opts, config, cache);
        current = { ...current, runs: current.runs.map((r) => (r.id === runId ? judged : r)) };
        return judged;
      },
      // The report already holds the quick evaluation; the deep one (discriminator counterfactual, per-class
      // A-distance) runs here in the background after the first frame. --no-eval turns both off.
      ...(opts.evaluate === 'off' ? {} : {
        evaluate: async (runId: string, signal?: AbortSignal): Promise<EvalResults | null> => {
          const run = report.runs.find((r) => r.id === runId);
          if (!run || (!run.features && run.checkpoints.length === 0)) return null;
          const { evaluateInWorker } = await import('../pipeline/evaluate-in-worker.js');
          // a re-run's dump lives in the cache, not the run dir: the kept Run knows where (re-reading the path would not)
          return evaluateInWorker(cache?.get(run.path) ?? run.path, { depth: 'deep', backend: opts.backend, maxPoints: opts.maxPoints, signal });
        },
      }),
      // `r` in the UI: the replay of --replay (its --try, budget and steps when given) on the main thread; it yields
      // every few steps, so the UI stays live, and the signal stops it within a step
      replay: async (runId: string, onProgress: (label: string, fraction: number) => void, signal: AbortSignal): Promise<ReplayReport | null> => {
        const shown = current.runs.find((r) => r.id === runId);
        if (!shown) throw new Error(`no run ${runId} in the report`);
        const { loadRuns } = await import('../pipeline/load.js');
        const run = cache?.get(shown.path) ?? (await loadRuns([shown.path], { config, formatHint: opts.formatHint, maxBytes: opts.maxBytes, maxDepth: 0 })).runs[0];
        if (!run) throw new Error(`${shown.path} could not be read again`);
        const { replayRun } = await import('../replay/index.js');
        const req = opts.replay;
        return replayRun(run, {
          causes: shown.causes.map((c) => c.id),
          tries: req?.tries ?? [],
          ...(req?.budgetSeconds !== undefined ? { budgetSeconds: req.budgetSeconds } : {}),
          ...(req?.iterations !== undefined ? { iterations: req.iterations } : {}),
          ...(opts.backend !== undefined ? { backend: opts.backend } : {}),
          signal,
          onProgress,
        });
      },
      tsne: async (runId: string, onProgress: (f: number) => void, signal?: AbortSignal): Promise<FeatureEmbedding | null> => {
        const run = report.runs.find((r) => r.id === runId);
        if (!run?.features) return null;
        const { tsneOfFeatureDump } = await import('../plot/tsne-of-run.js');
        const classNames = run.eval?.classNames ?? run.perClass.find((t) => t.rows.length > 0)?.rows.map((row) => row.name);
        return tsneOfFeatureDump(run.features.path, { maxPoints: opts.maxPoints, classNames, onProgress, signal });
      },
    },
    exportReport: async (format: 'markdown' | 'html', runId: string): Promise<string> => {
      const { writeFileSync } = await import('node:fs');
      const one: Report = { ...current, runs: current.runs.filter((r) => r.id === runId) };
      const text = format === 'markdown'
        ? (await import('../reporters/markdown.js')).renderMarkdown(one)
        : (await import('../reporters/html.js')).renderHtml(one, { svgs: await (await import('../pipeline/report-plots.js')).reportPlots(one, { maxPoints: opts.maxPoints, cache }) });
      // never into a run directory: exportPath falls back to the temp dir and never overwrites
      const file = exportPath(cwd, runId, protect, format);
      writeFileSync(file, text, { flag: 'wx' }); // exclusive create: never through a link planted at that name
      return file;
    },
  };
}
