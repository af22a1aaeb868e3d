// Reads the numbers of one console line and the words that name them, for prints dann-doctor has no reader for:
// `key: value, key2: value2`, `key=value`, `Epoch 3: acc 0.91 loss 0.2`, `epoch: 001, accuracy of the svhn dataset:
// 0.28`, `Task: A, Iter:400/4000; Accuracy = 88.65%`, `Accuracy = 78.71% -> 90.56%`. One left-to-right pass with
// character tests (no backtracking regex), so any line costs time linear in its length.

export interface ScannedField {
  /** the words before the number, as written (trimmed of `:`, `=`, brackets and separators) */
  key: string;
  value: number;
  /** `400/4000` gives value 400, total 4000 */
  total?: number;
  percent: boolean;
}

export interface ScannedLine {
  fields: ScannedField[];
  /** `Task: A` — a segment naming something without a number */
  texts: { key: string; text: string }[];
}

/** Segment separators between `key value` pairs. */
const SEPARATORS = new Set([',', ';', '|', '\t']);
/**
 * Characters trimmed off the ends of a key. Trimmed with index scans, not a `[...]+$` regex: that one backtracks
 * quadratically over a long run of such characters inside a key (60,000 spaces took 17 s).
 */
const KEY_TRIM_CHARS = new Set([...' \t\r\n\f\v:=[](){}<>|,;*#-']);
/** Keys longer than this are prose, not a metric name; the tail words are kept. */
const MAX_KEY_CHARS = 48;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

function cleanKey(raw: string): string {
  let a = 0;
  let b = raw.length;
  while (a < b && KEY_TRIM_CHARS.has(raw[a])) a++;
  while (b > a && KEY_TRIM_CHARS.has(raw[b - 1])) b--;
  let k = raw.slice(a, b).replace(/\s+/g, ' ');
  if (k.length > MAX_KEY_CHARS) {
    const cut = k.slice(-MAX_KEY_CHARS);
    const sp = cut.indexOf(' ');
    k = sp === -1 ? cut : cut.slice(sp + 1);
  }
  return k;
}

/** Word values Python prints for non-finite floats, read where a number would be. */
function nonFiniteAt(s: string, i: number): { value: number; len: number } | undefined {
  const low = s.slice(i, i + 4).toLowerCase();
  let sign = 1;
  let j = i;
  if (s[j] === '-' || s[j] === '+') { sign = s[j] === '-' ? -1 : 1; j++; }
  const w = s.slice(j, j + 3).toLowerCase();
  const after = s.charCodeAt(j + 3);
  if ((w === 'nan' || w === 'inf') && !(isLetter(after) && !(w === 'inf' && s.slice(j, j + 8).toLowerCase() === 'infinity'))) {
    if (w === 'nan') return { value: NaN, len: j - i + 3 };
    const len = s.slice(j, j + 8).toLowerCase() === 'infinity' ? 8 : 3;
    return { value: sign * Infinity, len: j - i + len };
  }
  void low;
  return undefined;
}

