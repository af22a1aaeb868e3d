// Several runs: the list to pick from (worst first), each with its verdict in one line.
import { Box, Text } from 'ink';
import type { Report } from '../../report/schema.js';
import { severityCounts, verdict, pct, algorithmName, SEVERITY_BADGE } from '../state/report-view.js';
import { scrollStart } from './FindingsList.js';
import { useTheme, severityColour } from '../theme.js';
import { Pane, innerSize } from './Pane.js';

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
  const idW = Math.min(32, Math.max(4, ...report.runs.map((r) => r.id.length)));
  return (
    <Pane title={`Runs (${report.runs.length}), worst first`} hint="Enter open" focused={focused} width={width} height={height}>
      {order.slice(start, start + rows).map((ri, i) => {
        const run = report.runs[ri];
        const idx = start + i;
        const v = verdict(run);
        const c = severityCounts(run);
        const selected = idx === cursor;
        return (
          <Box key={run.id}>
            <Text wrap="truncate-end" inverse={selected && focused}>
              <Text>{selected ? '▸ ' : '  '}</Text>
              <Text color={severityColour(theme, v.severity)}>{v.severity === 'ok' ? '✔' : SEVERITY_BADGE[v.severity]}</Text>
              <Text> {run.id.slice(0, idW).padEnd(idW)} </Text>
              <Text>{algorithmName(run).padEnd(5)} {run.status.padEnd(10)} </Text>
              <Text>tgt {pct(run.metrics.finalTargetAcc).padStart(5)}  </Text>
              <Text>✖{c.error} ⚠{c.warn} ℹ{c.info}  </Text>
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
