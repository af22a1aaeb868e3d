// Severity glyphs and ANSI colours for the plain-text reporters; colours vanish with NO_COLOR or a pipe.
import type { Severity } from '../report/schema.js';

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function paint(color: boolean): Paint {
  if (!color) {
    const id = (s: string) => s;
    return { red: id, yellow: id, blue: id, green: id, dim: id, bold: id };
  }
  return { red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

export { SEVERITY_GLYPH } from '../report/views.js';
export { SEVERITY_ORDER } from '../report/schema.js';

export function paintSeverity(p: Paint, sev: Severity, s: string): string {
  return sev === 'error' ? p.red(s) : sev === 'warn' ? p.yellow(s) : p.blue(s);
}

/** 52.04 -> "52.0%"; undefined -> "—" */
export function pct(v: number | undefined | null, digits = 1): string {
  return v === undefined || v === null || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)}%`;
}
