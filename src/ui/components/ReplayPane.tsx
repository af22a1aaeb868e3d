// The replay pane (`r`): the run's game and its candidate fixes replayed on the frozen features, as a table with
// seed noise and verdicts, the caveat said once; progress while it runs. Content from state/replay-view.
import { Text } from 'ink';
import type { ReplayLoad } from '../state/ui-state.js';
import type { ReplayReport } from '../../report/replay-schema.js';
import { replayPaneLines, type ReplayTone } from '../state/replay-view.js';
import { useTheme, accent, severityColour } from '../theme.js';
import { Pane, innerSize } from './Pane.js';

export interface ReplayPaneProps {
  load?: ReplayLoad;
  /** the replay already in the report (`--replay`) */
  stored?: ReplayReport;
  width: number;
  height: number;
}

export function ReplayPane({ load, stored, width, height }: ReplayPaneProps) {
  const theme = useTheme();
  const inner = innerSize(width, height);
  const lines = replayPaneLines(load, stored, inner.width).slice(0, inner.height);
  const colour = (tone: ReplayTone) => (tone === 'good' ? severityColour(theme, 'ok') : tone === 'bad' ? severityColour(theme, 'error') : undefined);
  const hint = load?.status === 'loading' ? 'Esc cancel · q quit' : 'r replay again · Esc close';
  return (
    <Pane title="Replay of candidate fixes" hint={hint} focused width={width} height={height}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={l.tone === 'bold'} dimColor={l.tone === 'dim'} color={colour(l.tone) ?? (l.tone === 'bold' ? accent(theme, 'cyan') : undefined)}>
          {l.text || ' '}
        </Text>
      ))}
    </Pane>
  );
}
