// Pure parsers for single tllib log lines (formats.md 2.1-2.10): no state, no regex that can backtrack on long lines.
import { parsePythonNumber } from '../common/python-literal.js';

/** Exact powers of ten: a product or quotient of two exact doubles is correctly rounded (Clinger's fast path). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** More significant digits than this may not fit a double's 53-bit mantissa exactly; those take Number(). */
const MAX_FAST_DIGITS = 15;

/** Set by numberAt when the text was not a number (a return of `number | undefined` would box every double). */
let numberFailed = false;

/**
 * The number written in s[a..b) (spaces around it allowed) as Python prints it in a meter: plain, e-notation, nan,
 * inf, -inf. undefined when it is not one.
 */
export function numberIn(s: string, a: number, b: number): number | undefined {
  const v = numberAt(s, a, b);
  return numberFailed ? undefined : v;
}

/**
 * numberIn for the hot path: returns a plain double and sets `numberFailed` instead of returning undefined. Parses
 * in place (no substring), with the same result as Number() of the text: mantissa and power of ten are both exact,
 * so one multiplication or division rounds once.
 */
function numberAt(s: string, a: number, b: number): number {
  numberFailed = false;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  if (a >= b) {
    numberFailed = true;
    return NaN;
  }
  let i = a;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 45 /* - */) {
    neg = true;
    i++;
  } else if (c === 43 /* + */) i++;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let sawDot = false;
  let sawDigit = false;
  let exp = 0;
  for (; i < b; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      sawDigit = true;
      if (m !== 0 || c !== 48) digits++;
      m = m * 10 + (c - 48);
      if (sawDot) frac++;
    } else if (c === 46 /* . */ && !sawDot) sawDot = true;
    else break;
  }
  if (i < b && sawDigit && (c === 101 || c === 69) /* e E */) {
    i++;
    let eneg = false;
    c = s.charCodeAt(i);
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    const e0 = i;
    for (; i < b; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      exp = exp * 10 + (c - 48);
      if (exp > 9999) break;
    }
    if (i === e0) return slowAt(s, a, b);
    if (eneg) exp = -exp;
  }
  if (i !== b || !sawDigit || digits > MAX_FAST_DIGITS) return slowAt(s, a, b);
  const scale = exp - frac;
  let v: number;
  if (scale === 0) v = m;
  else if (scale > 0 && scale <= 22) v = m * POW10[scale];
  else if (scale < 0 && scale >= -22) v = m / POW10[-scale];
  else return slowAt(s, a, b);
  return neg ? -v : v;
}

function slowAt(s: string, a: number, b: number): number {
  const v = slowNumber(s, a, b);
  if (v === undefined) {
    numberFailed = true;
    return NaN;
  }
  return v;
}

function slowNumber(s: string, a: number, b: number): number | undefined {
  const t = s.slice(a, b);
  const c = t.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    // Number() also takes 0x10 and 0b1, which the logs never print
    const c1 = t.charCodeAt(1) | 0x20;
    if (t.length > 1 && (c1 === 120 || c1 === 98 || c1 === 111)) return parsePythonNumber(t);
    const v = Number(t);
    if (!Number.isNaN(v)) return v;
  }
  return parsePythonNumber(t);
}

/** numberIn over a whole string. */
export function parseMeterNumber(s: string): number | undefined {
  return numberIn(s, 0, s.length);
}

/** Where meterFieldIn puts its result (reused by the caller: no allocation per field). */
export interface MeterSlot {
  nameEnd: number;
  value: number;
  avg: number;
}

/**
 * `Name val (avg)` in s[a..b) -> true with the name's end and the numbers in `out`; false when the field is not
 * one (cut line, other shape). The name may contain spaces; values may be negative, nan, inf or e-notation.
 */
