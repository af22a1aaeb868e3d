// Byte-level twins of the hot parsers in line-parsers.ts (training lines), for ASCII lines read straight from the buffer.
import { numberIn } from './line-parsers.js';

/** Set when the last numberAtBytes call did not find a number (returning undefined would box every double). */
let failed = false;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Beyond this many significant digits the mantissa may not be exact; the string parser takes over. */
const MAX_FAST_DIGITS = 15;

/**
 * The number in buf[a..b) (spaces around allowed); sets `failed` when there is none. Exact for what it accepts (an
 * exact mantissa times or divided by an exact power of ten rounds once, as Number() does); anything else (nan, inf,
 * long mantissas) is decoded and handed to numberIn.
 */
export function numberAtBytes(buf: Uint8Array, a: number, b: number): number {
  failed = false;
  while (a < b && buf[a] === 32) a++;
  while (b > a && buf[b - 1] === 32) b--;
  if (a >= b) {
    failed = true;
    return NaN;
  }
  let i = a;
  let neg = false;
  let c = buf[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let sawDot = false;
  let sawDigit = false;
  let exp = 0;
  for (; i < b; i++) {
    c = buf[i];
    if (c >= 48 && c <= 57) {
      sawDigit = true;
      if (m !== 0 || c !== 48) digits++;
      m = m * 10 + (c - 48);
      if (sawDot) frac++;
    } else if (c === 46 && !sawDot) sawDot = true;
    else break;
  }
  if (i < b && sawDigit && (c === 101 || c === 69)) {
    i++;
    let eneg = false;
    c = buf[i];
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    const e0 = i;
    for (; i < b; i++) {
      c = buf[i];
      if (c < 48 || c > 57 || exp > 9999) break;
      exp = exp * 10 + (c - 48);
    }
    if (i === e0) return slow(buf, a, b);
    if (eneg) exp = -exp;
  }
  if (i !== b || !sawDigit || digits > MAX_FAST_DIGITS) return slow(buf, a, b);
  const scale = exp - frac;
  let v: number;
  if (scale === 0) v = m;
  else if (scale > 0 && scale <= 22) v = m * POW10[scale];
  else if (scale < 0 && scale >= -22) v = m / POW10[-scale];
  else return slow(buf, a, b);
  return neg ? -v : v;
}

function slow(buf: Uint8Array, a: number, b: number): number {
  for (let i = a; i < b; i++) {
    if (buf[i] > 126 || buf[i] < 32) {
      failed = true;
      return NaN;
    }
  }
  const v = numberIn(Buffer.from(buf.buffer, buf.byteOffset + a, b - a).toString('latin1'), 0, b - a);
  if (v === undefined) {
    failed = true;
    return NaN;
  }
  return v;
}

/** `Epoch: [` */
const PREFIX = [69, 112, 111, 99, 104, 58, 32, 91];

/** Scratch results of trainHeadBytes. */
export interface HeadSlot {
  epoch: number;
  iter: number;
  total: number;
  fieldsFrom: number;
}

/** Non-negative int in buf[a..b) with spaces around, or -1. */
function intBytes(buf: Uint8Array, a: number, b: number): number {
  while (a < b && buf[a] === 32) a++;
  while (b > a && buf[b - 1] === 32) b--;
  if (a >= b || b - a > 15) return -1;
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = buf[i];
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

function indexOfByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === byte) return i;
  return -1;
}

/** `Epoch: [e][ i/N]` at buf[start..end) -> true with the numbers in `out`. */
export function trainHeadBytes(buf: Uint8Array, start: number, end: number, out: HeadSlot): boolean {
  if (end - start < 14) return false;
  for (let k = 0; k < 8; k++) if (buf[start + k] !== PREFIX[k]) return false;
  const p = start + 8;
  const close1 = indexOfByte(buf, 93, p, Math.min(end, p + 13));
  if (close1 === -1 || buf[close1 + 1] !== 91) return false;
  const epoch = intBytes(buf, p, close1);
  const from = close1 + 2;
  const close = indexOfByte(buf, 93, from, Math.min(end, from + 41));
  if (epoch < 0 || close === -1) return false;
  const slash = indexOfByte(buf, 47, from, close);
  if (slash === -1) return false;
  const iter = intBytes(buf, from, slash);
  const total = intBytes(buf, slash + 1, close);
  if (iter < 0 || total < 0) return false;
  out.epoch = epoch;
  out.iter = iter;
  out.total = total;
  out.fieldsFrom = close + 1;
  return true;
}

/** Scratch results of meterFieldBytes. */
export interface FieldSlot {
  nameStart: number;
  nameEnd: number;
  value: number;
  avg: number;
}

/** `Name val (avg)` in buf[a..b) -> true with positions and numbers in `out` (see meterFieldIn). */
export function meterFieldBytes(buf: Uint8Array, a: number, b: number, out: FieldSlot): boolean {
  while (a < b && buf[a] === 32) a++;
  let end = b - 1;
  while (end > a && buf[end] === 32) end--;
  if (end - a < 4 || buf[end] !== 41) return false;
  let open = end - 1;
  while (open > a && buf[open] !== 40) open--;
  if (open <= a) return false;
  const avg = numberAtBytes(buf, open + 1, end);
  if (failed) return false;
  let j = open - 1;
  while (j >= a && buf[j] === 32) j--;
  if (j < a) return false;
  const valEnd = j + 1;
  while (j >= a && buf[j] !== 32) j--;
  const value = numberAtBytes(buf, j + 1, valEnd);
  if (failed) return false;
  while (j >= a && buf[j] === 32) j--;
  if (j < a) return false;
  out.nameStart = a;
  out.nameEnd = j + 1;
  out.value = value;
  out.avg = avg;
  return true;
}

/** buf[a..b) holds exactly the characters of `s` (ASCII names; any other name never matches, so it takes the text path). */
export function bytesEqual(buf: Uint8Array, a: number, b: number, s: string): boolean {
  if (b - a !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (buf[a + i] !== s.charCodeAt(i)) return false;
  return true;
}
