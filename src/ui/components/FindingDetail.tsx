// The selected finding: message, evidence, ranked causes with confidence bars and reasons, fixes; or, for a
// healthy run, the numbers that show it is healthy. Always ends with what was not checked.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { RunReport, Finding } from '../../report/schema.js';
import { causesOf, evidenceText, evidenceLocation, SEVERITY_BADGE, isHealthy } from '../state/report-view.js';
import { confidenceBar } from '../draw/bar.js';
import { useTheme, severityColour, accent } from '../theme.js';
import { Pane } from './Pane.js';

/** Label column of the sections (fits "not checked"). */
const SECTION_LABEL_WIDTH = 12;
/** Cells of a confidence bar (ux.md: ten). */
const CONFIDENCE_CELLS = 10;
/** Reasons shown per cause when not zoomed: the fixes below matter more than the full reasoning. */
const REASONS_UNZOOMED = 1;

export interface FindingDetailProps {
  run: RunReport;
  /** zoomed (Enter): every reason of every cause */
  zoomed?: boolean;
  finding: Finding | undefined;
  width: number;
  height: number;
  focused: boolean;
}

function Section({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box flexDirection="row">
      <Box width={SECTION_LABEL_WIDTH} flexShrink={0}><Text dimColor>{label}</Text></Box>
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>{children}</Box>
    </Box>
  );
}

function NotChecked({ run }: { run: RunReport }) {
  const missing = run.coverage?.missing ?? [];
  if (run.notChecked.length === 0 && missing.length === 0) return null;
  return (
    <>
      {missing.length ? (
        <Section label="not judged">
          {missing.map((m, i) => <Text key={i} wrap="truncate-end" color="yellow">{m}</Text>)}
          {run.coverage.hint ? <Text wrap="truncate-end">{run.coverage.hint}</Text> : null}
        </Section>
      ) : null}
      {run.notChecked.length ? (
        <Section label="not checked">
          {run.notChecked.map((n, i) => <Text key={i} wrap="truncate-end" dimColor>{n}</Text>)}
        </Section>
      ) : null}
    </>
  );
}

/**
 * What the readers noted (skipped lines, rescaled fractions, warnings in the log): warnings always, the rest when
 * the pane is opened full screen, so the default view stays about the verdict. (Rules that could not run are in
 * the report's notChecked already.)
 */
function Notes({ run, zoomed }: { run: RunReport; zoomed: boolean }) {
  const notes = run.notes.filter((n) => zoomed || n.level === 'warn');
  const where = (n: RunReport['notes'][number]) => (n.file ? `${evidenceLocation({ file: n.file, line: n.line, observed: null })}  ` : '');
  return (
    <>
      {notes.length ? (
        <Section label="notes">
          {notes.map((n, i) => <Text key={i} wrap="truncate-end" dimColor={n.level === 'info'}>{n.level === 'warn' ? '⚠ ' : ''}{where(n)}{n.message}</Text>)}
        </Section>
      ) : null}
    </>
  );
}

function Healthy({ run }: { run: RunReport }) {
  const theme = useTheme();
  return (
    <>
      <Text color={severityColour(theme, 'ok')} bold>✔ No problems found in this run.</Text>
      {run.checked.length ? (
        <Section label="checked">
          {run.checked.map((c, i) => <Text key={i} wrap="truncate-end">{c}</Text>)}
        </Section>
      ) : null}
      <NotChecked run={run} />
    </>
  );
}

export function FindingDetail({ run, finding, width, height, focused, zoomed = false }: FindingDetailProps) {
  const theme = useTheme();
  if (!finding) {
    return (
      <Pane title={isHealthy(run) ? 'Verdict' : 'No finding selected'} hint={zoomed ? 'Esc back' : '⏎ all'} focused={focused} width={width} height={height}>
        {isHealthy(run) ? <Healthy run={run} /> : <NotChecked run={run} />}
        <Notes run={run} zoomed={zoomed} />
      </Pane>
    );
  }
  const causes = causesOf(run, finding);
  const fixes = [...new Set(causes.flatMap((c) => c.fixes))];
  const idWidth = Math.max(0, ...causes.map((c) => c.id.length));
  // ux.md's "id ████░░ 0.78" when it fits; in a narrow pane the bar and number go first so they are never cut
  const barFirst = width - 2 - SECTION_LABEL_WIDTH < idWidth + 1 + CONFIDENCE_CELLS + 5;
  const experiment = causes.find((c) => c.experiment)?.experiment;
  return (
    <Pane title={`${SEVERITY_BADGE[finding.severity]} ${finding.ruleId}`} hint={zoomed ? `${finding.severity} · Esc back` : `${finding.severity} · ⏎ all`} focused={focused} width={width} height={height}>
      <Text wrap="wrap" color={severityColour(theme, finding.severity)}>{finding.message}</Text>
      {finding.evidence.length ? (
        <Section label="evidence">
          {finding.evidence.map((ev, i) => (
            <Text key={i} wrap="truncate-end">
              <Text color={accent(theme, 'cyan')}>{evidenceLocation(ev)}</Text>
              {evidenceText(ev, run.epochBase) ? `  ${evidenceText(ev, run.epochBase)}` : ''}
            </Text>
          ))}
        </Section>
      ) : null}
      {causes.length ? (
        <Section label="causes">
          {causes.map((c) => (
            <Box key={c.id} flexDirection="column">
              {barFirst ? (
                <Text wrap="truncate-end">
                  <Text color={accent(theme, 'magenta')}>{confidenceBar(c.confidence, CONFIDENCE_CELLS)}</Text>
                  <Text> {c.confidence.toFixed(2)} {c.id}</Text>
                </Text>
              ) : (
                <Text wrap="truncate-end">
                  <Text>{c.id.padEnd(idWidth)} </Text>
                  <Text color={accent(theme, 'magenta')}>{confidenceBar(c.confidence, CONFIDENCE_CELLS)}</Text>
                  <Text> {c.confidence.toFixed(2)}</Text>
                </Text>
              )}
              {c.evidence.slice(0, zoomed ? undefined : REASONS_UNZOOMED).map((e, j) => <Text key={j} wrap="truncate-end" dimColor>  {e}</Text>)}
            </Box>
          ))}
        </Section>
      ) : null}
      {fixes.length ? (
        <Section label="fix">
          {fixes.map((f, i) => <Text key={i} wrap="wrap" color={accent(theme, 'green')}>{f}</Text>)}
        </Section>
      ) : null}
      {experiment ? (
        <Section label="tell apart">
          <Text wrap="wrap">{experiment}</Text>
        </Section>
      ) : null}
      <NotChecked run={run} />
      <Notes run={run} zoomed={zoomed} />
    </Pane>
  );
}