/** Scans one line. Dates, clock times and numbers glued to letters (`acc1`, `0x7f`, `env0_in`) are not values. */
export function scanLine(s: string): ScannedLine {
  const fields: ScannedField[] = [];
  const texts: { key: string; text: string }[] = [];
  let keyStart = 0; // start of the text that names the next number
  let segHasNumber = false;
  const n = s.length;
  let i = 0;
  const endSegment = (at: number): void => {
    if (!segHasNumber) {
      const seg = s.slice(keyStart, at);
      const colon = seg.search(/[:=]/);
      if (colon > 0) {
        const key = cleanKey(seg.slice(0, colon));
        const text = seg.slice(colon + 1).trim();
        if (key && text && key.length <= MAX_KEY_CHARS) texts.push({ key, text });
      }
    }
    keyStart = at + 1;
    segHasNumber = false;
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (SEPARATORS.has(s[i])) { endSegment(i); i++; continue; }
    const prev = i > 0 ? s.charCodeAt(i - 1) : 32;
    const signed = (c === 45 || c === 43) && i + 1 < n && (isDigit(s.charCodeAt(i + 1)) || s[i + 1] === '.') && !isLetter(prev) && !isDigit(prev);
    const startsNumber = (isDigit(c) || (c === 46 && i + 1 < n && isDigit(s.charCodeAt(i + 1))) || signed) && !isLetter(prev) && !isDigit(prev) && prev !== 46;
    const nf = !startsNumber && (c === 110 || c === 78 || c === 105 || c === 73 || c === 45 || c === 43) && !isLetter(prev) ? nonFiniteAt(s, i) : undefined;
    if (!startsNumber && !nf) { i++; continue; }
    let j = i;
    let value: number;
    if (nf) {
      // only a value where a key precedes it (`loss: nan`), never a word in prose
      const before = s.slice(keyStart, i).trimEnd();
      const last = before.charCodeAt(before.length - 1);
      if (!(last === 58 || last === 61 || isLetter(last))) { i++; continue; }
      value = nf.value;
      j = i + nf.len;
    } else {
      if (c === 45 || c === 43) j++;
      while (j < n && isDigit(s.charCodeAt(j))) j++;
      if (j < n && s[j] === '.') { j++; while (j < n && isDigit(s.charCodeAt(j))) j++; }
      if (j < n && (s[j] === 'e' || s[j] === 'E')) {
        let k = j + 1;
        if (k < n && (s[k] === '+' || s[k] === '-')) k++;
        if (k < n && isDigit(s.charCodeAt(k))) { j = k; while (j < n && isDigit(s.charCodeAt(j))) j++; }
      }
      const next = j < n ? s.charCodeAt(j) : 32;
      // glued to letters (`3x`, `0x7f`, `2nd`), a clock time (`0:01:23`), a date (`2024-04-13`) or a version
      // (`1.2.3`): not a value; skip the whole token
      const clock = next === 58 && j + 1 < n && isDigit(s.charCodeAt(j + 1));
      const dashed = next === 45 && j + 1 < n && isDigit(s.charCodeAt(j + 1));
      const dotted = next === 46 && j + 1 < n && isDigit(s.charCodeAt(j + 1));
      if ((isLetter(next) && !(next === 37)) || clock || dashed || dotted) {
        while (j < n && !SEPARATORS.has(s[j]) && s.charCodeAt(j) !== 32) j++;
        keyStart = j;
        i = j;
        continue;
      }
      value = Number(s.slice(i, j));
    }
    let percent = false;
    if (j < n && s[j] === '%') { percent = true; j++; }
    let total: number | undefined;
    if (j + 1 < n && s[j] === '/' && isDigit(s.charCodeAt(j + 1))) {
      let k = j + 1;
      while (k < n && isDigit(s.charCodeAt(k))) k++;
      if (k >= n || !isLetter(s.charCodeAt(k))) { total = Number(s.slice(j + 1, k)); j = k; }
    }
    const rawKey = s.slice(keyStart, i);
    let key = cleanKey(rawKey);
    const prevField = fields[fields.length - 1];
    if (!key && prevField && /(->|→|=>)\s*$/.test(rawKey)) key = `${prevField.key} (after)`;
    else if (/(->|→|=>)/.test(rawKey) && prevField && cleanKey(rawKey.replace(/.*(->|→|=>)/, '')) === '') key = `${prevField.key} (after)`;
    fields.push({ key, value, ...(total !== undefined ? { total } : {}), percent });
    segHasNumber = true;
    keyStart = j;
    i = j;
  }
  endSegment(n);
  // `Accuracy = a% -> b%`: the first of the pair is the value before
  for (let f = 1; f < fields.length; f++) {
    if (fields[f].key === `${fields[f - 1].key} (after)` && !fields[f - 1].key.endsWith('(before)')) fields[f - 1] = { ...fields[f - 1], key: `${fields[f - 1].key} (before)` };
  }
  return { fields, texts };
}
