// Several runs: the list to pick from (worst first), each with its verdict in one line.
import { Box, Text } from 'ink';
import type { Report } from '../../report/schema.js';
import { severityCounts, verdict, pct, algorithmName, SEVERITY_BADGE } from '../state/report-view.js';
import { scrollStart } from './FindingsList.js';
import { useTheme, severityColour } from '../theme.js';
import { Pane, innerSize } from './Pane.js';
import { cellWidth, fitCell } from '../draw/cell.js';

/** Run ids longer than this are cut with … (the detail view shows the whole id). */
const MAX_ID_COLUMNS = 32;
/** Algorithm names as runs spell them ("CDAN+E", "DANN-style", "daan"); longer ones are cut. */
const MAX_ALGORITHM_COLUMNS = 12;

export interface RunListProps {
  report: Report;
  order: number[];
  cursor: number;
  focused: boolean;
  width: number;
  height: number;
}

export function RunList({ report, order, cursor, focused, width, height }: RunListProps) {
  const theme = useTheme();
  const inner = innerSize(width, height);
  const errorRows = Math.min(report.errors.length, 3);
  const rows = Math.max(1, inner.height - (errorRows ? errorRows + 1 : 0));
  const start = scrollStart(cursor, order.length, rows);
  // every column as wide as its widest cell, in terminal columns (wide glyphs count two): rows line up
  const idW = Math.min(MAX_ID_COLUMNS, Math.max(4, ...report.runs.map((r) => cellWidth(r.id))));
  const algW = Math.min(MAX_ALGORITHM_COLUMNS, Math.max(5, ...report.runs.map((r) => cellWidth(algorithmName(r)))));
  const statusW = Math.max(...report.runs.map((r) => cellWidth(r.status)), 6);
  const counts = (r: Report['runs'][number]) => { const c = severityCounts(r); return `✖${c.error} ⚠${c.warn} ℹ${c.info}`; };
  const countW = Math.max(...report.runs.map((r) => cellWidth(counts(r))));
  return (
    <Pane title={`Runs (${report.runs.length}), worst first`} hint="Enter open" focused={focused} width={width} height={height}>
      {order.slice(start, start + rows).map((ri, i) => {
        const run = report.runs[ri];
        const idx = start + i;
        const v = verdict(run);
        const selected = idx === cursor;
        return (
          <Box key={run.id}>
            <Text wrap="truncate-end" inverse={selected && focused}>
              <Text>{selected ? '▸ ' : '  '}</Text>
              <Text color={severityColour(theme, v.severity)}>{v.severity === 'ok' ? '✔' : SEVERITY_BADGE[v.severity]}</Text>
              <Text> {fitCell(run.id, idW)} </Text>
              <Text>{fitCell(algorithmName(run), algW)} {fitCell(run.status, statusW)} </Text>
              <Text>tgt {fitCell(pct(run.metrics.finalTargetAcc), 5, 'right')}  </Text>
              <Text>{fitCell(counts(run), countW)}  </Text>
              <Text dimColor>{v.text.replace(/^likely cause: (\S+) \(confidence ([\d.]+)\)$/, '$1 ($2)')}</Text>
            </Text>
          </Box>
        );
      })}
      {errorRows ? <Text color={severityColour(theme, 'error')}>{report.errors.length} input error{report.errors.length > 1 ? 's' : ''}:</Text> : null}
      {report.errors.slice(0, errorRows).map((e, i) => <Text key={i} wrap="truncate-end" dimColor>{e.path}: {e.message}</Text>)}
    </Pane>
  );
}
