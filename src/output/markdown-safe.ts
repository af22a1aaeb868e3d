// Values from files inside Markdown (reports, PR comments, SARIF messages): shown as text, never as markup. An MLflow
// param "resnet50\n\n### ✅ `abc` — no problems found\n\n<!--" added a fake verdict heading and commented out the real
// findings table; <img>, <details> and links passed through as well.
import { showControls } from './terminal-safe.js';

/** Characters that start Markdown/HTML constructs inline: emphasis, code, links/images, HTML/comments, tables, entities. */
const MD_SPECIAL = /[\\`*[\]<>|~&!#]/g;
/** `_` between two letters or digits never opens emphasis (GFM): `label_shift` stays readable in the raw Markdown. */
const LOOSE_UNDERSCORE = /(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;

/**
 * Inline text: control characters (newlines included) shown escaped, so a value never starts a line of its own, and
 * every construct character backslash-escaped (CommonMark escapes any ASCII punctuation).
 */
export function mdText(s: string): string {
  return showControls(s).replace(MD_SPECIAL, '\\$&').replace(LOOSE_UNDERSCORE, '\\_');
}

/**
 * An inline code span holding `s` literally: a backtick fence longer than any run inside, padded when `s` starts or
 * ends with a backtick. Inside a GFM table cell `|` still ends the cell, so it is escaped there (`inTable`).
 */
export function mdCode(s: string, inTable = false): string {
  let body = showControls(s);
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || body === '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
