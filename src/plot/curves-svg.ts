// SVG line chart of training series with a highlighted step range, change-point markers and validation points.
import { SERIES_COLORS } from './palette.js';
import { esc, px, svgOpen, fmtTick, niceTicks } from './svg.js';
import { placeLabels } from './label-layout.js';

export interface CurvePoint {
  step: number;
  value: number;
}

export interface CurveSeries {
  key: string;
  label?: string;
  points: CurvePoint[];
  color?: string;
  /** dots only (per-epoch validation points), no line */
  dots?: boolean;
  /** a line with a dot at every point (per-epoch series on a step axis) */
  marks?: boolean;
}

export interface CurvePlotInput {
  title: string;
  series: CurveSeries[];
  /** the finding's step ranges, shaded */
  highlights?: { from: number; to: number; label?: string }[];
  /** vertical markers, e.g. detected change points */
  markers?: { step: number; label?: string }[];
  xLabel?: string;
  yLabel?: string;
  /** 'auto': log scale when all values are positive and span more than LOG_SCALE_SPAN (a diverging loss) */
  yScale?: 'linear' | 'log' | 'auto';
  width?: number;
  height?: number;
}

const DEFAULT_WIDTH = 760;
const DEFAULT_HEIGHT = 340;
const MARGIN = { left: 64, right: 230, top: 36, bottom: 48 };
/** Range and marker labels: font size and the row pitch between stacked labels (px). */
const LABEL_FONT = 10;
const LABEL_ROW = 12;
/** A white outline under label text (paint-order: stroke first) so a curve running through it does not hide it. */
const HALO = ' stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"';
/** Legend labels longer than this are cut with an ellipsis so they stay on the canvas. */
const MAX_LEGEND_CHARS = 30;
/** Four decades: a loss going from ~2 to ~1e4+ is unreadable on a linear axis. */
const LOG_SCALE_SPAN = 1e4;
/** Lines are reduced to min/max per pixel column above this many points (keeps every spike, caps file size). */
const MAX_POINTS_PER_LINE = 1500;

