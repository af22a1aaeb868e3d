// What the replay pane shows, as plain lines with a tone: pure, so the pane's content is tested without Ink.
import type { ReplayReport } from '../../report/replay-schema.js';
import { alignTable, replaySummaryLine, replayTable } from '../../replay/table.js';
import type { ReplayLoad } from './ui-state.js';
import { bar } from '../draw/bar.js';

export type ReplayTone = 'plain' | 'dim' | 'bold' | 'good' | 'bad';
export interface ReplayLine { text: string; tone: ReplayTone }

/** Columns of the progress bar at most (it shrinks with the pane). */
const PROGRESS_BAR_COLUMNS = 40;

/** Said when there is nothing to replay on: what the replay needs. */
export const NO_DUMP_TEXT = 'nothing to replay on: the run left no feature dump (features.npz with source/target backbone features and source labels)';

/** A verdict's tone: a fix that helped reads green, one that broke the game red. */
function verdictTone(verdict: string): ReplayTone {
  if (/diverged|collapsed|worse/.test(verdict)) return 'bad';
  if (/better/.test(verdict)) return 'good';
  return 'plain';
}

/** The table of a finished replay: the caveat once, a header, one row per variant, what was replayed, notes. */
export function replayReportLines(r: ReplayReport): ReplayLine[] {
  const rows = replayTable(r);
  const lines = alignTable(rows);
  return [
    { text: r.caveat, tone: 'dim' },
    { text: '', tone: 'plain' },
    { text: lines[0]!, tone: 'bold' },
    ...lines.slice(1).map((text, i) => ({ text, tone: verdictTone(rows[i + 1]!.at(-1)!) })),
    { text: '', tone: 'plain' },
    { text: replaySummaryLine(r), tone: 'dim' },
    ...r.notes.map((text) => ({ text, tone: 'dim' as const })),
  ];
}

/**
 * The pane's lines for the open run: the replay started here (progress, result, failure, cancellation) or, before
 * one is started, the replay the report already holds (`--replay`).
 */
export function replayPaneLines(load: ReplayLoad | undefined, stored: ReplayReport | undefined, width: number): ReplayLine[] {
  if (!load) return stored ? replayReportLines(stored) : [{ text: 'r replays the run\'s game and its candidate fixes', tone: 'dim' }];
  switch (load.status) {
    case 'loading': {
      const pct = Math.round(load.progress * 100);
      const cols = Math.max(0, Math.min(PROGRESS_BAR_COLUMNS, width - 8));
      return [
        { text: `replaying… ${pct}%  ${load.label}`, tone: 'bold' },
        { text: `${bar(load.progress, cols, '·')} ${pct}%`, tone: 'plain' },
        { text: '', tone: 'plain' },
        { text: 'Esc cancels the replay · q quits', tone: 'dim' },
      ];
    }
    case 'cancelled':
      return [{ text: 'replay cancelled · r replays again', tone: 'dim' }];
    case 'error':
      return [{ text: `replay failed: ${load.message}`, tone: 'bad' }, { text: 'r tries again', tone: 'dim' }];
    case 'done':
      return load.value ? replayReportLines(load.value) : [{ text: NO_DUMP_TEXT, tone: 'dim' }];
  }
}
