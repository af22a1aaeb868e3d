// Decodes the few wandb_internal.Record kinds dann-doctor needs from a `.wandb` payload, by field number (wandb's
// wandb_internal.proto): Record.num 1, history 2, summary 3, config 5, run 17, exit 18. HistoryRecord: item 1
// (HistoryItem: key 1, nested_key 2, value_json 16), step 2 (HistoryStep.num 1). RunExitRecord: exit_code 1, runtime 2.
import { ProtoCursor, WIRE_LEN, WIRE_VARINT } from '../tfevents/protobuf.js';

export const F_HISTORY = 2;
export const F_SUMMARY = 3;
export const F_CONFIG = 5;
export const F_EXIT = 18;

export interface KeyValueJson {
  /** the key, with nested keys joined by '/' as W&B shows them */
  key: string;
  valueJson: string;
}

export type WandbRecord =
  | { kind: 'history'; step?: number; items: KeyValueJson[] }
  | { kind: 'summary'; items: KeyValueJson[] }
  | { kind: 'config'; items: KeyValueJson[] }
  | { kind: 'exit'; exitCode: number; runtime?: number }
  | { kind: 'other' };

/** HistoryItem / SummaryItem / ConfigItem share the layout key 1, nested_key 2, value_json 16. */
function readItem(c: ProtoCursor): KeyValueJson {
  let key = '';
  const nested: string[] = [];
  let valueJson = '';
  while (c.next()) {
    if (c.no === 1 && c.wire === WIRE_LEN) key = c.string();
    else if (c.no === 2 && c.wire === WIRE_LEN) nested.push(c.string());
    else if (c.no === 16 && c.wire === WIRE_LEN) valueJson = c.string();
    else c.skip(c.wire);
  }
  return { key: key || nested.join('/'), valueJson };
}

/** Reads repeated items (field `itemField`) and, for history, the step. */
function readItems(c: ProtoCursor, itemField: number): { items: KeyValueJson[]; step?: number } {
  const items: KeyValueJson[] = [];
  let step: number | undefined;
  while (c.next()) {
    if (c.no === itemField && c.wire === WIRE_LEN) items.push(readItem(c.sub()));
    else if (c.no === 2 && c.wire === WIRE_LEN && itemField === 1) {
      const s = c.sub();
      while (s.next()) {
        if (s.no === 1 && s.wire === WIRE_VARINT) step = s.varint();
        else s.skip(s.wire);
      }
    } else c.skip(c.wire);
  }
  return { items, step };
}

/** Decodes one Record payload; throws ProtoError on malformed bytes. */
export function decodeRecord(buf: Buffer): WandbRecord {
  const c = new ProtoCursor(buf);
  while (c.next()) {
    if (c.wire !== WIRE_LEN) { c.skip(c.wire); continue; }
    if (c.no === F_HISTORY) {
      const { items, step } = readItems(c.sub(), 1);
      return { kind: 'history', step, items };
    }
    if (c.no === F_SUMMARY) return { kind: 'summary', items: readItems(c.sub(), 1).items };
    if (c.no === F_CONFIG) return { kind: 'config', items: readItems(c.sub(), 1).items };
    if (c.no === F_EXIT) {
      const s = c.sub();
      let exitCode = 0;
      let runtime: number | undefined;
      while (s.next()) {
        if (s.no === 1 && s.wire === WIRE_VARINT) exitCode = s.varint() | 0;
        else if (s.no === 2 && s.wire === WIRE_VARINT) runtime = s.varint();
        else s.skip(s.wire);
      }
      return { kind: 'exit', exitCode, runtime };
    }
    c.skip(c.wire);
  }
  return { kind: 'other' };
}
