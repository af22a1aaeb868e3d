// SVG of a feature t-SNE: coloured by class (domain as marker shape) or by domain, with optional class-centre arrows.
import type { FeatureEmbedding } from '../tsne/embed-features.js';
import { classColor, domainColor } from './palette.js';
import { esc, px, svgOpen, fmtTick, niceTicks } from './svg.js';

export interface ScatterOptions {
  colorBy: 'class' | 'domain';
  /** arrows from each class's source medoid to its target medoid (shows conditional misalignment) */
  arrows?: boolean;
  width?: number;
  height?: number;
  title?: string;
}

const DEFAULT_WIDTH = 760;
const DEFAULT_HEIGHT = 560;
const MARGIN = { left: 48, right: 180, top: 36, bottom: 58 };
/** Marker half-size in px: 3 keeps 5,000 points readable without hiding each other entirely. */
const MARKER = 3;
/** Target points are drawn lighter, so source structure shows through where the domains overlap. */
const SOURCE_OPACITY = 0.8;
const TARGET_OPACITY = 0.6;
/** Below this spread (embedding units; a normal t-SNE spans tens) every point sits on one spot. */
const COLLAPSED_EXTENT = 1e-6;

export interface ClassCentre {
  label: number;
  source: [number, number];
  target: [number, number];
  /** distance between the two, in embedding units */
  distance: number;
}

/** Candidate points tried per class and domain when looking for the medoid: O(MEDOID_CANDIDATES x m), not O(m^2). */
const MEDOID_CANDIDATES = 256;

/**
 * The medoid of some embedded points: the point with the least summed distance to the others. Unlike the mean it is
 * always one of the points, so a class split over two clusters gets an arrow that ends on one of them, not in the
 * empty space between. Candidates are an even stride of at most MEDOID_CANDIDATES points (all of them when fewer).
 */
function medoid(xy: Float64Array, rows: readonly number[]): [number, number] {
  const step = Math.max(1, Math.floor(rows.length / MEDOID_CANDIDATES));
  let best = rows[0];
  let bestSum = Infinity;
  for (let a = 0; a < rows.length; a += step) {
    const i = rows[a];
    let sum = 0;
    for (const j of rows) sum += Math.hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);
    if (sum < bestSum) { bestSum = sum; best = i; }
  }
  return [xy[2 * best], xy[2 * best + 1]];
}

/** Per class present in both domains: the medoid of its source points and of its target points (see medoid). */
export function classCentres(e: FeatureEmbedding): ClassCentre[] {
  const k = Math.max(e.numClasses, 0);
  const rows: number[][] = Array.from({ length: k * 2 }, () => []);
  for (let i = 0; i < e.n; i++) {
    const c = e.label[i];
    if (c < 0 || c >= k) continue;
    rows[c * 2 + e.domain[i]].push(i);
  }
  const out: ClassCentre[] = [];
  for (let c = 0; c < k; c++) {
    const src = rows[c * 2], tgt = rows[c * 2 + 1];
    if (!src.length || !tgt.length) continue;
    const s = medoid(e.xy, src);
    const t = medoid(e.xy, tgt);
    out.push({ label: c, source: s, target: t, distance: Math.hypot(t[0] - s[0], t[1] - s[1]) });
  }
  return out;
}

export function className(e: Pick<FeatureEmbedding, 'classNames'>, c: number): string {
  if (c < 0) return 'unlabelled';
  return e.classNames?.[c] ?? `class ${c}`;
}

function marker(domain: number, x: number, y: number, fill: string, label: number): string {
  const op = domain === 0 ? SOURCE_OPACITY : TARGET_OPACITY;
  const data = `data-domain="${domain === 0 ? 'source' : 'target'}" data-class="${label}"`;
  if (domain === 0) return `<circle class="pt src" ${data} cx="${px(x)}" cy="${px(y)}" r="${MARKER}" fill="${fill}" fill-opacity="${op}"/>`;
  const h = MARKER * 1.25;
  return `<path class="pt tgt" ${data} d="M${px(x)} ${px(y - h)}L${px(x + h)} ${px(y + h * 0.8)}L${px(x - h)} ${px(y + h * 0.8)}Z" fill="${fill}" fill-opacity="${op}"/>`;
}

