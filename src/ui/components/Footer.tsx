// Bottom line: key hints, the export prompt, or the last message (e.g. where the export was written).
import { Text } from 'ink';
import { useTheme, accent } from '../theme.js';

export interface FooterProps {
  exportPrompt: boolean;
  message: string | null;
  multiRun: boolean;
  runOpen: boolean;
  /** the replay (`r`) is offered */
  replay?: boolean;
  width: number;
}

export function Footer({ exportPrompt, message, multiRun, runOpen, replay, width }: FooterProps) {
  const theme = useTheme();
  if (exportPrompt) {
    return <Text wrap="truncate-end" color={accent(theme, 'yellow')}>export as: m Markdown · h HTML · Esc cancel</Text>;
  }
  // most useful first; hints that do not fit the width are dropped from the end, never cut mid-word
  const items = runOpen
    ? ['? help', 'q quit', '↑↓ move', '⏎ open', 'tab pane', ...(multiRun ? ['esc runs'] : []), 'e export', ...(replay ? ['r replay'] : []), 'd/c colour']
    : ['? help', 'q quit', '↑↓ move', '⏎ open run'];
  const room = Math.max(0, width - (message ? message.length + 2 : 0));
  const shown: string[] = [];
  for (const it of items) {
    if ([...shown, it].join(' · ').length > room) break;
    shown.push(it);
  }
  return (
    <Text wrap="truncate-end">
      {message ? <Text color={accent(theme, 'green')}>{message}  </Text> : null}
      <Text dimColor>{shown.join(' · ')}</Text>
    </Text>
  );
}
