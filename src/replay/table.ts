// The replay as a table of plain strings: one row per variant, shared by the text, Markdown and HTML reporters.
import type { ReplayReport, ReplayVariantResult } from '../report/replay-schema.js';

export const REPLAY_COLUMNS = ['variant', 'domain acc', 'target acc', 'source acc', 'A-distance', 'collapse', 'verdict'] as const;

function pm(s: { mean: number; sd: number | null } | null, digits = 1, unit = '%'): string {
  if (!s) return '-';
  return `${s.mean.toFixed(digits)}${unit}${s.sd !== null ? ` ± ${s.sd.toFixed(digits)}` : ''}`;
}

function row(v: ReplayVariantResult): string[] {
  if (v.trials.length === 0) return [v.variant.label, '-', '-', '-', '-', '-', v.verdict];
  const dom = v.domainAcc ? `${pm(v.domainAcc)} ${v.domainState ?? ''}`.trim() : 'no discriminator';
  const collapse = v.collapsed ? 'yes' : 'no';
  return [v.variant.label, dom, pm(v.targetAcc), pm(v.sourceAcc), pm(v.aDistance, 2, ''), collapse, v.verdict];
}

/** Header + one row per variant; every cell a plain string (reporters escape and align). */
export function replayTable(r: ReplayReport): string[][] {
  return [[...REPLAY_COLUMNS], ...r.variants.map(row)];
}

/** One line under the table: what was replayed, how long, on which backend. */
export function replaySummaryLine(r: ReplayReport): string {
  const secs = r.variants.flatMap((v) => v.trials.map((t) => t.seconds)).reduce((a, b) => a + b, 0);
  return `${r.iterations} steps x up to ${r.seeds} seed(s) per variant on ${r.inputs.source}/${r.inputs.target} (${r.inputs.sourceRows}+${r.inputs.targetRows} rows, ${r.inputs.featureDim}-d, ${r.inputs.classes} classes, ${Math.round(r.inputs.heldOutFraction * 100)}% held out), ${secs.toFixed(1)} s on ${r.backend}`;
}

/** Columns padded to their widest cell, for a terminal. */
export function alignTable(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}
