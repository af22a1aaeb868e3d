// SVG -> PNG through @resvg/resvg-js (loaded only when a PNG is asked for), with the font passed explicitly.
import { resolveFontFiles, FONT_ENV } from './fonts.js';
import { FONT_FAMILY } from './svg.js';

export interface PngOptions {
  /** output width in px; height follows the SVG's aspect ratio. Default: the SVG's own width. */
  width?: number;
  /** font files to use (default: resolveFontFiles()) */
  fontFiles?: string[];
  /** the environment, read for DANN_DOCTOR_FONT only (library code never reads process.env itself) */
  env?: Record<string, string | undefined>;
}

/** Renders one SVG document to PNG bytes. System fonts are not scanned: the result is the same on every machine. */
export async function svgToPng(svg: string, opts: PngOptions = {}): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const fontFiles = opts.fontFiles ?? resolveFontFiles(opts.env ?? {});
  const resvg = new Resvg(svg, {
    fitTo: opts.width ? { mode: 'width', value: opts.width } : { mode: 'original' },
    background: '#ffffff',
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return Buffer.from(resvg.render().asPng());
}

export { FONT_ENV };
