// Colours shared by the SVG plots, the HTML report and the terminal scatter (one palette everywhere).

/** Tableau 10 then its light variants: distinguishable for up to 20 classes, the usual DA benchmarks (Office-31: 31 wraps). */
export const CLASS_COLORS = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#a0cbe8', '#ffbe7d', '#ff9d9a', '#86bcb6', '#8cd17d', '#f1ce63', '#d4a6c8', '#fabfd2', '#d7b5a6', '#79706e',
] as const;

export const DOMAIN_COLORS = { source: '#1f77b4', target: '#d62728' } as const;
export const UNKNOWN_CLASS_COLOR = '#888888';

/** Line colours for curve plots, in the order series are drawn. */
export const SERIES_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'] as const;

export function classColor(label: number): string {
  return label < 0 ? UNKNOWN_CLASS_COLOR : CLASS_COLORS[label % CLASS_COLORS.length];
}

export function domainColor(domain: number): string {
  return domain === 0 ? DOMAIN_COLORS.source : DOMAIN_COLORS.target;
}

/** "#rrggbb" -> [r, g, b] (for the terminal's 24-bit colours). */
export function hexToRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
