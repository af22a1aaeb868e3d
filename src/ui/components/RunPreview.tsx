// Beside the run list: the highlighted run's verdict, numbers and top findings, so picking needs no opening.
import { Text } from 'ink';
import type { RunReport } from '../../report/schema.js';
import { verdict, sortedFindings, pct, hyperLine, SEVERITY_BADGE, statusText, algorithmName } from '../state/report-view.js';
import { useTheme, severityColour } from '../theme.js';
import { Pane, innerSize } from './Pane.js';

export interface RunPreviewProps {
  run: RunReport;
  width: number;
  height: number;
}

export function RunPreview({ run, width, height }: RunPreviewProps) {
  const theme = useTheme();
  const inner = innerSize(width, height);
  const v = verdict(run);
  const m = run.metrics;
  const findings = sortedFindings(run).slice(0, Math.max(0, inner.height - 5));
  return (
    <Pane title={`${run.id} ─ ${algorithmName(run)} ─ ${statusText(run)}`} focused={false} width={width} height={height}>
      <Text wrap="truncate-end" bold color={severityColour(theme, v.severity)}>{v.severity === 'ok' ? '✔' : SEVERITY_BADGE[v.severity]} {v.text}</Text>
      <Text wrap="truncate-end">source {pct(m.finalSourceAcc)}  target {pct(m.finalTargetAcc)}{m.bestTargetAcc !== undefined ? ` (best ${pct(m.bestTargetAcc)})` : ''}  domain {pct(m.finalDomainAcc)}</Text>
      <Text wrap="truncate-end" dimColor>{hyperLine(run)}</Text>
      <Text> </Text>
      {findings.map((f, i) => (
        <Text key={i} wrap="truncate-end">
          <Text color={severityColour(theme, f.severity)}>{SEVERITY_BADGE[f.severity]}</Text> {f.ruleId}  <Text dimColor>{f.message}</Text>
        </Text>
      ))}
    </Pane>
  );
}
