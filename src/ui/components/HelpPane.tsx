// `?`: every key binding and what each pane shows.
import { Box, Text } from 'ink';
import { KEY_HELP } from '../state/keys.js';
import { Pane } from './Pane.js';

export interface HelpPaneProps {
  width: number;
  height: number;
}

const PANE_HELP: [string, string][] = [
  ['Findings', 'worst first; the detail shows evidence (file:line, epochs, observed vs threshold), causes and fixes'],
  ['Curves', 'per-epoch means; the selected finding\'s epochs are marked ▔ underneath; a step (change point) is drawn inverse; × = NaN/Inf'],
  ['Per-class', 'target vs source accuracy per class; ! = target class below 35%'],
  ['Replay', 'r: the game replayed on the frozen features, as configured, per candidate fix and source-only; target acc ± seeds, verdict vs the run'],
  ['t-SNE', 'features of both domains; by class a glyph per class, by domain ◦ source • target ◉ both in one cell (well mixed = aligned)'],
];

export function HelpPane({ width, height }: HelpPaneProps) {
  return (
    <Pane title="Help" hint="? or Esc to close" focused width={width} height={height}>
      {KEY_HELP.map(([k, d]) => (
        <Box key={k}>
          <Box width={14} flexShrink={0}><Text bold>{k}</Text></Box>
          <Text wrap="truncate-end">{d}</Text>
        </Box>
      ))}
      <Text> </Text>
      {PANE_HELP.map(([k, d]) => (
        <Box key={k}>
          <Box width={14} flexShrink={0}><Text bold>{k}</Text></Box>
          <Text wrap="truncate-end">{d}</Text>
        </Box>
      ))}
    </Pane>
  );
}
