// Bottom line: key hints, the export prompt, or the last message (e.g. where the export was written).
import { Text } from 'ink';
import { useTheme, accent } from '../theme.js';

export interface FooterProps {
  exportPrompt: boolean;
  message: string | null;
  multiRun: boolean;
  runOpen: boolean;
  width: number;
}

export function Footer({ exportPrompt, message, multiRun, runOpen, width }: FooterProps) {
  const theme = useTheme();
  if (exportPrompt) {
    return <Text wrap="truncate-end" color={accent(theme, 'yellow')}>export as: m Markdown · h HTML · Esc cancel</Text>;
  }
  const hints = runOpen
    ? `↑↓ move · ⏎ open · tab pane · d/c colour · e export · ? help · ${multiRun ? 'esc runs · ' : ''}q quit`
    : '↑↓ move · ⏎ open run · ? help · q quit';
  return (
    <Text wrap="truncate-end">
      {message ? <Text color={accent(theme, 'green')}>{message}  </Text> : null}
      <Text dimColor>{hints.slice(0, Math.max(0, width - (message?.length ?? 0) - 2))}</Text>
    </Text>
  );
}
