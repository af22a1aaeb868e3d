// Key bindings: maps one key press (as Ink reports it) to a reducer action, 'quit' or an export request; pure.
import type { Action, ExportFormat, UiState } from './ui-state.js';

/** The subset of Ink's Key this module reads (so tests need not build the whole object). */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

export type KeyResult = Exclude<Action, { type: 'key' }> | { type: 'quit'; code: number } | { type: 'export'; format: ExportFormat } | null;

/** Rows a PageUp/PageDown jumps: about one pane of findings or classes. */
export const PAGE_ROWS = 10;

/** Exit code after Ctrl-C, as a shell reports a SIGINT-terminated program. */
export const EXIT_INTERRUPTED = 130;

/** One line per binding, shown by `?` and in the footer. */
export const KEY_HELP: [string, string][] = [
  ['↑ ↓  j k', 'move in the focused pane'],
  ['⏎ Enter', 'open: run from the list / zoom the focused pane'],
  ['Tab  ⇧Tab', 'next / previous pane (findings, curves, per-class, t-SNE)'],
  ['Esc  ⌫', 'back (close zoom, help, or return to the run list)'],
  ['d  c', 'colour the t-SNE by domain / by class'],
  ['r', 'replay the run\'s game and its candidate fixes on the frozen features (Esc cancels, r again replays again)'],
  ['e', 'export the report (m Markdown, h HTML) to a file in the current directory'],
  ['?', 'this help'],
  ['q', 'quit'],
];

/** Control bytes a terminal sends for keys, when several keys arrive in one read (typed ahead, pasted). */
const CONTROL_KEYS: Record<string, KeyPress> = { '\r': { return: true }, '\n': { return: true }, '\t': { tab: true }, '\u007f': { backspace: true }, '\b': { backspace: true } };

/**
 * One read from the terminal as single key presses. Ink hands a chunk of plain characters over as one input
 * (`jj` typed fast or while a frame was drawing, `kkk` typed before the first frame); each is a key here.
 * Escape sequences (arrows) are already split by Ink and come with their flags: passed through as they are.
 */
export function splitKeys(input: string, key: KeyPress): { input: string; key: KeyPress }[] {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || input.includes('\u001b')) return [{ input, key }];
  return chars.map((ch) => {
    const control = CONTROL_KEYS[ch];
    if (control) return { input: '', key: control };
    return { input: ch, key: /[A-Z]/.test(ch) ? { shift: true } : {} };
  });
}

export function keyToAction(input: string, key: KeyPress, s: UiState): KeyResult {
  if (key.ctrl && input === 'c') return { type: 'quit', code: EXIT_INTERRUPTED };
  if (s.exportPrompt) {
    if (input === 'm') return { type: 'export', format: 'markdown' };
    if (input === 'h') return { type: 'export', format: 'html' };
    if (key.escape || input === 'e' || input === 'q') return { type: 'exportCancel' };
    return null;
  }
  if (s.help) {
    if (input === 'q') return { type: 'quit', code: 0 };
    if (input === '?' || key.escape || key.return) return { type: 'toggleHelp' };
    return null;
  }
  if (s.replayOpen) {
    if (input === 'q') return { type: 'quit', code: 0 };
    if (key.escape || key.backspace || key.delete) return { type: 'replayClose' };
    if (input === 'r') return { type: 'replayAgain' };
    if (input === '?') return { type: 'toggleHelp' };
    return null;
  }
  if (input === 'q') return { type: 'quit', code: 0 };
  if (input === '?') return { type: 'toggleHelp' };
  if (key.tab) return key.shift ? { type: 'focusPrev' } : { type: 'focusNext' };
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1 };
  if (key.pageUp) return { type: 'move', delta: -PAGE_ROWS };
  if (key.pageDown) return { type: 'move', delta: PAGE_ROWS };
  if (key.home || input === 'g') return { type: 'moveTo', where: 'first' };
  if (key.end || input === 'G') return { type: 'moveTo', where: 'last' };
  if (key.return) return { type: 'open' };
  if (key.escape || key.backspace || key.delete) return { type: 'back' };
  if (input === 'd') return { type: 'tsneColour', colour: 'domain' };
  if (input === 'c') return { type: 'tsneColour', colour: 'class' };
  if (input === 'e') return { type: 'exportPrompt' };
  if (input === 'r' && s.active !== null) return { type: 'replayOpen' };
  return null;
}
