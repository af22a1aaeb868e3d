// A bordered pane with a title line; the focused pane gets a double border (visible with or without colour).
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useTheme, accent } from '../theme.js';

export interface PaneProps {
  title: string;
  /** short text at the right end of the title line (key hints, counts) */
  hint?: string;
  focused: boolean;
  width: number;
  height: number;
  children?: ReactNode;
}

/** Columns and rows a pane's content gets: minus the border (2) and the title line. */
export function innerSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(1, width - 2), height: Math.max(0, height - 3) };
}

export function Pane({ title, hint, focused, width, height, children }: PaneProps) {
  const theme = useTheme();
  return (
    <Box
      borderStyle={focused ? 'double' : 'single'}
      borderColor={focused ? accent(theme, 'cyan') : accent(theme, 'gray')}
      width={width}
      height={height}
      flexDirection="column"
      overflow="hidden"
      flexShrink={0}
    >
      <Box width={width - 2} height={1} flexShrink={0}>
        <Box flexGrow={1} flexShrink={1} overflow="hidden">
          <Text bold wrap="truncate-end">{title}</Text>
        </Box>
        {hint ? <Box flexShrink={0} marginLeft={1}><Text dimColor wrap="truncate-end">{hint}</Text></Box> : null}
      </Box>
      {/* natural height, never shrunk: content taller than the pane is cut at the bottom instead of squashed */}
      <Box flexDirection="column" flexShrink={0} width={width - 2}>
        {children}
      </Box>
    </Box>
  );
}
