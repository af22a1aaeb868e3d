// SVG bar chart of per-class accuracy (target, and source when known): where a class collapses or never transfers.
import { DOMAIN_COLORS } from './palette.js';
import { esc, px, svgOpen } from './svg.js';
import type { RunReport } from '../report/schema.js';
import { finalPerClassTable, perClassTableLabel } from '../model/per-class-table.js';

export interface PerClassBarsInput {
  title: string;
  classes: string[];
  /** one bar per class per group, values in percent (NaN = no samples) */
  groups: { label: string; color: string; values: number[] }[];
  width?: number;
}

const ROW = 16;
const MARGIN = { left: 120, right: 60, top: 40, bottom: 36 };

export function perClassBarsSvg(input: PerClassBarsInput): string {
  const width = input.width ?? 640;
  const g = Math.max(1, input.groups.length);
  const rowH = ROW * g + 6;
  const height = MARGIN.top + MARGIN.bottom + rowH * input.classes.length;
  const pw = width - MARGIN.left - MARGIN.right;
  const sx = (v: number) => MARGIN.left + (Math.max(0, Math.min(100, v)) / 100) * pw;
  const parts: string[] = [svgOpen(width, height, input.title, 'per-class-bars')];
  parts.push(`<text class="title" x="${MARGIN.left}" y="20" font-size="14" font-weight="bold">${esc(input.title)}</text>`);
  const axis: string[] = [];
  for (const t of [0, 25, 50, 75, 100]) {
    const x = sx(t);
    axis.push(`<line x1="${px(x)}" y1="${MARGIN.top - 4}" x2="${px(x)}" y2="${height - MARGIN.bottom}" stroke="#e5e5e5"/>`);
    axis.push(`<text x="${px(x)}" y="${height - MARGIN.bottom + 14}" text-anchor="middle" fill="#555" font-size="10">${t}%</text>`);
  }
  parts.push(`<g class="axes">${axis.join('')}</g>`);
  input.classes.forEach((name, c) => {
    const y0 = MARGIN.top + c * rowH;
    parts.push(`<text x="${MARGIN.left - 6}" y="${px(y0 + rowH / 2 + 3)}" text-anchor="end">${esc(name)}</text>`);
    input.groups.forEach((grp, gi) => {
      const v = grp.values[c];
      const y = y0 + gi * ROW;
      if (!Number.isFinite(v)) {
        parts.push(`<text class="bar-missing" x="${MARGIN.left + 4}" y="${px(y + 12)}" fill="#999" font-size="10">no samples</text>`);
        return;
      }
      parts.push(
        `<rect class="bar" data-class="${c}" data-group="${esc(grp.label)}" x="${MARGIN.left}" y="${px(y + 2)}" width="${px(sx(v) - MARGIN.left)}" height="${ROW - 3}" fill="${grp.color}"/>` +
          `<text x="${px(sx(v) + 4)}" y="${px(y + 12)}" font-size="10" fill="#333">${v.toFixed(1)}</text>`,
      );
    });
  });
  const lx = width - MARGIN.right - 150;
  parts.push(
    `<g class="legend">${input.groups
      .map((grp, gi) => `<rect x="${lx + gi * 80}" y="${height - 14}" width="10" height="10" fill="${grp.color}"/><text x="${lx + gi * 80 + 14}" y="${height - 5}" font-size="11">${esc(grp.label)}</text>`)
      .join('')}</g>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

/**
 * The per-class accuracies a report has: re-evaluation results first (source and target), else the last logged
 * per-class table of each domain (src/model/per-class-table.ts: the one the rule and the UI quote, named in the title).
 */
export function perClassFromReport(r: RunReport): PerClassBarsInput | null {
  const ev = r.eval;
  if (ev?.target?.perClassAcc?.length) {
    const names = ev.classNames ?? ev.target.perClassAcc.map((_, i) => `class ${i}`);
    const groups = [];
    if (ev.source?.perClassAcc?.length) groups.push({ label: 'source', color: DOMAIN_COLORS.source, values: ev.source.perClassAcc });
    groups.push({ label: 'target', color: DOMAIN_COLORS.target, values: ev.target.perClassAcc });
    return { title: `${r.id}: per-class accuracy (re-evaluated)`, classes: names, groups };
  }
  const tgt = finalPerClassTable(r.perClass, 'target');
  if (!tgt || tgt.rows.length === 0) return null;
  const src = finalPerClassTable(r.perClass, 'source');
  const classes = tgt.rows.map((row) => row.name);
  const groups = [];
  if (src && src.rows.length === tgt.rows.length) groups.push({ label: 'source', color: DOMAIN_COLORS.source, values: src.rows.map((x) => x.acc) });
  groups.push({ label: 'target', color: DOMAIN_COLORS.target, values: tgt.rows.map((x) => x.acc) });
  return { title: `${r.id}: per-class accuracy (${perClassTableLabel(tgt, r.epochBase)})`, classes, groups };
}
