// Which logged per-class table stands for the run's final model, and how to name it. The rule (per-class-imbalance),
// the UI's per-class pane and the HTML chart pick with this one function and say the same words, so a finding and a
// chart never quote two different tables without saying so.
import type { PerClassTable } from './types.js';
import { shownEpoch, type EpochBase } from './epoch-numbering.js';

/**
 * The final model's table of one domain: the last validation epoch's (it matches the final numbers in the header);
 * else the last test-phase table (best checkpoint); else the last table logged. Tables need at least `minRows` rows.
 */
export function finalPerClassTable(tables: readonly PerClassTable[], domain: 'source' | 'target', minRows = 1): PerClassTable | undefined {
  const pool = tables.filter((t) => t.domain === domain && t.rows.length >= minRows);
  let best: PerClassTable | undefined;
  for (const t of pool) if (t.phase === 'val' && t.epoch !== undefined && (best?.epoch === undefined || t.epoch >= best.epoch)) best = t;
  return best ?? pool.filter((t) => t.phase === 'test').at(-1) ?? pool.at(-1);
}

/** "log val table, epoch 15 at train.txt:812": which table, which epoch (as the log numbers it), where. */
export function perClassTableLabel(t: PerClassTable, base: EpochBase | undefined): string {
  const file = t.file.split(/[\\/]/).at(-1) ?? t.file;
  const where = t.line !== undefined ? `${file}:${t.line}` : file;
  return `${t.origin === 'log' ? 'log' : 'evaluation'} ${t.phase} table${t.epoch !== undefined ? `, epoch ${shownEpoch(t.epoch, base)}` : ''} at ${where}`;
}