/** Min and max of each x-bucket, in step order: the envelope a polyline at this width would show. */
export function downsampleMinMax(points: CurvePoint[], buckets: number): CurvePoint[] {
  if (points.length <= 2 * buckets) return points;
  const first = points[0].step, last = points[points.length - 1].step;
  const span = last - first || 1;
  const out: CurvePoint[] = [];
  let b = -1;
  let lo: CurvePoint | null = null, hi: CurvePoint | null = null;
  const flush = () => {
    if (!lo || !hi) return;
    if (lo === hi) out.push(lo);
    else if (lo.step <= hi.step) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (const p of points) {
    const nb = Math.min(buckets - 1, Math.floor(((p.step - first) / span) * buckets));
    if (nb !== b || !Number.isFinite(p.value)) {
      flush();
      lo = hi = null;
      b = nb;
      if (!Number.isFinite(p.value)) {
        out.push(p); // keep every non-finite point: they are the symptom
        b = -1;
        continue;
      }
    }
    if (!lo || p.value < lo.value) lo = p;
    if (!hi || p.value > hi.value) hi = p;
  }
  flush();
  return out;
}

/**
 * The SVG document. Non-finite values break the line and are marked with a red cross at the top edge
 * ("NaN/Inf" in the legend), since in training logs they are what went wrong.
 */
export function curvePlotSvg(input: CurvePlotInput): string {
  const width = input.width ?? DEFAULT_WIDTH;
  const height = input.height ?? DEFAULT_HEIGHT;
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  let allPositive = true;
  let nonFinite = 0;
  for (const s of input.series) {
    for (const p of s.points) {
      if (!Number.isFinite(p.step)) continue;
      if (p.step < minX) minX = p.step;
      if (p.step > maxX) maxX = p.step;
      if (!Number.isFinite(p.value)) {
        nonFinite++;
        continue;
      }
      if (p.value < minY) minY = p.value;
      if (p.value > maxY) maxY = p.value;
      if (p.value <= 0) allPositive = false;
    }
  }
  for (const h of input.highlights ?? []) {
    minX = Math.min(minX, h.from);
    maxX = Math.max(maxX, h.to);
  }
  for (const m of input.markers ?? []) {
    minX = Math.min(minX, m.step);
    maxX = Math.max(maxX, m.step);
  }
  const empty = !Number.isFinite(minY);
  if (!Number.isFinite(minX)) { minX = 0; maxX = 1; }
  if (empty) { minY = 0; maxY = 1; }
  if (maxX === minX) { minX -= 0.5; maxX += 0.5; }
  const log = input.yScale === 'log' ? allPositive && !empty : input.yScale === 'linear' ? false : allPositive && !empty && maxY / minY > LOG_SCALE_SPAN;
  const ty = (v: number) => (log ? Math.log10(v) : v);
  let y0 = ty(minY), y1 = ty(maxY);
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const sx = (x: number) => MARGIN.left + ((x - minX) / (maxX - minX)) * pw;
  const sy = (v: number) => MARGIN.top + (1 - (ty(v) - y0) / (y1 - y0)) * ph;

  const parts: string[] = [svgOpen(width, height, input.title, 'curve-plot')];
  parts.push(`<text class="title" x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${esc(input.title)}</text>`);
  // range labels in rows along the top, marker labels in rows along the bottom, none overlapping another
  // (src/plot/label-layout.ts); a white halo keeps them readable over the curves
  const overlay: string[] = [];
  const highlightLabels = placeLabels((input.highlights ?? []).map((h) => ({ anchor: sx(h.from) + 3, text: h.label ?? '' })), LABEL_FONT, MARGIN.left + 2, MARGIN.left + pw - 2);
  (input.highlights ?? []).forEach((h, i) => {
    const a = sx(h.from), b = sx(h.to);
    // alternate shades so adjacent ranges (e.g. "level before" / "level after") stay apart
    const fill = i % 2 === 0 ? '#ffd54f' : '#ffab91';
    const at = highlightLabels[i];
    parts.push(
      `<g class="highlight"><rect x="${px(a)}" y="${MARGIN.top}" width="${px(Math.max(b - a, 2))}" height="${ph}" fill="${fill}" fill-opacity="0.35"/></g>`,
    );
    // labels go over the curves (drawn last), not under them
    if (h.label) overlay.push(`<text class="range-label" x="${px(at.x)}" y="${MARGIN.top + 12 + at.row * LABEL_ROW}" font-size="${LABEL_FONT}" fill="#7a5c00"${HALO}>${esc(h.label)}</text>`);
  });
  // axes and grid
  const grid: string[] = [];
  const yTicks = log
    ? Array.from({ length: Math.floor(y1) - Math.ceil(y0) + 1 }, (_, i) => 10 ** (Math.ceil(y0) + i))
    : niceTicks(y0, y1, 5);
  for (const t of yTicks) {
    const y = sy(t);
    if (y < MARGIN.top - 0.5 || y > MARGIN.top + ph + 0.5) continue;
    grid.push(`<line x1="${MARGIN.left}" y1="${px(y)}" x2="${MARGIN.left + pw}" y2="${px(y)}" stroke="#e5e5e5"/>`);
    grid.push(`<text x="${MARGIN.left - 6}" y="${px(y + 3)}" text-anchor="end" fill="#555" font-size="10">${fmtTick(t)}</text>`);
  }
  for (const t of niceTicks(minX, maxX, 6)) {
    const x = sx(t);
    grid.push(`<line x1="${px(x)}" y1="${MARGIN.top + ph}" x2="${px(x)}" y2="${MARGIN.top + ph + 4}" stroke="#999"/>`);
    grid.push(`<text x="${px(x)}" y="${MARGIN.top + ph + 16}" text-anchor="middle" fill="#555" font-size="10">${fmtTick(t)}</text>`);
  }
  parts.push(`<g class="grid">${grid.join('')}</g>`);
  parts.push(
    `<g class="axes" stroke="#666"><line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + ph}"/>` +
      `<line x1="${MARGIN.left}" y1="${MARGIN.top + ph}" x2="${MARGIN.left + pw}" y2="${MARGIN.top + ph}"/></g>`,
  );
  parts.push(`<text class="axis-label x" x="${MARGIN.left + pw / 2}" y="${height - 10}" text-anchor="middle" fill="#333">${esc(input.xLabel ?? 'step')}</text>`);
  const yl = (input.yLabel ?? '') + (log ? ' (log scale)' : '');
  if (yl) parts.push(`<text class="axis-label y" x="14" y="${MARGIN.top + ph / 2}" text-anchor="middle" fill="#333" transform="rotate(-90 14 ${MARGIN.top + ph / 2})">${esc(yl)}</text>`);
  // series
  const legendRows: string[] = [];
  input.series.forEach((s, idx) => {
    const color = s.color ?? SERIES_COLORS[idx % SERIES_COLORS.length];
    const label = s.label ?? s.key;
    const body: string[] = [];
    const bad: string[] = [];
    if (s.dots) {
      for (const p of s.points) {
        if (!Number.isFinite(p.value)) bad.push(cross(sx(p.step), MARGIN.top + 4));
        else body.push(`<circle class="val-point" cx="${px(sx(p.step))}" cy="${px(sy(p.value))}" r="3.5" fill="#fff" stroke="${color}" stroke-width="2"/>`);
      }
    } else {
      let d = '';
      let pen = false;
      for (const p of downsampleMinMax(s.points, Math.min(MAX_POINTS_PER_LINE, Math.ceil(pw)))) {
        if (!Number.isFinite(p.value) || (log && p.value <= 0)) {
          bad.push(cross(sx(p.step), MARGIN.top + 4));
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${px(sx(p.step))} ${px(sy(p.value))}`;
        pen = true;
      }
      if (d) body.push(`<path class="line" d="${d}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"/>`);
      if (s.marks) {
        for (const p of s.points) {
          if (Number.isFinite(p.value) && !(log && p.value <= 0)) body.push(`<circle class="val-point" cx="${px(sx(p.step))}" cy="${px(sy(p.value))}" r="3" fill="#fff" stroke="${color}" stroke-width="1.8"/>`);
        }
      }
    }
    parts.push(`<g class="series" data-key="${esc(s.key)}">${body.join('')}${bad.length ? `<g class="non-finite">${bad.join('')}</g>` : ''}</g>`);
    legendRows.push(
      `<g class="legend-item" data-key="${esc(s.key)}">` +
        (s.dots
          ? `<circle cx="${MARGIN.left + pw + 21}" cy="${MARGIN.top + 6 + idx * 17}" r="3.5" fill="#fff" stroke="${color}" stroke-width="2"/>`
          : `<line x1="${MARGIN.left + pw + 14}" y1="${MARGIN.top + 6 + idx * 17}" x2="${MARGIN.left + pw + 28}" y2="${MARGIN.top + 6 + idx * 17}" stroke="${color}" stroke-width="2.5"/>`) +
        `<text x="${MARGIN.left + pw + 34}" y="${MARGIN.top + 10 + idx * 17}">${esc(shorten(label))}</text></g>`,
    );
  });
  let ly = MARGIN.top + 10 + input.series.length * 17;
  if (nonFinite > 0) {
    legendRows.push(`<g class="legend-item legend-nonfinite">${cross(MARGIN.left + pw + 21, ly - 4)}<text x="${MARGIN.left + pw + 34}" y="${ly}">NaN/Inf (${nonFinite})</text></g>`);
    ly += 17;
  }
  const markerLabels = placeLabels((input.markers ?? []).map((m) => ({ anchor: sx(m.step) + 3, text: m.label ?? '' })), LABEL_FONT, MARGIN.left + 2, MARGIN.left + pw - 2);
  (input.markers ?? []).forEach((m, i) => {
    const x = sx(m.step);
    const at = markerLabels[i];
    parts.push(
      `<g class="marker change-point"><line x1="${px(x)}" y1="${MARGIN.top}" x2="${px(x)}" y2="${MARGIN.top + ph}" stroke="#6a1b9a" stroke-width="1.5" stroke-dasharray="5 3"/></g>`,
    );
    if (m.label) overlay.push(`<text class="marker-label" x="${px(at.x)}" y="${MARGIN.top + ph - 4 - at.row * LABEL_ROW}" font-size="${LABEL_FONT}" fill="#6a1b9a"${HALO}>${esc(m.label)}</text>`);
  });
  parts.push(`<g class="labels">${overlay.join('')}</g>`);
  if (input.markers?.length) {
    legendRows.push(`<g class="legend-item"><line x1="${MARGIN.left + pw + 21}" y1="${ly - 10}" x2="${MARGIN.left + pw + 21}" y2="${ly + 2}" stroke="#6a1b9a" stroke-dasharray="3 2" stroke-width="1.5"/><text x="${MARGIN.left + pw + 34}" y="${ly}">change point</text></g>`);
    ly += 17;
  }
  if (input.highlights?.length) legendRows.push(`<g class="legend-item"><rect x="${MARGIN.left + pw + 14}" y="${ly - 9}" width="14" height="10" fill="#ffd54f" fill-opacity="0.6"/><text x="${MARGIN.left + pw + 34}" y="${ly}">finding range</text></g>`);
  parts.push(`<g class="legend">${legendRows.join('')}</g>`);
  if (empty) parts.push(`<text x="${MARGIN.left + pw / 2}" y="${MARGIN.top + ph / 2}" text-anchor="middle" fill="#999">no finite values</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function shorten(label: string): string {
  return label.length > MAX_LEGEND_CHARS ? `${label.slice(0, MAX_LEGEND_CHARS - 1)}…` : label;
}

function cross(x: number, y: number): string {
  const r = 3.5;
  return `<path class="nan-mark" d="M${px(x - r)} ${px(y - r)}L${px(x + r)} ${px(y + r)}M${px(x - r)} ${px(y + r)}L${px(x + r)} ${px(y - r)}" stroke="#d32f2f" stroke-width="1.8"/>`;
}
