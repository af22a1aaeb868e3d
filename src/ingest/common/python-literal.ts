// Parses the Python literals that `print(args)` writes (argparse Namespace reprs) into typed hyperparameters.
import type { HyperValue } from '../../model/types.js';

/** Thrown by parsePythonLiteral for text that is not one complete literal; `offset` is a character index. */
export class PythonLiteralError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at character ${offset}`);
    this.name = 'PythonLiteralError';
    this.offset = offset;
  }
}

/**
 * Nesting deeper than this is not a hyperparameter; refusing it keeps the recursive parser off the stack limit
 * on hostile input.
 */
const MAX_DEPTH = 64;

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '',
};

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentChar(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/**
 * Python number text -> number, or undefined. Accepts what `repr()` prints (ints, floats, 1e-05, inf, nan) plus
 * underscores and 0x/0o/0b ints.
 */
export function parsePythonNumber(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const lower = t.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  if (/^0[xob][0-9a-f_]+$/.test(body)) {
    const v = Number(body.replace(/_/g, ''));
    return Number.isNaN(v) ? undefined : sign * v;
  }
  if (!/^(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$/.test(body)) return undefined;
  const v = Number(body.replace(/_/g, ''));
  return Number.isNaN(v) ? undefined : sign * v;
}

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  skipSpace(): void {
    while (this.pos < this.src.length && isSpace(this.src[this.pos])) this.pos++;
  }

  value(depth: number): HyperValue {
    if (depth > MAX_DEPTH) throw new PythonLiteralError('nesting too deep', this.pos);
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === undefined) throw new PythonLiteralError('unexpected end of input', this.pos);
    if (c === "'" || c === '"') return this.string();
    if ((c === 'r' || c === 'R' || c === 'b' || c === 'B' || c === 'u' || c === 'U') && this.stringPrefixLength() > 0) {
      return this.string();
    }
    if (c === '[') return this.sequence(']', depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.number();
    if (isIdentStart(c)) return this.name(depth);
    return this.raw(depth);
  }

  /** Length of a string prefix (r, b, rb, u ...) directly followed by a quote, else 0. */
  stringPrefixLength(): number {
    let i = this.pos;
    while (i < this.src.length && i - this.pos < 2 && /[rRbBuU]/.test(this.src[i])) i++;
    const q = this.src[i];
    return q === "'" || q === '"' ? i - this.pos : 0;
  }

  string(): string {
    let raw = false;
    while (this.src[this.pos] !== "'" && this.src[this.pos] !== '"') {
      if (this.src[this.pos] === 'r' || this.src[this.pos] === 'R') raw = true;
      this.pos++;
    }
    const quote = this.src[this.pos];
    const triple = this.src.startsWith(quote.repeat(3), this.pos);
    const close = triple ? quote.repeat(3) : quote;
    const start = this.pos;
    this.pos += close.length;
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) throw new PythonLiteralError('unterminated string', start);
      if (this.src.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      const ch = this.src[this.pos];
      if (ch === '\\') {
        const next = this.src[this.pos + 1];
        if (next === undefined) throw new PythonLiteralError('unterminated string', start);
        if (raw) {
          out += ch + next;
          this.pos += 2;
          continue;
        }
        this.pos += 2;
        if (next in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[next];
        else if (next === 'x' || next === 'u' || next === 'U') {
          const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
          const hex = this.src.slice(this.pos, this.pos + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new PythonLiteralError(`bad \\${next} escape`, this.pos);
          out += String.fromCodePoint(parseInt(hex, 16));
          this.pos += len;
        } else if (next >= '0' && next <= '7') {
          let oct = next;
          while (oct.length < 3 && /[0-7]/.test(this.src[this.pos] ?? '')) oct += this.src[this.pos++];
          out += String.fromCharCode(parseInt(oct, 8));
        } else out += '\\' + next; // Python keeps unknown escapes verbatim
        continue;
      }
      if (!triple && ch === '\n') throw new PythonLiteralError('newline in string', this.pos);
      out += ch;
      this.pos++;
    }
  }

  /** A list or tuple; both become arrays. `(x)` without a comma is just x. */
  sequence(close: ']' | ')', depth: number): HyperValue {
    const open = this.pos;
    this.pos++;
    const items: HyperValue[] = [];
    let sawComma = false;
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === close) {
        this.pos++;
        if (close === ')' && items.length === 1 && !sawComma) return items[0];
        return items;
      }
      if (this.pos >= this.src.length) throw new PythonLiteralError(`unclosed '${this.src[open]}'`, open);
      items.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === ',') {
        sawComma = true;
        this.pos++;
      } else if (c !== close) {
        if (c === undefined) throw new PythonLiteralError(`unclosed '${this.src[open]}'`, open);
        throw new PythonLiteralError(`expected ',' or '${close}'`, this.pos);
      }
    }
  }

  number(): HyperValue {
    const start = this.pos;
    if (this.src[this.pos] === '-' || this.src[this.pos] === '+') this.pos++;
    // `-inf` / `-nan`
    if (isIdentStart(this.src[this.pos] ?? '')) {
      while (this.pos < this.src.length && isIdentChar(this.src[this.pos])) this.pos++;
    } else {
      while (this.pos < this.src.length && /[0-9a-zA-Z_.]/.test(this.src[this.pos])) {
        const c = this.src[this.pos];
        this.pos++;
        if ((c === 'e' || c === 'E') && (this.src[this.pos] === '-' || this.src[this.pos] === '+')) this.pos++;
      }
    }
    const text = this.src.slice(start, this.pos);
    const v = parsePythonNumber(text);
    if (v !== undefined) return v;
    // complex numbers (1j) and other oddities: keep their text
    this.pos = start;
    return this.raw(0);
  }

  /** True/False/None/inf/nan, or an unknown construct (call, dotted name) kept as its source text. */
  name(depth: number): HyperValue {
    const start = this.pos;
    while (this.pos < this.src.length && isIdentChar(this.src[this.pos])) this.pos++;
    const word = this.src.slice(start, this.pos);
    const next = this.src[this.pos];
    const atEnd = next === undefined || next === ',' || next === ')' || next === ']' || isSpace(next);
    if (atEnd) {
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      if (word === 'inf') return Infinity;
      if (word === 'nan') return NaN;
    }
    this.pos = start;
    return this.raw(depth);
  }

  /**
   * An expression we do not model (device(type='cuda'), PIL.Image.BILINEAR, <function f at 0x..>, {'a': 1}):
   * consume it up to the next top-level ',' or closing bracket and return its source text.
   */
  raw(_depth: number): string {
    const start = this.pos;
    const stack: string[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === "'" || c === '"') {
        this.string();
        continue;
      }
      if (c === '(' || c === '[' || c === '{' || c === '<') stack.push(c === '(' ? ')' : c === '[' ? ']' : c === '{' ? '}' : '>');
      else if (stack.length > 0 && c === stack[stack.length - 1]) stack.pop();
      else if (stack.length === 0 && (c === ',' || c === ')' || c === ']' || c === '}')) break;
      this.pos++;
    }
    const text = this.src.slice(start, this.pos).trim();
    if (text === '') throw new PythonLiteralError('expected a value', start);
    return text;
  }
}

/**
 * Parses one Python literal: str (either quote, escapes, r/b/u prefixes), int, float (1e-05, inf, nan),
 * True/False/None, list and tuple (both -> arrays), nested. Constructs it does not model (calls such as
 * `device(type='cuda')`, dotted names, dicts) come back as their source text. Throws PythonLiteralError when the
 * text is not exactly one value (unterminated string, unbalanced brackets, trailing text).
 */
export function parsePythonLiteral(text: string): HyperValue {
  const p = new Parser(text);
  const v = p.value(0);
  p.skipSpace();
  if (p.pos < text.length) throw new PythonLiteralError('unexpected text after the value', p.pos);
  return v;
}

/** parsePythonLiteral, or the trimmed source text when it does not parse (a hyperparameter is never lost). */
export function literalOrSource(text: string): HyperValue {
  try {
    return parsePythonLiteral(text);
  } catch {
    return text.trim();
  }
}

/**
 * Splits `Namespace(k=v, k2=v2)` (or just its inside) into key -> value. The split happens at top-level ', '
 * followed by `identifier=`, outside strings and brackets, so values holding commas, quotes or nested lists stay
 * whole. Returns undefined when the text is not a Namespace repr.
 */
export function parseNamespace(text: string): Record<string, HyperValue> | undefined {
  let s = text.trim();
  if (s.startsWith('Namespace(')) {
    if (!s.endsWith(')')) return undefined;
    s = s.slice('Namespace('.length, -1);
  }
  const out: Record<string, HyperValue> = {};
  if (s.trim() === '') return out;
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c === ',' && s[i + 1] === ' ' && startsAssignment(s, i + 2)) {
      parts.push(s.slice(start, i));
      start = i + 2;
    }
  }
  parts.push(s.slice(start));
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim();
    if (!/^[A-Za-z_]\w*$/.test(key)) return undefined;
    out[key] = literalOrSource(part.slice(eq + 1));
  }
  return out;
}

/** `identifier=` (not `==`) starts at s[i]. */
function startsAssignment(s: string, i: number): boolean {
  if (!isIdentStart(s[i] ?? '')) return false;
  let j = i + 1;
  while (j < s.length && isIdentChar(s[j])) j++;
  return s[j] === '=' && s[j + 1] !== '=';
}
