// Writes a run's plots as <name>.svg and <name>.png into a directory (file names are stable for pipelines).
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { writeOutputFile, checkOutputDir, OWNER_MARK, type OutputGuard } from '../output/safe-write.js';
import { buildPlots, type PlotInputs } from './build-plots.js';
import { svgToPng, type PngOptions } from './png.js';
import { resolveFontFiles } from './fonts.js';

export interface WritePlotsOptions {
  /** also write PNGs (default true) */
  png?: boolean;
  /** PNG width in px (default: the SVG's width) */
  pngWidth?: number;
  env?: Record<string, string | undefined>;
  /** run/data directories never written into, and whether foreign files may be replaced (default: none, no) */
  guard?: OutputGuard;
  /** told, in one line, about each PNG that could not be rendered (its SVG is written all the same) */
  notePlot?: (message: string) => void;
  /** SVG -> PNG (default: svgToPng, resvg); a test injects a failing one */
  renderPng?: (svg: string, opts: PngOptions) => Promise<Uint8Array>;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].trim() || 'unknown error';
}

/** An XML comment before the root element: marks the file as ours (see output/safe-write) without changing the drawing. */
function markSvg(svg: string): string {
  return `<!-- written by ${OWNER_MARK} -->\n${svg}`;
}

/** A tEXt "Software" chunk right after IHDR (PNG spec 11.3.4.2): marks the file as ours; viewers ignore it. */
export function markPng(png: Uint8Array): Buffer {
  const IHDR_END = 8 + 4 + 4 + 13 + 4;
  const data = Buffer.from(`Software\0${OWNER_MARK}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  const src = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  return Buffer.concat([src.subarray(0, IHDR_END), chunk, src.subarray(IHDR_END)]);
}

/** Writes every plot of buildPlots(inputs) and returns the paths written, SVG then PNG per plot. */
export async function writePlots(inputs: PlotInputs, dir: string, opts: WritePlotsOptions = {}): Promise<string[]> {
  const guard = opts.guard ?? { protect: [] };
  checkOutputDir(dir, guard, 'plots directory');
  const plots = buildPlots(inputs);
  const note = opts.notePlot ?? (() => {});
  let png = opts.png ?? true;
  let fontFiles: string[] = [];
  if (png && plots.length) {
    try {
      fontFiles = resolveFontFiles(opts.env ?? {});
    } catch (err) {
      // a PNG without its labels would be wrong: none is drawn, the SVGs (text drawn by the viewer) still are
      note(`PNGs not written (SVGs are): ${firstLine(err)}`);
      png = false;
    }
  }
  const render = opts.renderPng ?? svgToPng;
  const written: string[] = [];
  for (const p of plots) {
    const svgPath = join(dir, `${p.name}.svg`);
    writeOutputFile(svgPath, markSvg(p.svg), guard, 'plot');
    written.push(svgPath);
    if (!png) continue;
    let bytes: Uint8Array;
    try {
      bytes = await render(p.svg, { width: opts.pngWidth, fontFiles });
    } catch (err) {
      // one plot resvg cannot draw (an odd character, a renderer limit, a missing native binding) costs its PNG only
      note(`PNG of ${p.name} not written (its SVG is): ${firstLine(err)}`);
      continue;
    }
    const pngPath = join(dir, `${p.name}.png`);
    writeOutputFile(pngPath, markPng(bytes), guard, 'plot');
    written.push(pngPath);
  }
  return written;
}
