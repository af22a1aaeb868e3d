// Background work the interactive UI asks for (evaluation, t-SNE): loaded lazily, computed off the first frame.
import type { Report } from './engine/types.js';
import type { EvalResults } from './model/types.js';
import type { CliOptions } from './cli-args.js';

export interface TsneResult {
  points: Float32Array;
  labels: Int32Array;
  domains: Uint8Array;
  classNames?: string[];
  capped?: number;
}

export function uiLoaders(report: Report, opts: Pick<CliOptions, 'backend' | 'maxPoints'>) {
  const pathOf = (runId: string) => report.runs.find((r) => r.id === runId)?.path;
  return {
    load: {
      evaluate: async (runId: string): Promise<EvalResults | null> => {
        const path = pathOf(runId);
        if (!path) return null;
        const { loadRuns } = await import('./index.js');
        const { evaluateRun } = await import('./evaluate/index.js');
        const { runs } = await loadRuns([path]);
        return runs[0] ? evaluateRun(runs[0], { backend: opts.backend, maxPoints: opts.maxPoints }) : null;
      },
      tsne: async (runId: string, onProgress: (f: number) => void): Promise<TsneResult | null> => {
        const run = report.runs.find((r) => r.id === runId);
        if (!run?.features) return null;
        const { tsneOfFeatureDump } = await import('./plot/tsne-of-run.js');
        const classNames = run.eval?.classNames ?? run.perClass.find((t) => t.rows.length > 0)?.rows.map((row) => row.name);
        return tsneOfFeatureDump(run.features.path, { maxPoints: opts.maxPoints, classNames, onProgress });
      },
    },
    exportReport: async (format: 'markdown' | 'html', runId: string): Promise<string> => {
      const { writeFile } = await import('node:fs/promises');
      const one: Report = { ...report, runs: report.runs.filter((r) => r.id === runId) };
      const text = format === 'markdown'
        ? (await import('./reporters/markdown.js')).renderMarkdown(one)
        : (await import('./reporters/html.js')).renderHtml(one);
      const file = `dann-doctor-${runId.replace(/[^A-Za-z0-9._-]+/g, '_')}.${format === 'markdown' ? 'md' : 'html'}`;
      await writeFile(file, text); // cwd, never the run directory
      return file;
    },
  };
}
