// Small SVG-building helpers: escaping, compact numbers, tick placement, the shared font stack.

/** The font every plot names; PNG rendering loads this family explicitly (see fonts.ts) so text never vanishes. */
export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_STACK = `'${FONT_FAMILY}', Verdana, sans-serif`;

/**
 * Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates: resvg refuses
 * the document with "non-XML character") and the invisible DEL/C1 controls: shown as `\x01`-style text instead.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function shownEscaped(ch: string): string {
  const c = ch.charCodeAt(0);
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** Text for SVG and HTML: markup characters as entities, characters XML cannot hold shown escaped. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(NOT_XML, shownEscaped);
}

/** Coordinates with 2 decimals: enough for pixels, keeps 5,000-point SVGs small. */
export function px(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** A tick label: integers as is, large/small magnitudes in exponent form, else 3 significant digits. */
export function fmtTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return Number(v.toPrecision(3)).toExponential().replace('e+', 'e');
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}

/** About `count` round-numbered ticks covering [min, max] (1, 2, 5 x 10^k steps). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const span = max - min;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** Opening tag of a standalone SVG document with a white background and the font set once. */
export function svgOpen(width: number, height: number, title: string, cls: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="${cls}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${esc(FONT_STACK)}" font-size="12" role="img" aria-label="${esc(title)}">` +
    `<title>${esc(title)}</title><rect class="bg" width="${width}" height="${height}" fill="#ffffff"/>`
  );
}
