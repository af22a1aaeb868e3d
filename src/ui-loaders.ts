// Background work the interactive UI asks for (evaluation, t-SNE): both on worker threads, abortable on quit.
import type { Report } from './engine/types.js';
import type { EvalResults } from './model/types.js';
import type { CliOptions } from './cli-args.js';
import type { OutputGuard } from './output/safe-write.js';

export type { TsneResult } from './ui/state/ui-state.js';
import type { TsneResult } from './ui/state/ui-state.js';

export function uiLoaders(report: Report, opts: Pick<CliOptions, 'backend' | 'maxPoints'>, cwd: string, guard: OutputGuard = { protect: [] }) {
  return {
    load: {
      evaluate: async (runId: string, signal?: AbortSignal): Promise<EvalResults | null> => {
        const run = report.runs.find((r) => r.id === runId);
        if (!run || (!run.features && run.checkpoints.length === 0)) return null;
        const { evaluateInWorker } = await import('./runtime/evaluate-in-worker.js');
        return evaluateInWorker(run.path, { backend: opts.backend, maxPoints: opts.maxPoints, signal });
      },
      tsne: async (runId: string, onProgress: (f: number) => void, signal?: AbortSignal): Promise<TsneResult | null> => {
        const run = report.runs.find((r) => r.id === runId);
        if (!run?.features) return null;
        const { tsneOfFeatureDump } = await import('./plot/tsne-of-run.js');
        const classNames = run.eval?.classNames ?? run.perClass.find((t) => t.rows.length > 0)?.rows.map((row) => row.name);
        return tsneOfFeatureDump(run.features.path, { maxPoints: opts.maxPoints, classNames, onProgress, signal });
      },
    },
    exportReport: async (format: 'markdown' | 'html', runId: string): Promise<string> => {
      const { writeFileSync } = await import('node:fs');
      const { exportPath } = await import('./ui/export-path.js');
      const one: Report = { ...report, runs: report.runs.filter((r) => r.id === runId) };
      const text = format === 'markdown'
        ? (await import('./reporters/markdown.js')).renderMarkdown(one)
        : (await import('./reporters/html.js')).renderHtml(one, { svgs: await (await import('./plot/write-report-plots.js')).reportPlots(one, { maxPoints: opts.maxPoints }) });
      // never into a run directory: exportPath falls back to the temp dir and never overwrites
      const file = exportPath(cwd, runId, guard.protect.length ? guard.protect : report.runs.map((r) => r.path), format);
      writeFileSync(file, text, { flag: 'wx' }); // exclusive create: never through a link planted at that name
      return file;
    },
  };
}
