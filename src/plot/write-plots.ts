// Writes a run's plots as <name>.svg and <name>.png into a directory (file names are stable for pipelines).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPlots, type PlotInputs } from './build-plots.js';
import { svgToPng } from './png.js';
import { resolveFontFiles } from './fonts.js';

export interface WritePlotsOptions {
  /** also write PNGs (default true) */
  png?: boolean;
  /** PNG width in px (default: the SVG's width) */
  pngWidth?: number;
  env?: Record<string, string | undefined>;
}

/** Writes every plot of buildPlots(inputs) and returns the paths written, SVG then PNG per plot. */
export async function writePlots(inputs: PlotInputs, dir: string, opts: WritePlotsOptions = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const plots = buildPlots(inputs);
  const png = opts.png ?? true;
  const fontFiles = png && plots.length ? resolveFontFiles(opts.env ?? {}) : [];
  const written: string[] = [];
  for (const p of plots) {
    const svgPath = join(dir, `${p.name}.svg`);
    await writeFile(svgPath, p.svg);
    written.push(svgPath);
    if (png) {
      const pngPath = join(dir, `${p.name}.png`);
      await writeFile(pngPath, await svgToPng(p.svg, { width: opts.pngWidth, fontFiles }));
      written.push(pngPath);
    }
  }
  return written;
}
