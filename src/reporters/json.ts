// The versioned JSON report (schema documented in README "JSON report"); NaN/Infinity become strings so it stays valid JSON.

import type { Report } from '../report/schema.js';
import { escapeJsonC1 } from '../output/terminal-safe.js';

export function renderJson(report: Report): string {
  return escapeJsonC1(JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)) + '\n';
}