/**
 * The whole SVG document. Points carry data-domain / data-class attributes so tests (and the HTML report's
 * hover) can read what each mark is. Cost O(n) string building (~60 bytes per point).
 */
export function tsneScatterSvg(e: FeatureEmbedding, opts: ScatterOptions): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const height = opts.height ?? DEFAULT_HEIGHT;
  const title = opts.title ?? `t-SNE of ${e.featureName} coloured by ${opts.colorBy}`;
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < e.n; i++) {
    const x = e.xy[2 * i], y = e.xy[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  // an embedding with no extent means the inputs were identical (e.g. a dead network's all-zero features)
  const collapsed = e.n > 1 && Math.max(maxX - minX, maxY - minY) < COLLAPSED_EXTENT;
  if (!(maxX - minX > COLLAPSED_EXTENT)) { const c = (minX + maxX) / 2; minX = c - 1; maxX = c + 1; }
  if (!(maxY - minY > COLLAPSED_EXTENT)) { const c = (minY + maxY) / 2; minY = c - 1; maxY = c + 1; }
  // equal scale on both axes: t-SNE distances are isotropic
  const scale = Math.min(pw / (maxX - minX), ph / (maxY - minY)) * 0.96;
  const ox = MARGIN.left + (pw - (maxX - minX) * scale) / 2;
  const oy = MARGIN.top + (ph - (maxY - minY) * scale) / 2;
  const sx = (x: number) => ox + (x - minX) * scale;
  const sy = (y: number) => oy + (maxY - y) * scale;

  const parts: string[] = [svgOpen(width, height, title, `tsne-plot tsne-${opts.colorBy}`)];
  parts.push(
    `<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">` +
      `<path d="M0 0L10 5L0 10Z" fill="#222"/></marker></defs>`,
  );
  parts.push(`<text class="title" x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // axes: frame with ticks in embedding units (t-SNE axes have no meaning beyond distances, so kept light)
  parts.push(`<g class="axes" stroke="#999" fill="none"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}"/></g>`);
  const ticks: string[] = [];
  for (const t of niceTicks(minX, maxX, 6)) {
    const x = sx(t);
    if (x < MARGIN.left || x > MARGIN.left + pw) continue;
    ticks.push(`<line x1="${px(x)}" y1="${MARGIN.top + ph}" x2="${px(x)}" y2="${MARGIN.top + ph + 4}" stroke="#999"/>`);
    ticks.push(`<text x="${px(x)}" y="${MARGIN.top + ph + 16}" text-anchor="middle" fill="#555" font-size="10">${fmtTick(t)}</text>`);
  }
  for (const t of niceTicks(minY, maxY, 6)) {
    const y = sy(t);
    if (y < MARGIN.top || y > MARGIN.top + ph) continue;
    ticks.push(`<line x1="${MARGIN.left - 4}" y1="${px(y)}" x2="${MARGIN.left}" y2="${px(y)}" stroke="#999"/>`);
    ticks.push(`<text x="${MARGIN.left - 6}" y="${px(y + 3)}" text-anchor="end" fill="#555" font-size="10">${fmtTick(t)}</text>`);
  }
  parts.push(`<g class="ticks">${ticks.join('')}</g>`);
  parts.push(`<text class="axis-label x" x="${MARGIN.left + pw / 2}" y="${MARGIN.top + ph + 32}" text-anchor="middle" fill="#333">t-SNE 1</text>`);
  parts.push(
    `<text class="axis-label y" x="14" y="${MARGIN.top + ph / 2}" text-anchor="middle" fill="#333" transform="rotate(-90 14 ${MARGIN.top + ph / 2})">t-SNE 2</text>`,
  );
  // points: source first, then target on top (the domain we worry about)
  const pts: string[] = [];
  for (const dom of [0, 1]) {
    for (let i = 0; i < e.n; i++) {
      if (e.domain[i] !== dom) continue;
      const fill = opts.colorBy === 'class' ? classColor(e.label[i]) : domainColor(dom);
      pts.push(marker(dom, sx(e.xy[2 * i]), sy(e.xy[2 * i + 1]), fill, e.label[i]));
    }
  }
  parts.push(`<g class="points">${pts.join('')}</g>`);
  if (opts.arrows) {
    const arrows = classCentres(e).map(
      (c) =>
        `<line class="centroid-arrow" data-class="${c.label}" x1="${px(sx(c.source[0]))}" y1="${px(sy(c.source[1]))}" ` +
        `x2="${px(sx(c.target[0]))}" y2="${px(sy(c.target[1]))}" stroke="#222" stroke-width="1.6" marker-end="url(#arrowhead)"/>`,
    );
    parts.push(`<g class="arrows">${arrows.join('')}</g>`);
  }
  if (collapsed)
    parts.push(
      `<text class="collapsed-note" x="${MARGIN.left + pw / 2}" y="${MARGIN.top + 24}" text-anchor="middle" fill="#b71c1c" font-weight="bold">` +
        `all ${e.n} points at one spot: the ${esc(e.featureName)} are (nearly) identical for every input</text>`,
    );
  parts.push(legend(e, opts, width));
  const caption =
    `${e.n} points (${e.sourceRows.length} source, ${e.targetRows.length} target)` +
    (e.subsampled ? `, stratified sample of ${e.totalPoints} (cap ${e.cap})` : '') +
    ` · perplexity ${fmtTick(e.perplexity)} · ${e.iterations} iterations · seed ${e.seed}`;
  parts.push(`<text class="caption" x="${MARGIN.left}" y="${height - 8}" fill="#555" font-size="11">${esc(caption)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function legend(e: FeatureEmbedding, opts: ScatterOptions, width: number): string {
  const x = width - MARGIN.right + 16;
  let y = MARGIN.top + 6;
  const rows: string[] = [];
  const sw = (fill: string, dom: number) =>
    dom === 0
      ? `<circle cx="${x + 5}" cy="${y - 4}" r="4" fill="${fill}"/>`
      : `<path d="M${x + 5} ${y - 9}L${x + 10} ${y}L${x} ${y}Z" fill="${fill}"/>`;
  rows.push(`<text class="legend-title" x="${x}" y="${y}" font-weight="bold">domain</text>`);
  y += 18;
  for (const dom of [0, 1]) {
    const fill = opts.colorBy === 'domain' ? domainColor(dom) : '#555';
    rows.push(`<g class="legend-item legend-domain" data-domain="${dom === 0 ? 'source' : 'target'}">${sw(fill, dom)}<text x="${x + 16}" y="${y}">${dom === 0 ? 'source' : 'target'}</text></g>`);
    y += 16;
  }
  if (opts.colorBy === 'class') {
    y += 8;
    rows.push(`<text class="legend-title" x="${x}" y="${y}" font-weight="bold">class</text>`);
    y += 18;
    const present = new Set<number>();
    for (let i = 0; i < e.n; i++) present.add(e.label[i]);
    const labels = [...present].sort((a, b) => a - b);
    // a legend taller than the plot would run off the canvas: list what fits and say how many more
    const fit = Math.max(1, Math.floor((MARGIN.top + 500 - y) / 15));
    for (const c of labels.slice(0, fit)) {
      rows.push(
        `<g class="legend-item legend-class" data-class="${c}"><rect x="${x}" y="${y - 9}" width="10" height="10" fill="${classColor(c)}"/>` +
          `<text x="${x + 16}" y="${y}">${esc(className(e, c))}</text></g>`,
      );
      y += 15;
    }
    if (labels.length > fit) rows.push(`<text x="${x}" y="${y}" fill="#555">+${labels.length - fit} more</text>`);
  }
  if (opts.arrows) {
    y += 10;
    rows.push(`<text x="${x}" y="${y}" fill="#222" font-size="11">→ source to target</text>`);
    rows.push(`<text x="${x}" y="${y + 13}" fill="#222" font-size="11">class medoid</text>`);
  }
  return `<g class="legend">${rows.join('')}</g>`;
}
