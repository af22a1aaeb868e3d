// Sparklines and block charts for the curves pane, on one epoch axis shared by all curves: gaps where a series
// has no value, several columns per epoch, and range/step marks that line up with them. src/plot/sparkline.ts
// (one character per value, no gaps, no marks) is for plain text; these need the column of every epoch.
import { NON_FINITE_MARK } from '../../plot/sparkline.js';

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** NaN/Inf are drawn, not skipped: in a training log a non-finite value is a symptom (same mark as src/plot). */
export const NON_FINITE_GLYPH = NON_FINITE_MARK;
/** Most columns one epoch may take: wider stretches make 3-epoch runs look like plateaus. */
const MAX_COLS_PER_POINT = 3;

/** How many columns each point gets, so marks under a sparkline line up with its points. */
export function colsPerPoint(n: number, width: number): number {
  if (n <= 0) return 1;
  return Math.max(1, Math.min(MAX_COLS_PER_POINT, Math.floor(width / n)));
}

/**
 * Columns of point i of n (after resampling to `width`): [start, end). `fill` spreads the points over the whole width
 * (the zoomed chart: one curve gets the pane, so it uses all of it); otherwise each point gets colsPerPoint columns.
 */
export function pointSpan(i: number, n: number, width: number, fill = false): [number, number] {
  if (!fill || n <= 0 || n >= width) {
    const k = colsPerPoint(n, width);
    return [i * k, (i + 1) * k];
  }
  return [Math.floor((i * width) / n), Math.floor(((i + 1) * width) / n)];
}

/** A value per point; null = no value at this point (drawn as a gap), NaN/Inf = a non-finite value (drawn ×). */
export type Sample = number | null;

/** Bucket means when there are more points than columns (non-finite buckets stay non-finite, empty ones null). */
export function resample(values: Sample[], width: number): { values: Sample[]; bucket: number } {
  if (values.length <= width || width <= 0) return { values, bucket: 1 };
  const bucket = Math.ceil(values.length / width);
  const out: Sample[] = [];
  for (let i = 0; i < values.length; i += bucket) {
    const chunk = values.slice(i, i + bucket).filter((v): v is number => v !== null);
    if (chunk.length === 0) out.push(null);
    else out.push(chunk.some((v) => !Number.isFinite(v)) ? NaN : chunk.reduce((a, b) => a + b, 0) / chunk.length);
  }
  return { values: out, bucket };
}

function range(values: Sample[], min?: number, max?: number): [number, number] {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = min ?? (finite.length ? Math.min(...finite) : 0);
  const hi = max ?? (finite.length ? Math.max(...finite) : 1);
  return [lo, hi];
}

/**
 * One-row sparkline, `width` columns at most. Cost O(n). `min`/`max` fix the scale (e.g. 0..100 for accuracies)
 * so two runs' curves compare by eye. Example: sparkline([1, 2, 3], 3) === '▁▅█'.
 */
export function sparkline(values: Sample[], width: number, opts: { min?: number; max?: number } = {}): string {
  const { values: vs } = resample(values, width);
  const [lo, hi] = range(vs, opts.min, opts.max);
  const k = colsPerPoint(vs.length, width);
  let out = '';
  for (const v of vs) {
    let ch: string;
    if (v === null) ch = ' ';
    else if (!Number.isFinite(v)) ch = NON_FINITE_GLYPH;
    else if (hi <= lo) ch = LEVELS[3];
    else ch = LEVELS[Math.max(0, Math.min(LEVELS.length - 1, Math.round(((v - lo) / (hi - lo)) * (LEVELS.length - 1))))];
    out += ch.repeat(k);
  }
  return out;
}

/** A row under the sparkline with `mark` under points from..to (indices into the original values). */
export function markRow(n: number, width: number, from: number, to: number, mark = '▔', fill = false): string {
  const { bucket } = resample(new Array<Sample>(n).fill(0), width);
  const points = Math.ceil(n / bucket);
  let out = '';
  for (let i = 0; i < points; i++) {
    const lo = i * bucket;
    const hi = lo + bucket - 1;
    const [a, b] = pointSpan(i, points, width, fill);
    out += (hi >= from && lo <= to ? mark : ' ').repeat(b - a);
  }
  return out.replace(/\s+$/, '');
}

/**
 * Multi-row column chart (top row first) using eighth blocks, for the zoomed curves pane: the points fill the whole
 * `width` (pointSpan with fill). Cost O(width·height).
 */
export function blockChart(values: Sample[], width: number, height: number, opts: { min?: number; max?: number } = {}): string[] {
  const { values: vs } = resample(values, width);
  const [lo, hi] = range(vs, opts.min, opts.max);
  const rows: string[] = Array.from({ length: height }, () => '');
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i];
    const [a, b] = pointSpan(i, vs.length, width, true);
    const k = b - a;
    const eighths = v === null ? -2 : !Number.isFinite(v) ? -1 : hi <= lo ? height * 4 : Math.round(((v - lo) / (hi - lo)) * height * 8);
    for (let r = 0; r < height; r++) {
      const fromBottom = height - 1 - r;
      let ch: string;
      if (eighths === -2) ch = ' ';
      else if (eighths < 0) ch = r === height - 1 ? NON_FINITE_GLYPH : ' ';
      else {
        const fill = eighths - fromBottom * 8;
        ch = fill >= 8 ? '█' : fill <= 0 ? (fromBottom === 0 ? '▁' : ' ') : LEVELS[fill - 1];
      }
      rows[r] += ch.repeat(k);
    }
  }
  return rows;
}
