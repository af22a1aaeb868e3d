// Braille-dot scatter for terminals: 2x4 dots per character cell, one colour per cell; no Ink import (the UI wraps it).
import type { DrawnEmbedding } from '../tsne/embed-features.js';
import { classColor, domainColor } from './palette.js';
import { className } from './tsne-scatter-svg.js';

/** Bit of each dot in a braille cell, indexed [row][col] (Unicode braille patterns, U+2800 block). */
const BRAILLE_BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
] as const;
const BRAILLE_BASE = 0x2800;

export interface ScatterSegment {
  text: string;
  /** "#rrggbb", absent for blank runs */
  color?: string;
}

export interface TerminalScatter {
  /** plain text rows (no colour), each `width` characters */
  lines: string[];
  /** the same rows split into runs of one colour, for <Text color=...> or ANSI */
  rows: ScatterSegment[][];
  legend: { label: string; color: string }[];
}

export interface TerminalScatterOptions {
  /** character cells */
  width: number;
  height: number;
  colorBy: 'class' | 'domain';
  /** only this domain's points (0 = source, 1 = target) */
  domain?: 0 | 1;
}

/**
 * Rasterises the embedding into width x height braille cells (2 x 4 dots each). A cell takes the colour of the
 * group with the most points in it. Equal scale on both axes would waste half a terminal, so each axis is
 * stretched to fill. O(n + width * height).
 */
export function terminalScatter(e: DrawnEmbedding, opts: TerminalScatterOptions): TerminalScatter {
  const W = Math.max(1, Math.floor(opts.width));
  const H = Math.max(1, Math.floor(opts.height));
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < e.n; i++) {
    if (opts.domain !== undefined && e.domain[i] !== opts.domain) continue;
    const x = e.xy[2 * i], y = e.xy[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const bits = new Uint8Array(W * H);
  const groupOf = (i: number) => (opts.colorBy === 'domain' ? e.domain[i] : e.label[i] + 1);
  const groups = opts.colorBy === 'domain' ? 2 : Math.max(e.numClasses, 0) + 1;
  const votes = new Int32Array(W * H * groups);
  for (let i = 0; i < e.n; i++) {
    if (opts.domain !== undefined && e.domain[i] !== opts.domain) continue;
    const dx = Math.min(2 * W - 1, Math.floor(((e.xy[2 * i] - minX) / spanX) * (2 * W - 1e-9)));
    const dy = Math.min(4 * H - 1, Math.floor(((maxY - e.xy[2 * i + 1]) / spanY) * (4 * H - 1e-9)));
    const cell = (dy >> 2) * W + (dx >> 1);
    bits[cell] |= BRAILLE_BITS[dy & 3][dx & 1];
    const g = groupOf(i);
    if (g >= 0 && g < groups) votes[cell * groups + g]++;
  }
  const colorOfGroup = (g: number) => (opts.colorBy === 'domain' ? domainColor(g) : classColor(g - 1));
  const lines: string[] = [];
  const rows: ScatterSegment[][] = [];
  for (let r = 0; r < H; r++) {
    let line = '';
    const segs: ScatterSegment[] = [];
    for (let c = 0; c < W; c++) {
      const cell = r * W + c;
      const ch = bits[cell] ? String.fromCharCode(BRAILLE_BASE + bits[cell]) : ' ';
      let color: string | undefined;
      if (bits[cell]) {
        let best = -1, bestVotes = 0;
        for (let g = 0; g < groups; g++) if (votes[cell * groups + g] > bestVotes) { bestVotes = votes[cell * groups + g]; best = g; }
        color = best >= 0 ? colorOfGroup(best) : undefined;
      }
      line += ch;
      const last = segs[segs.length - 1];
      if (last && last.color === color) last.text += ch;
      else segs.push(color ? { text: ch, color } : { text: ch });
    }
    lines.push(line);
    rows.push(segs);
  }
  const legend: { label: string; color: string }[] = [];
  if (opts.colorBy === 'domain') legend.push({ label: 'source', color: domainColor(0) }, { label: 'target', color: domainColor(1) });
  else {
    const present = new Set<number>();
    for (let i = 0; i < e.n; i++) present.add(e.label[i]);
    for (const c of [...present].sort((a, b) => a - b)) legend.push({ label: className(e, c), color: classColor(c) });
  }
  return { lines, rows, legend };
}

/** The rows with 24-bit ANSI colours, for plain terminals (the Ink UI uses `rows` instead). */
export function scatterToAnsi(s: TerminalScatter): string[] {
  return s.rows.map((segs) =>
    segs
      .map((g) => {
        if (!g.color) return g.text;
        const v = parseInt(g.color.slice(1), 16);
        return `\u001b[38;2;${(v >> 16) & 255};${(v >> 8) & 255};${v & 255}m${g.text}\u001b[39m`;
      })
      .join(''),
  );
}
