// `?`: every key binding and what each pane shows.
import { Box, Text } from 'ink';
import { KEY_HELP } from '../state/keys.js';
import { Pane } from './Pane.js';
import { useTheme } from '../theme.js';
import { SOURCE_GLYPH, TARGET_GLYPH, BOTH_GLYPH, classGlyph } from './TsnePane.js';

export interface HelpPaneProps {
  width: number;
  height: number;
}

/**
 * What the t-SNE pane draws, which depends on colour: braille dots coloured per cell when colour is on, a glyph per
 * cell under NO_COLOR (TsnePane.tsx). The glyphs named here are the pane's own constants.
 */
export function tsneHelp(color: boolean): string {
  return color
    ? 'features of both domains as braille dots, each cell coloured by the class or domain with most points in it (legend ● underneath); mixed % = cells holding both domains (well mixed = aligned)'
    : `features of both domains, a glyph per cell: by class the class index (${classGlyph(0)}-${classGlyph(9)}, ${classGlyph(10)}-…), by domain ${SOURCE_GLYPH} source ${TARGET_GLYPH} target ${BOTH_GLYPH} both in one cell (well mixed = aligned)`;
}

function paneHelp(color: boolean): [string, string][] {
  return [
    ['Findings', 'worst first; the detail shows evidence (file:line, epochs, observed vs threshold), causes and fixes'],
    ['Curves', 'per-epoch means; the selected finding\'s epochs are marked ▔ underneath; a step (change point) is drawn inverse; × = NaN/Inf'],
    ['Per-class', 'target vs source accuracy per class; ! = target class below 35%'],
    ['Replay', 'r: the game replayed on the frozen features, as configured, per candidate fix and source-only; target acc ± seeds, verdict vs the run'],
    ['t-SNE', tsneHelp(color)],
  ];
}

export function HelpPane({ width, height }: HelpPaneProps) {
  const theme = useTheme();
  return (
    <Pane title="Help" hint="? or Esc to close" focused width={width} height={height}>
      {KEY_HELP.map(([k, d]) => (
        <Box key={k}>
          <Box width={14} flexShrink={0}><Text bold>{k}</Text></Box>
          <Text wrap="truncate-end">{d}</Text>
        </Box>
      ))}
      <Text> </Text>
      {paneHelp(theme.color).map(([k, d]) => (
        <Box key={k}>
          <Box width={14} flexShrink={0}><Text bold>{k}</Text></Box>
          <Text wrap="wrap">{d}</Text>
        </Box>
      ))}
    </Pane>
  );
}
