// Bottom line: key hints, the export prompt, or the last message (e.g. where the export was written).
import { Text } from 'ink';
import { useTheme, accent } from '../theme.js';
import { cellWidth, fitMiddle } from '../draw/cell.js';
import { sep } from 'node:path';

export interface FooterProps {
  exportPrompt: boolean;
  /** the folder an export will be written to (said in the prompt, before anything is written) */
  exportDir?: string;
  message: string | null;
  multiRun: boolean;
  runOpen: boolean;
  /** the replay (`r`) is offered */
  replay?: boolean;
  width: number;
}

export function Footer({ exportPrompt, exportDir, message, multiRun, runOpen, replay, width }: FooterProps) {
  const theme = useTheme();
  if (exportPrompt) {
    const keys = 'export as: m Markdown · h HTML · Esc cancel';
    const into = exportDir ? ` · into ${fitMiddle(exportDir.endsWith(sep) ? exportDir : exportDir + sep, Math.max(8, width - cellWidth(keys) - 8))}` : '';
    return <Text wrap="truncate-end" color={accent(theme, 'yellow')}>{keys}{into}</Text>;
  }
  // a message (the exported file's full path) goes first and whole; when it is wider than the terminal it is cut in
  // the middle, so the folder's start and the file name both stay (the full path is also said on stderr at exit)
  if (message && cellWidth(message) + 2 > width) {
    return <Text wrap="truncate-end" color={accent(theme, 'green')}>{fitMiddle(message, width)}</Text>;
  }
  // most useful first; hints that do not fit the width are dropped from the end, never cut mid-word
  const items = runOpen
    ? ['? help', 'q quit', '↑↓ move', '⏎ open', 'tab pane', ...(multiRun ? ['esc runs'] : []), 'e export', ...(replay ? ['r replay'] : []), 'd/c colour']
    : ['? help', 'q quit', '↑↓ move', '⏎ open run'];
  const room = Math.max(0, width - (message ? cellWidth(message) + 2 : 0));
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
