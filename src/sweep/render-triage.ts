// Renders the sweep triage table as aligned terminal text (optionally coloured) or as a Markdown table.
import type { TriageTable, TriageRow } from './triage-table.js';
import type { SeedGroup } from '../seeds/group-by-seed.js';
import { compareSeedGroups, duplicatesText, formatInterval } from '../seeds/group-by-seed.js';
import { mdCode, mdText } from '../output/markdown-safe.js';

/** Widest a cell may get in text output before it is cut with an ellipsis (keeps rows on a 160-column terminal). */
export const MAX_CELL_CHARS = 44;

const ANSI = { red: '\x1b[31m', yellow: '\x1b[33m', green: '\x1b[32m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** Hyperparameter columns shown in text before "+N more" (the most telling come first; JSON/Markdown keep all). */
export const MAX_HYPER_COLUMNS = 6;

export interface RenderTriageOptions {
  color?: boolean;
  maxCellChars?: number;
  maxHyperColumns?: number;
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function rowColor(row: TriageRow): string {
  if (row.topFinding?.severity === 'error' || row.status === 'crashed' || row.status === 'failed') return ANSI.red;
  if (row.topFinding?.severity === 'warn') return ANSI.yellow;
  if (!row.topFinding) return ANSI.green;
  return '';
}

/** Aligned columns, worst run first, input errors listed below. Pads before colouring so ANSI codes don't skew widths. */
export function renderTriageText(table: TriageTable, opts: RenderTriageOptions = {}): string {
  const max = opts.maxCellChars ?? MAX_CELL_CHARS;
  const keep = table.columns.length - table.varying.length + Math.min(table.varying.length, opts.maxHyperColumns ?? MAX_HYPER_COLUMNS);
  const hidden = table.varying.slice(keep - (table.columns.length - table.varying.length));
  const rows = table.rows.map((r) => r.cells.slice(0, keep).map((c) => cut(c, max)));
  const head = table.columns.slice(0, keep).map((c) => cut(c, max));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out: string[] = [];
  out.push(opts.color ? `${ANSI.bold}${line(head)}${ANSI.reset}` : line(head));
  table.rows.forEach((row, i) => {
    const text = line(rows[i]);
    const c = opts.color ? rowColor(row) : '';
    out.push(c ? `${c}${text}${ANSI.reset}` : text);
  });
  const bad = table.rows.filter((r) => r.topFinding && r.topFinding.severity !== 'info').length;
  out.push('');
  out.push(`${table.rows.length} run${table.rows.length === 1 ? '' : 's'}, ${bad} with warnings or errors`);
  if (hidden.length) out.push(`${hidden.length} more varying hyperparameter${hidden.length === 1 ? '' : 's'} not shown: ${hidden.join(', ')} (all in --format json/markdown)`);
  // most messages already start with the path ("/x: no such file or directory"): not twice
  for (const e of table.errors) out.push(`${opts.color ? ANSI.red : ''}error: ${e.message.startsWith(e.path) ? e.message : `${e.path}: ${e.message}`}${opts.color ? ANSI.reset : ''}`);
  return `${out.join('\n')}\n`;
}

/** A table cell from run names, hyperparameters and messages: text, never markup (see output/markdown-safe). */
const mdCell = mdText;

/** GitHub-flavoured Markdown table (for $GITHUB_STEP_SUMMARY and PR comments). */
export function renderTriageMarkdown(table: TriageTable): string {
  const out = [
    `| ${table.columns.map(mdCell).join(' | ')} |`,
    `|${table.columns.map(() => '---').join('|')}|`,
    ...table.rows.map((r) => `| ${r.cells.map(mdCell).join(' | ')} |`),
  ];
  if (table.errors.length) {
    out.push('', '**Input errors**', '');
    for (const e of table.errors) out.push(`- ${mdCode(e.path)}: ${mdCell(e.message)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Seed-group lines for a sweep: each config's mean +- CI, and each multi-seed group against the best group
 * (is the gap seed noise?). Empty when no config has two seeds.
 */
export function renderSeedGroupsText(groups: SeedGroup[]): string {
  // groups of several runs: distinct seeds get an interval; copies of one training are said, never averaged
  const shown = groups.filter((g) => g.values.length >= 2 || g.duplicates.length > 0);
  if (shown.length === 0) return '';
  const multi = shown.filter((g) => g.values.length >= 2);
  const out = ['seed groups (same config, different seeds; final target acc, mean +- 95% CI):'];
  for (const g of shown) {
    const ids = g.runIds.length > 8 ? `${g.runIds.slice(0, 8).join(', ')}, … (${g.runIds.length} runs)` : g.runIds.join(', ');
    out.push(`  ${g.label}: ${formatInterval(g.interval)}  [${ids}]`);
    if (g.duplicates.length) out.push(`    ${duplicatesText(g)}`);
  }
  const best = [...multi].sort((x, y) => y.interval.mean - x.interval.mean)[0];
  for (const g of multi) if (g !== best) out.push(`  ${compareSeedGroups(g, best).summary}`);
  return `${out.join('\n')}\n`;
}
