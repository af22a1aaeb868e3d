// Horizontal bars for confidences and per-class accuracies, with eighth-block precision.

const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `width` columns filled to `fraction` (clamped to 0..1); `empty` pads the rest. NaN -> all empty. */
export function bar(fraction: number, width: number, empty = ' '): string {
  if (width <= 0) return '';
  if (!Number.isFinite(fraction)) return empty.repeat(width);
  const f = Math.max(0, Math.min(1, fraction));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const part = PARTIAL[eighths % 8];
  return ('█'.repeat(full) + part).padEnd(width, empty).slice(0, width);
}

/** The ux sketch's confidence bar: ten cells, full blocks and light shade (no partials, so it reads in any font). */
export function confidenceBar(confidence: number, cells = 10): string {
  const n = Math.max(0, Math.min(cells, Math.round((Number.isFinite(confidence) ? confidence : 0) * cells)));
  return '█'.repeat(n) + '░'.repeat(cells - n);
}
