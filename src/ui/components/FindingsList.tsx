// The findings of one run, worst first, with severity badges and a cursor.
import { Box, Text } from 'ink';
import type { Finding } from '../../report/schema.js';
import { SEVERITY_BADGE } from '../state/report-view.js';
import { useTheme, severityColour } from '../theme.js';
import { Pane, innerSize } from './Pane.js';

export interface FindingsListProps {
  findings: Finding[];
  cursor: number;
  focused: boolean;
  width: number;
  height: number;
}

/** First row to draw so the cursor stays visible in a window of `rows`. */
export function scrollStart(cursor: number, total: number, rows: number): number {
  if (rows <= 0 || total <= rows) return 0;
  return Math.max(0, Math.min(total - rows, cursor - Math.floor(rows / 2)));
}

export function FindingsList({ findings, cursor, focused, width, height }: FindingsListProps) {
  const theme = useTheme();
  const inner = innerSize(width, height);
  const start = scrollStart(cursor, findings.length, inner.height);
  const visible = findings.slice(start, start + inner.height);
  return (
    <Pane title={`Findings (${findings.length})`} hint={findings.length > inner.height ? `${cursor + 1}/${findings.length}` : undefined} focused={focused} width={width} height={height}>
      {findings.length === 0 ? <Text color={severityColour(theme, 'ok')}>✔ none</Text> : null}
      {visible.map((f, i) => {
        const idx = start + i;
        const selected = idx === cursor;
        return (
          <Box key={`${f.fingerprint}-${idx}`} width={inner.width}>
            <Text wrap="truncate-end" inverse={selected && focused} dimColor={f.suppressed}>
              <Text>{selected ? '▸ ' : '  '}</Text>
              <Text color={severityColour(theme, f.severity)}>{SEVERITY_BADGE[f.severity]}</Text>
              <Text> {f.ruleId}{f.suppressed ? ' (suppressed)' : ''}</Text>
            </Text>
          </Box>
        );
      })}
    </Pane>
  );
}