export function meterFieldIn(s: string, a: number, b: number, out: MeterSlot): boolean {
  let end = b - 1;
  while (end > a && s.charCodeAt(end) === 32) end--;
  if (end - a < 4 || s.charCodeAt(end) !== 41 /* ) */) return false;
  // a backward scan: String#lastIndexOf is a runtime call in V8, several times slower on this path
  let open = end - 1;
  while (open > a && s.charCodeAt(open) !== 40 /* ( */) open--;
  if (open <= a) return false;
  const avg = numberAt(s, open + 1, end);
  if (numberFailed) return false;
  let j = open - 1;
  while (j >= a && s.charCodeAt(j) === 32) j--;
  if (j < a) return false;
  const valEnd = j + 1;
  while (j >= a && s.charCodeAt(j) !== 32) j--;
  const value = numberAt(s, j + 1, valEnd);
  if (numberFailed) return false;
  while (j >= a && s.charCodeAt(j) === 32) j--;
  if (j < a) return false;
  out.nameEnd = j + 1;
  out.value = value;
  out.avg = avg;
  return true;
}

/** Parses a non-negative decimal int from s[start..end) with surrounding spaces, or -1. */
function intBetween(s: string, start: number, end: number): number {
  let i = start;
  while (i < end && s.charCodeAt(i) === 32) i++;
  let n = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) break;
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
    digits++;
    if (digits > 15) return -1;
  }
  for (; i < end; i++) if (s.charCodeAt(i) !== 32) return -1;
  return digits === 0 ? -1 : n;
}

export const TRAIN_PREFIX = 'Epoch: [';
export const TEST_PREFIX = 'Test: [';

/** The `[e][ i/N]` part of a progress line; the meters start at `fieldsFrom`. */
export interface ProgressHead {
  epoch: number;
  iter: number;
  total: number;
  fieldsFrom: number;
}

/** `Epoch: [e][ i/N]` head, or undefined when the brackets are malformed (a cut or foreign line). */
export function trainHead(s: string): ProgressHead | undefined {
  const p = TRAIN_PREFIX.length;
  const close1 = s.indexOf(']', p);
  if (close1 === -1 || close1 - p > 12) return undefined;
  const epoch = intBetween(s, p, close1);
  if (epoch < 0 || s.charCodeAt(close1 + 1) !== 91 /* [ */) return undefined;
  return iterTotal(s, close1 + 2, epoch);
}

/** `Test: [ i/N]` head (epoch -1). */
export function testHead(s: string): ProgressHead | undefined {
  return iterTotal(s, TEST_PREFIX.length, -1);
}

function iterTotal(s: string, from: number, epoch: number): ProgressHead | undefined {
  const close = s.indexOf(']', from);
  if (close === -1 || close - from > 40) return undefined;
  const slash = s.indexOf('/', from);
  if (slash === -1 || slash > close) return undefined;
  const iter = intBetween(s, from, slash);
  const total = intBetween(s, slash + 1, close);
  if (iter < 0 || total < 0) return undefined;
  return { epoch, iter, total, fieldsFrom: close + 1 };
}

/** Where badMeterFields reads each field into (one per module: no allocation per field). */
const FIELD_SLOT: MeterSlot = { nameEnd: 0, value: 0, avg: 0 };

/**
 * The tab-separated fields of a progress line from `from` that are not `Name val (avg)` meters (blank fields
 * skipped), or undefined when all are: the check of a validation line, which keeps no values.
 */
export function badMeterFields(s: string, from: number): string[] | undefined {
  let bad: string[] | undefined;
  let start = from;
  while (start < s.length) {
    let tab = s.indexOf('\t', start);
    if (tab === -1) tab = s.length;
    const a = start;
    start = tab + 1;
    if (blank(s, a, tab)) continue;
    if (!meterFieldIn(s, a, tab, FIELD_SLOT) || blank(s, a, FIELD_SLOT.nameEnd)) (bad ??= []).push(s.slice(a, tab));
  }
  return bad;
}

/** s.slice(a, b).trim() === '', without the substring when a printable character shows it is not. */
function blank(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 && c < 127) return false;
  }
  return s.slice(a, b).trim().length === 0;
}

