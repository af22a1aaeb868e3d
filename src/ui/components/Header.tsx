// Header: run, algorithm, status, evaluation backend; the verdict line; headline numbers; key hyperparameters.
import { Box, Text } from 'ink';
import type { RunReport } from '../../report/schema.js';
import { shownEpoch } from '../../model/epoch-numbering.js';
import type { EvalResults } from '../../model/types.js';
import type { Load } from '../state/ui-state.js';
import { algorithmName, statusText, verdict, severityCounts, pct, hyperLine, SEVERITY_BADGE, evidenceLocation } from '../state/report-view.js';
import { useTheme, severityColour, accent } from '../theme.js';

export interface HeaderProps {
  run: RunReport;
  evaluation?: Load<EvalResults>;
  /** seconds the evaluation has been running (shown so a long evaluation visibly progresses) */
  elapsed?: number;
  /** true when the CLI gave no evaluate callback */
  evaluationOff?: boolean;
  width: number;
}

export function backendText(run: RunReport, evaluation: Load<EvalResults> | undefined, evaluationOff: boolean, elapsed = 0): string {
  if (evaluation?.status === 'loading') return run.eval ? `quick eval done · deep evaluation… ${elapsed}s` : `evaluating… ${elapsed}s`;
  if (evaluation?.status === 'error') return `evaluation failed: ${evaluation.message}`;
  const ev = (evaluation?.status === 'done' ? evaluation.value : undefined) ?? run.eval;
  if (ev) return `${ev.depth ? `${ev.depth} eval, ` : ''}backend: ${ev.backend}`;
  if (evaluation?.status === 'done') return 'nothing to evaluate';
  return evaluationOff ? 'not evaluated' : 'evaluation pending';
}

export function Header({ run, evaluation, elapsed, evaluationOff = false, width }: HeaderProps) {
  const theme = useTheme();
  const v = verdict(run);
  const c = severityCounts(run);
  const m = run.metrics;
  const statusColour = run.status === 'finished' ? accent(theme, 'green') : run.status === 'crashed' || run.status === 'failed' ? accent(theme, 'red') : accent(theme, 'yellow');
  const best = m.bestTargetAcc !== undefined ? ` (best ${pct(m.bestTargetAcc)}${m.bestEpoch !== undefined ? ` at epoch ${shownEpoch(m.bestEpoch, run.epochBase)}` : ''})` : '';
  const badge = v.severity === 'ok' ? '✔' : SEVERITY_BADGE[v.severity];
  const crashAt = run.crash?.file ? `  ${evidenceLocation({ file: run.crash.file, line: run.crash.line, observed: null })}` : '';
  return (
    <Box borderStyle="round" borderColor={accent(theme, 'gray')} width={width} height={6} flexDirection="column" flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold>dann-doctor</Text>
        <Text> ─ </Text>
        <Text bold>{run.id}</Text>
        <Text> ─ {algorithmName(run)} ─ </Text>
        <Text color={statusColour}>{statusText(run)}</Text>
        <Text> ─ {backendText(run, evaluation, evaluationOff, elapsed)}</Text>
      </Text>
      <Text wrap="truncate-end" color={severityColour(theme, v.severity)} bold>
        {badge} {v.text}{crashAt}
      </Text>
      <Text wrap="truncate-end">
        source {pct(m.finalSourceAcc)}  target {pct(m.finalTargetAcc)}{best}
        {m.testAcc !== undefined ? `  test ${pct(m.testAcc)}` : ''}
        {/* DAN/JAN/MMD runs have no discriminator: no domain accuracy to show */}
        {m.finalDomainAcc !== undefined ? `  domain ${pct(m.finalDomainAcc)}` : ''}
        {'   '}
        <Text color={severityColour(theme, 'error')}>✖ {c.error}</Text>
        {'  '}
        <Text color={severityColour(theme, 'warn')}>⚠ {c.warn}</Text>
        {'  '}
        <Text color={severityColour(theme, 'info')}>ℹ {c.info}</Text>
      </Text>
      <Text wrap="truncate-end" dimColor>{hyperLine(run) || 'no hyperparameters recorded'}</Text>
    </Box>
  );
}
