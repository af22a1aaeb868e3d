// Colour policy for the UI: colours carry meaning (severity, focus) and disappear entirely under NO_COLOR.
import { createContext, useContext } from 'react';
import type { Severity } from '../report/schema.js';

export interface Theme {
  color: boolean;
}

export const ThemeContext = createContext<Theme>({ color: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

const SEVERITY_COLOUR: Record<Severity | 'ok', string> = { error: 'red', warn: 'yellow', info: 'blue', ok: 'green' };

/** Ink colour name for a severity, or undefined when colour is off (Ink then emits no colour codes). */
export function severityColour(theme: Theme, s: Severity | 'ok'): string | undefined {
  return theme.color ? SEVERITY_COLOUR[s] : undefined;
}

/** A named accent colour, or undefined when colour is off. */
export function accent(theme: Theme, name: string): string | undefined {
  return theme.color ? name : undefined;
}

/** Should colour be used? NO_COLOR (any non-empty value, per no-color.org) turns it off; FORCE_COLOR=0 too. */
export function colourEnabled(env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0') return false;
  return true;
}