/** ` * Acc@1 80.629`, ` * Acc@1 80.629 Acc@5 95.220`, MCD ` * Acc1 80.629 Acc2 79.245`. */
export interface Summary {
  acc1: number;
  acc5?: number;
  acc2?: number;
  /** the name as written: 'Acc@1' or 'Acc1' */
  rawName: string;
}

export function parseSummary(s: string): Summary | undefined {
  // s starts with ' * '
  const tokens = s.slice(3).trim().split(/ +/);
  if (tokens.length !== 2 && tokens.length !== 4) return undefined;
  const name = tokens[0];
  if (name !== 'Acc@1' && name !== 'Acc1') return undefined;
  const acc1 = parseMeterNumber(tokens[1]);
  if (acc1 === undefined) return undefined;
  const out: Summary = { acc1, rawName: name };
  if (tokens.length === 4) {
    const v = parseMeterNumber(tokens[3]);
    if (v === undefined) return undefined;
    if (tokens[2] === 'Acc@5') out.acc5 = v;
    else if (tokens[2] === 'Acc2') out.acc2 = v;
    else return undefined;
  }
  return out;
}

/** Where a named score's '=' may be at most (` * precision macro = `). */
export const MAX_SCORE_NAME_END = 60;

/** The score name in a named score's text before '=' (` * F1 macro ` -> `F1 macro`), or undefined. */
export function namedScoreName(head: string): string | undefined {
  const name = head.replace(/^ \* /, '').trim();
  return /^[A-Za-z][A-Za-z0-9 _-]*$/.test(name) ? name : undefined;
}

/**
 * parseMeterNumber(s.slice(from).trim()), read in place when only spaces surround the number (the usual case):
 * no substring, same result.
 */
export function numberFrom(s: string, from: number): number | undefined {
  const v = numberAt(s, from, s.length);
  return numberFailed ? parseMeterNumber(s.slice(from).trim()) : v;
}

/** `lr: 0.001`, `lr: [0.0004, 0.004]`, bare `[0.01, 0.01, 0.01]`: the first (backbone group) lr and the count. */
export function parseLrList(inner: string): number[] | undefined {
  const parts = inner.split(',');
  const out: number[] = [];
  for (const p of parts) {
    const v = parseMeterNumber(p.trim());
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out.length > 0 ? out : undefined;
}

export function parseLrLine(s: string): number[] | undefined {
  const rest = s.slice(3).trim(); // after 'lr:'
  if (rest.startsWith('[')) return rest.endsWith(']') ? parseLrList(rest.slice(1, -1)) : undefined;
  const v = parseMeterNumber(rest);
  return v === undefined ? undefined : [v];
}

/** A bare Python float line (`0.001` in dalib-era logs, `89.68553458159825` after a test-phase summary). */
export function parseBareNumber(s: string): number | undefined {
  const t = s.trim();
  if (t.length === 0 || t.length > 40) return undefined;
  return parseMeterNumber(t);
}

/** `(80.6, 79.2)` -> numbers, for MCD's tuple prints. */
export function parseNumberTuple(s: string): number[] | undefined {
  const t = s.trim();
  if (!t.startsWith('(') || !t.endsWith(')') || t.length > 200) return undefined;
  return parseLrList(t.slice(1, -1));
}

/** `best_acc1 = 80.6` or `best_acc1 = 80.6, results = (80.62, 79.24)`. */
export function parseBestAcc(s: string): { value: number; results?: string } | undefined {
  const rest = s.slice('best_acc1 ='.length);
  const comma = rest.indexOf(',');
  const value = parseMeterNumber((comma === -1 ? rest : rest.slice(0, comma)).trim());
  if (value === undefined) return undefined;
  if (comma === -1) return { value };
  const r = rest.slice(comma + 1).trim();
  return { value, results: r.startsWith('results =') ? r.slice('results ='.length).trim() : r };
}

/** `key = number` after a fixed prefix such as `test_acc1 =`. */
export function numberAfter(s: string, prefix: string): number | undefined {
  return numberFrom(s, prefix.length);
}

/** `epoch 3 accuracy: 88.96 A-dist: 1.5584` of the analysis phase. */
export function parseAnalysisEpoch(s: string): { epoch: number; accuracy: number; aDist: number } | undefined {
  const t = s.split(' ');
  // ['epoch', '3', 'accuracy:', '88.96', 'A-dist:', '1.55']
  if (t.length !== 6 || t[0] !== 'epoch' || t[2] !== 'accuracy:' || t[4] !== 'A-dist:') return undefined;
  const epoch = intBetween(t[1], 0, t[1].length);
  const accuracy = parseMeterNumber(t[3]);
  const aDist = parseMeterNumber(t[5]);
  if (epoch < 0 || accuracy === undefined || aDist === undefined) return undefined;
  return { epoch, accuracy, aDist };
}

/** `A-distance = tensor(1.3640, device='cuda:0')`, `A-distance = tensor(1.3640)`, `A-distance = 1.364`. */
export function parseADistance(s: string): number | undefined {
  let rest = s.slice('A-distance ='.length).trim();
  if (rest.startsWith('tensor(')) {
    rest = rest.slice('tensor('.length);
    const end = rest.search(/[,)]/);
    if (end === -1) return undefined;
    rest = rest.slice(0, end);
  }
  return parseMeterNumber(rest.trim());
}

