// The versioned JSON report (schema documented in README "JSON report"). Standard JSON: NaN/Infinity are written as
// null and listed, with their pointers, under the top-level `nonFinite` (output/finite-json.ts).

import type { Report } from '../report/schema.js';
import { escapeJsonC1 } from '../output/terminal-safe.js';
import { stringifyFinite } from '../output/finite-json.js';

export function renderJson(report: Report): string {
  return escapeJsonC1(stringifyFinite(report)) + '\n';
}
