// Screen layout from the terminal size: which panes are visible and how big each is; pure, so resizes are testable.
import type { PaneId } from './ui-state.js';

export interface Box { width: number; height: number }

export interface Layout {
  columns: number;
  rows: number;
  header: Box;
  /** too small for side-by-side panes: only the focused pane is drawn under the header */
  compact: boolean;
  /** panes in drawing order with their sizes; `row` 0 = top band, 1 = bottom band */
  panes: { id: PaneId; row: 0 | 1; box: Box }[];
  footerRows: number;
}

/** Header: border (2) + title, verdict, numbers, hyperparameters. */
export const HEADER_ROWS = 6;
export const FOOTER_ROWS = 1;
/** Below this many columns or rows there is no room for two bands of panes. */
export const MIN_SPLIT_COLUMNS = 80;
export const MIN_SPLIT_ROWS = 24;
/** From this width the curves, per-class and t-SNE panes all fit side by side (3 × ~50 columns). */
export const THREE_PANE_COLUMNS = 150;
/** The findings list gets about a third of the width, within these bounds (badge + rule id fit in 28). */
const LIST_MIN = 28;
const LIST_MAX = 48;
/**
 * Ink redraws by clearing the whole terminal when a frame is as tall as the screen (flicker); one spare row
 * avoids that.
 */
export const SPARE_ROWS = 1;

export function computeLayout(columns: number, rows: number, focus: PaneId, zoomed: boolean, runList: boolean): Layout {
  const cols = Math.max(20, columns);
  const rws = Math.max(8, rows);
  const header: Box = { width: cols, height: HEADER_ROWS };
  const body = Math.max(3, rws - HEADER_ROWS - FOOTER_ROWS - SPARE_ROWS);
  const compact = cols < MIN_SPLIT_COLUMNS || rws < MIN_SPLIT_ROWS;
  const base = { columns: cols, rows: rws, header, compact, footerRows: FOOTER_ROWS };

  if (runList) {
    // the run list with a preview of the selected run beside it
    if (compact) return { ...base, panes: [{ id: 'runs', row: 0, box: { width: cols, height: body } }] };
    // the list rows carry the verdict, so they get the larger share
    const listW = Math.max(40, Math.round(cols * 0.6));
    return {
      ...base,
      panes: [
        { id: 'runs', row: 0, box: { width: listW, height: body } },
        { id: 'findings', row: 0, box: { width: cols - listW, height: body } },
      ],
    };
  }
  if (zoomed || compact) {
    return { ...base, panes: [{ id: focus, row: 0, box: { width: cols, height: body } }] };
  }
  const top = Math.max(6, Math.floor(body * 0.45));
  const bottom = body - top;
  // 'findings' in the top band is drawn as list + detail; the App splits it at findingsListWidth()
  const panes: Layout['panes'] = [{ id: 'findings', row: 0, box: { width: cols, height: top } }];
  if (cols >= THREE_PANE_COLUMNS) {
    const curvesW = Math.round(cols * 0.36);
    const perW = Math.round(cols * 0.28);
    panes.push(
      { id: 'curves', row: 1, box: { width: curvesW, height: bottom } },
      { id: 'perClass', row: 1, box: { width: perW, height: bottom } },
      { id: 'tsne', row: 1, box: { width: cols - curvesW - perW, height: bottom } },
    );
  } else {
    const curvesW = Math.round(cols * 0.5);
    const other: PaneId = focus === 'tsne' ? 'tsne' : 'perClass';
    panes.push(
      { id: 'curves', row: 1, box: { width: curvesW, height: bottom } },
      { id: other, row: 1, box: { width: cols - curvesW, height: bottom } },
    );
  }
  return { ...base, panes };
}

/** Width of the findings list inside the top band (the rest is the selected finding's detail). */
export function findingsListWidth(bandWidth: number): number {
  return Math.max(LIST_MIN, Math.min(LIST_MAX, Math.round(bandWidth * 0.34)));
}