/** One `| name | acc | iou |` row of the per-class prettytable; names may hold spaces (and, rarely, '|'). */
export function parseTableRow(s: string): { cells: string[] } | undefined {
  const t = s.trimEnd();
  if (!t.startsWith('|') || !t.endsWith('|') || t.length < 3) return undefined;
  // t.slice(1, -1).split('|').map((c) => c.trim()), one substring per cell instead of two (a hot line kind)
  const cells: string[] = [];
  const end = t.length - 1;
  let a = 1;
  for (;;) {
    let bar = t.indexOf('|', a);
    if (bar === -1 || bar > end) bar = end;
    let x = a;
    let y = bar;
    while (x < y && t.charCodeAt(x) === 32) x++;
    while (y > x && t.charCodeAt(y - 1) === 32) y--;
    let cell = t.slice(x, y);
    // whitespace other than ' ' at either end: trim() decides exactly what goes
    if (x < y && (notPrintable(t.charCodeAt(x)) || notPrintable(t.charCodeAt(y - 1)))) cell = cell.trim();
    cells.push(cell);
    if (bar === end) break;
    a = bar + 1;
  }
  return { cells };
}

/** Outside printable ASCII: may be whitespace to String#trim. */
function notPrintable(c: number): boolean {
  return c < 33 || c > 126;
}

/** `Traceback`-ending line `torch.cuda.OutOfMemoryError: CUDA out of memory` -> type and message. */
export function parseExceptionLine(s: string): { type: string; message: string } | undefined {
  if (s.length === 0 || s.charCodeAt(0) === 32 || s.charCodeAt(0) === 9) return undefined;
  const colon = s.indexOf(':');
  const type = (colon === -1 ? s : s.slice(0, colon)).trim();
  if (!/^[A-Za-z_][\w.]*$/.test(type) || type.length > 120 || NOT_EXCEPTIONS.has(type)) return undefined;
  // a bare word is an exception only when named like one (`KeyboardInterrupt`), not any printed word
  if (colon === -1 && !EXCEPTION_NAME.test(type)) return undefined;
  return { type, message: colon === -1 ? '' : s.slice(colon + 1).trim() };
}

/** Line heads of tllib's own output that look like `Name: text` but are never exceptions. */
const NOT_EXCEPTIONS = new Set(['Epoch', 'Test', 'lr', 'Namespace', 'train_transform', 'val_transform', 'global correct', 'mean correct', 'mean IoU']);
/** How Python exception classes are named (builtins and the usual library ones). */
const EXCEPTION_NAME = /(Error|Exception|Interrupt|Exit|Iteration|Warning)$/;
