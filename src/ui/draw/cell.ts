// Text cut and padded to terminal columns, measured as Ink measures them (string-width: East Asian wide characters
// and emoji take two columns, ANSI escapes none). String length counts UTF-16 units, so `id.padEnd(20)` leaves a
// row with a CJK or emoji run id one or more columns wider than the rest, and the columns after it slip.
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const ELLIPSIS = '…';

/** Columns the text takes on a terminal. */
export function cellWidth(text: string): number {
  return stringWidth(text);
}

/** The longest leading run of whole graphemes that fits in `width` columns. */
function headOf(text: string, width: number): string {
  let out = '';
  let w = 0;
  for (const { segment } of segmenter.segment(text)) {
    const sw = stringWidth(segment);
    if (w + sw > width) break;
    out += segment;
    w += sw;
  }
  return out;
}

/** The longest trailing run of whole graphemes that fits in `width` columns. */
function tailOf(text: string, width: number): string {
  const segs = [...segmenter.segment(text)].map((s) => s.segment);
  let out = '';
  let w = 0;
  for (let i = segs.length - 1; i >= 0; i--) {
    const sw = stringWidth(segs[i]);
    if (w + sw > width) break;
    out = segs[i] + out;
    w += sw;
  }
  return out;
}

/** Exactly `width` columns: cut with … when longer (never through a wide glyph), padded with spaces when shorter. */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  let t = text;
  if (stringWidth(t) > width) t = headOf(t, width - 1) + ELLIPSIS;
  const pad = ' '.repeat(Math.max(0, width - stringWidth(t)));
  return align === 'left' ? t + pad : pad + t;
}

/** At most `width` columns, cut in the middle when longer (a path keeps its start and its file name). */
export function fitMiddle(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, width);
  const tail = Math.ceil((width - 1) / 2);
  return headOf(text, width - 1 - tail) + ELLIPSIS + tailOf(text, tail);
}
