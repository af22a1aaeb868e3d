// Byte-level twins of the hot parsers in line-parsers.ts (training lines), for ASCII lines read straight from the buffer.

/**
 * scanNumber's result. A double returned from a function that V8 does not inline is boxed (one heap allocation per
 * number: millions in a big log); a typed-array slot is not.
 */
const NUM = new Float64Array(1);

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Beyond this many significant digits the mantissa may not be exact; the string parser takes over. */
const MAX_FAST_DIGITS = 15;

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

/**
 * Reads a number forward from buf[i] (sign, digits, one '.', optional exponent), stopping at the first byte that
 * cannot continue it. Returns the index after it with the value in NUM[0], or -1 (no number, or nan/inf, which the
 * text path handles).
 */
function scanNumber(buf: Uint8Array, i: number, end: number): number {
  const a = i;
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
  for (; i < end; i++) {
    c = buf[i];
    if (c >= 48 && c <= 57) {
      sawDigit = true;
      if (m !== 0 || c !== 48) digits++;
      m = m * 10 + (c - 48);
      if (sawDot) frac++;
    } else if (c === 46 && !sawDot) sawDot = true;
    else break;
  }
  if (!sawDigit) return -1;
  let exp = 0;
  if (i < end && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (buf[i] === 45 || buf[i] === 43) {
      eneg = buf[i] === 45;
      i++;
    }
    const e0 = i;
    for (; i < end; i++) {
      c = buf[i];
      if (c < 48 || c > 57) break;
      exp = exp * 10 + (c - 48);
      if (exp > 9999) return -1;
    }
    if (i === e0) return -1;
    if (eneg) exp = -exp;
  }
  const scale = exp - frac;
  if (digits > MAX_FAST_DIGITS || scale > 22 || scale < -22) {
    const v = Number(Buffer.from(buf.buffer, buf.byteOffset + a, i - a).toString('latin1'));
    if (Number.isNaN(v)) return -1;
    NUM[0] = v;
    return i;
  }
  const v = scale === 0 ? m : scale > 0 ? m * POW10[scale] : m / POW10[-scale];
  NUM[0] = neg ? -v : v;
  return i;
}

/**
 * The meters of a training line when they are exactly `names` (UTF-8 bytes), in order, each as `\tName val (avg)` (ProgressMeter's
 * layout), from buf[i] to `end`. One forward pass; true with values[k] / avgs[k] filled. false for anything else
 * (other meters, nan, a cut line): the caller then takes the text path, which gives the same numbers where both apply.
 */
export function fastMeters(buf: Uint8Array, i: number, end: number, names: readonly Uint8Array[], values: Float64Array, avgs: Float64Array): boolean {
  for (let k = 0; k < names.length; k++) {
    if (buf[i] !== 9) return false;
    i++;
    const name = names[k];
    const nl = name.length;
    if (i + nl >= end) return false;
    for (let q = 0; q < nl; q++) if (buf[i + q] !== name[q]) return false;
    i += nl;
    if (buf[i] !== 32) return false;
    while (buf[i] === 32) i++;
    i = scanNumber(buf, i, end);
    if (i < 0 || buf[i] !== 32) return false;
    values[k] = NUM[0];
    i++;
    if (buf[i] !== 40) return false;
    i++;
    while (buf[i] === 32) i++;
    i = scanNumber(buf, i, end);
    if (i < 0 || buf[i] !== 41) return false;
    avgs[k] = NUM[0];
    i++;
  }
  return i === end;
}

/** Where the parts of a training line's head are, relative to its start (see headShape). */
export interface HeadShape {
  /** length of `Epoch: [e][` */
  prefixLen: number;
  /** offset of the `N]` after the '/' */
  tailFrom: number;
  /** length of `N]` */
  tailLen: number;
}

/** The shape of a head that trainHeadBytes accepts at buf[start..end) (false for any other line). */
export function headShape(buf: Uint8Array, start: number, end: number, out: HeadShape, h: HeadSlot): boolean {
  if (!trainHeadBytes(buf, start, end, h)) return false;
  const close1 = indexOfByte(buf, 93, start + 8, end);
  const slash = indexOfByte(buf, 47, close1 + 2, end);
  out.prefixLen = close1 + 2 - start;
  out.tailFrom = slash + 1 - start;
  out.tailLen = h.fieldsFrom - (slash + 1);
  return true;
}

/**
 * The iteration of the training line at buf[s..end) when its head is the template's (buf[tStart..], of shape `shape`)
 * but for the iteration (spaces, then digits right before the '/'): same epoch and total as the template, and
 * trainHeadBytes would read this iteration (also put in out.iter, with out.fieldsFrom; epoch and total are left as
 * they are). -1 when that is not certain (the caller then asks trainHeadBytes). `dv` views the same bytes as `buf`:
 * the fixed parts are compared 4 bytes at a time (DataView reads compile to single loads; this runs on every line
 * the thinning drops).
 */
export function iterOfSameHead(buf: Uint8Array, dv: DataView, s: number, end: number, tStart: number, shape: HeadShape, out: HeadSlot): number {
  const p = shape.prefixLen;
  if (end - s < 14 || s + p >= end) return -1;
  if (!sameBytes(buf, dv, s, tStart, p)) return -1;
  const from = s + p;
  let j = from;
  while (j < end && buf[j] === 32) j++;
  const d0 = j;
  let iter = 0;
  for (; j < end; j++) {
    const c = buf[j];
    if (c < 48 || c > 57) break;
    iter = iter * 10 + (c - 48);
  }
  if (j === d0 || j - d0 > 15 || buf[j] !== 47 /* / */) return -1;
  const n = shape.tailLen;
  const close = j + n; // the ']' (the tail ends with it, and holds no other)
  // trainHeadBytes looks for the ']' within 41 bytes of the '[' and before the end
  if (close >= end || close - from >= 41) return -1;
  if (!sameBytes(buf, dv, j + 1, tStart + shape.tailFrom, n)) return -1;
  out.iter = iter;
  out.fieldsFrom = close + 1;
  return iter;
}

/** buf[a..a+n) equals buf[b..b+n) (dv views buf). */
function sameBytes(buf: Uint8Array, dv: DataView, a: number, b: number, n: number): boolean {
  let k = 0;
  for (; k + 4 <= n; k += 4) if (dv.getUint32(a + k) !== dv.getUint32(b + k)) return false;
  for (; k < n; k++) if (buf[a + k] !== buf[b + k]) return false;
  return true;
}
