// Parses the .npy preamble (magic, version, header length) and its Python-literal header dict, without eval.
import type { DType } from '../../model/ndarray.js';
import { InputError } from '../input-error.js';
import { ITEMSIZE, type ElementType } from './elements.js';

export const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
/** numpy itself refuses headers over 10000 bytes unless asked; we allow 1 MiB so odd writers still pass, but no more. */
export const MAX_HEADER_BYTES = 1024 * 1024;
/** Nesting deeper than this in a header dict is not something numpy writes (structured dtypes nest a few levels). */
const MAX_LITERAL_DEPTH = 32;

export interface NpyHeader {
  major: number;
  minor: number;
  /** the raw 'descr' value: a string like '<f4', or a list for structured dtypes */
  descr: unknown;
  fortranOrder: boolean;
  shape: number[];
  /** offset of the first data byte, relative to the start of the .npy */
  dataOffset: number;
  /** decoded element type, when the dtype is one we read */
  element?: ElementType;
  /** why the array cannot be read (object/structured/string dtype) */
  refused?: string;
  /** the dtype as a short string for listings: a DType, or the descr as written */
  dtypeName: string;
}

/** Bytes needed to know the header length: magic(6) + version(2) + length(2 or 4). */
export const NPY_PREAMBLE_BYTES = 12;

/** Total header size (preamble + dict) from the first bytes; throws when it is not an .npy. */
export function npyHeaderSize(head: Uint8Array, file: string, base = 0): number {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length < 10 || !b.subarray(0, 6).equals(NPY_MAGIC)) throw new InputError(file, 'not an .npy array (bad magic)', { offset: base });
  const major = b[6];
  if (major === 1) return 10 + b.readUInt16LE(8);
  if (major === 2 || major === 3) {
    if (b.length < 12) throw new InputError(file, '.npy preamble truncated', { offset: base + b.length });
    const len = b.readUInt32LE(8);
    if (len > MAX_HEADER_BYTES) throw new InputError(file, `.npy header of ${len} bytes is over the ${MAX_HEADER_BYTES}-byte limit`, { offset: base + 8 });
    return 12 + len;
  }
  throw new InputError(file, `unsupported .npy format version ${major}.${b[7]}`, { offset: base + 6 });
}

/** Parses the header; `buf` must hold at least npyHeaderSize() bytes. `base` is the .npy's offset inside `file` (for npz members). */
export function parseNpyHeader(buf: Uint8Array, file: string, base = 0): NpyHeader {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const size = npyHeaderSize(b, file, base);
  if (b.length < size) throw new InputError(file, `.npy header truncated (needs ${size} bytes, has ${b.length})`, { offset: base + b.length });
  const major = b[6];
  const start = major === 1 ? 10 : 12;
  const text = b.toString(major === 3 ? 'utf8' : 'latin1', start, size);
  let dict: unknown;
  try {
    dict = parsePyLiteral(text);
  } catch (err) {
    throw new InputError(file, `.npy header is not a valid dict literal: ${(err as Error).message}`, { offset: base + start });
  }
  if (!(dict instanceof Map)) throw new InputError(file, '.npy header is not a dict', { offset: base + start });
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (descr === undefined || typeof fortran !== 'boolean' || !Array.isArray(shape)) {
    throw new InputError(file, `.npy header lacks 'descr', 'fortran_order' or 'shape': ${text.trim().slice(0, 120)}`, { offset: base + start });
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new InputError(file, `.npy shape has a bad dimension ${String(d)}`, { offset: base + start });
    }
  }
  const h: NpyHeader = { major, minor: b[7], descr, fortranOrder: fortran, shape: shape as number[], dataOffset: size, dtypeName: typeof descr === 'string' ? descr : 'structured' };
  const el = typeof descr === 'string' ? parseDescr(descr) : { refused: 'structured dtype (record array); not supported' };
  if ('refused' in el) h.refused = el.refused;
  else { h.element = el; h.dtypeName = el.dtype; }
  return h;
}

const KIND_SIZES: Record<string, Record<number, DType>> = {
  f: { 2: 'f2', 4: 'f4', 8: 'f8' },
  i: { 1: 'i1', 2: 'i2', 4: 'i4', 8: 'i8' },
  u: { 1: 'u1', 2: 'u2', 4: 'u4', 8: 'u8' },
  b: { 1: 'b1' },
  c: { 8: 'c8', 16: 'c16' },
};

/** '<f4' -> element type; '|O' and other unsupported kinds -> a reason. */
export function parseDescr(descr: string): ElementType | { refused: string } {
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  if (!m) return { refused: `unrecognised dtype '${descr}'` };
  const [, order, kind, sizeText] = m;
  if (kind === 'O') return { refused: `object array ('${descr}'): its payload is a pickle, which is never unpickled; refused` };
  if (kind === 'U' || kind === 'S' || kind === 'a') return { refused: `string array ('${descr}'); not supported` };
  if (kind === 'V') return { refused: `raw void/structured dtype ('${descr}'); not supported` };
  if (kind === 'M' || kind === 'm') return { refused: `datetime/timedelta dtype ('${descr}'); not supported` };
  const k = kind === '?' ? 'b' : kind;
  const size = sizeText === '' ? (k === 'b' ? 1 : NaN) : Number(sizeText);
  const dtype = KIND_SIZES[k]?.[size];
  if (!dtype) return { refused: `unsupported dtype '${descr}'` };
  return { dtype, itemsize: ITEMSIZE[dtype], littleEndian: order !== '>' };
}

/**
 * A tiny parser for the Python literals numpy writes in headers: dict, tuple, list, str, int, float, True/False/None.
 * Dicts become Maps, tuples and lists arrays. Nothing is evaluated. Throws Error on anything else.
 */
export function parsePyLiteral(text: string): unknown {
  let i = 0;
  const ws = (): void => { while (i < text.length && /\s/.test(text[i])) i++; };
  const value = (depth: number): unknown => {
    if (depth > MAX_LITERAL_DEPTH) throw new Error('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const m = new Map<unknown, unknown>();
      for (;;) {
        ws();
        if (text[i] === '}') { i++; return m; }
        const k = value(depth + 1);
        ws();
        if (text[i] !== ':') throw new Error(`expected ':' at ${i}`);
        i++;
        m.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') throw new Error(`expected ',' or '}' at ${i}`);
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const arr: unknown[] = [];
      for (;;) {
        ws();
        if (text[i] === close) { i++; return arr; }
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) throw new Error(`expected ',' or '${close}' at ${i}`);
      }
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated string');
      const s = text.slice(i + 1, end);
      if (s.includes('\\')) throw new Error('escapes in strings are not supported');
      i = end + 1;
      return s;
    }
    const m = /^(True|False|None|[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?L?)/.exec(text.slice(i, i + 64));
    if (!m) throw new Error(`unexpected '${text.slice(i, i + 10)}' at ${i}`);
    i += m[1].length;
    if (m[1] === 'True') return true;
    if (m[1] === 'False') return false;
    if (m[1] === 'None') return null;
    return Number(m[1].replace(/L$/, ''));
  };
  const v = value(0);
  ws();
  if (i !== text.length) throw new Error(`trailing text at ${i}`);
  return v;
}
