// An allow-listing pickle interpreter (protocols 0-5): builds inert values, turns unknown globals into placeholders.
import type { Note } from '../../model/types.js';
import { InputError } from '../input-error.js';
import { KnownGlobal, resolveGlobal, type CallContext } from './allow-list.js';
import { NumpyArrayRef, NumpyDtype, Placeholder, PyDict, PyObject, StorageType, Truncated } from './values.js';

/** Bounds that keep a hostile pickle from exhausting memory or time. Each is far above what a real checkpoint needs. */
export interface PickleLimits {
  /**
   * items held at once on the stack, counted over every MARK level, plus memo entries (a ResNet-152 state_dict peaks
   * at a few thousand). Per level was not enough: `(` + `}`x999000 repeated 30 times held 30M dicts (4.3 GB).
   */
  maxStack?: number;
  /** MARK nesting (recursion bombs are deep nests of marks) */
  maxMarkDepth?: number;
  /** distinct memo entries (also counted in maxStack) */
  maxMemo?: number;
  /**
   * containers and objects built over the pickle's life (~210 bytes each as an empty dict: 500k is ~100 MB). A
   * checkpoint builds about ten per tensor (50k tensors fit); built-and-dropped lists would otherwise escape the
   * stack budget.
   */
  maxValues?: number;
  /** bytes of one string/bytes/int literal */
  maxLiteralBytes?: number;
}

export const DEFAULT_PICKLE_LIMITS: Required<PickleLimits> = {
  maxStack: 1_000_000,
  maxMarkDepth: 1_000,
  maxMemo: 1_000_000,
  maxValues: 500_000,
  maxLiteralBytes: 1024 ** 3,
};
/** An int literal longer than this is kept as a placeholder: BigInt parsing is super-linear and no checkpoint needs it. */
const MAX_INT_BYTES = 1024;
/** Longest text line (GLOBAL module/name, protocol-0 literals) we scan for. */
const MAX_LINE = 4096;

export interface UnpickleOptions {
  file: string;
  /** offset of the pickle inside `file`, for error offsets */
  base?: number;
  /** where the pickle starts inside `buf` */
  start?: number;
  /** turns a persistent id (torch storages) into a value; absent = placeholder + note */
  persistentLoad?: (pid: unknown, ctx: CallContext) => unknown;
  limits?: PickleLimits;
  notes: Note[];
}

export interface UnpickleResult {
  value: unknown;
  /** index in `buf` just after STOP (legacy files hold several pickles back to back) */
  end: number;
  /** names of the non-allow-listed globals met, in order of first appearance */
  placeholders: string[];
}


/** Runs one pickle from `buf` and returns the value it builds. Throws InputError (file + byte offset) on malformed input. */
export function unpickle(buf: Uint8Array, opts: UnpickleOptions): UnpickleResult {
  const limits = { ...DEFAULT_PICKLE_LIMITS, ...opts.limits };
  const base = opts.base ?? 0;
  const file = opts.file;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = opts.start ?? 0;
  let opPos = pos;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();
  const placeholders: string[] = [];
  const seenGlobals = new Set<string>();

  const fail = (msg: string): never => {
    throw new InputError(file, `pickle: ${msg}`, { offset: base + opPos });
  };
  const ctx: CallContext = {
    fail,
    note: (message) => opts.notes.push({ level: 'warn', file, offset: base + opPos, message: `pickle: ${message}` }),
  };

  const need = (n: number): void => {
    if (n < 0 || pos + n > b.length) fail(`truncated (needs ${n} more bytes at offset ${base + pos}, ${b.length - pos} left)`);
  };
  const u8 = (): number => { need(1); return b[pos++]; };
  const u16 = (): number => { need(2); const v = b.readUInt16LE(pos); pos += 2; return v; };
  const u32 = (): number => { need(4); const v = b.readUInt32LE(pos); pos += 4; return v; };
  const i32 = (): number => { need(4); const v = b.readInt32LE(pos); pos += 4; return v; };
  const u64 = (): number => {
    need(8);
    const v = b.readBigUInt64LE(pos);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`length ${v} is not plausible`);
    return Number(v);
  };
  const bytes = (n: number): Buffer => {
    if (n > limits.maxLiteralBytes) fail(`literal of ${n} bytes is over the ${limits.maxLiteralBytes}-byte limit`);
    need(n);
    const s = b.subarray(pos, pos + n);
    pos += n;
    return s;
  };
  const line = (): string => {
    const end = b.indexOf(0x0a, pos);
    if (end < 0 || end - pos > MAX_LINE) fail('unterminated or over-long text line');
    const s = b.toString('latin1', pos, end);
    pos = end + 1;
    return s;
  };
  // items on every stack level plus memo entries, against limits.maxStack
  let held = 0;
  let built = 0;
  /** pushes an existing value again (DUP, memo GET): a slot, no new object */
  const pushRef = (v: unknown): void => {
    if (++held > limits.maxStack) fail(`stack over ${limits.maxStack} items (every MARK level and the memo together: memory budget)`);
    stack.push(v);
  };
  const push = (v: unknown): void => {
    if (typeof v === 'object' && v !== null && ++built > limits.maxValues) fail(`over ${limits.maxValues} containers and objects built (memory budget)`);
    pushRef(v);
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    held--;
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (prev === undefined) fail('MARK missing');
    stack = prev!;
    held -= items.length;
    return items;
  };
  const memoPut = (idx: number, v: unknown): void => {
    if (!memo.has(idx)) {
      if (memo.size >= limits.maxMemo) fail(`memo over ${limits.maxMemo} entries`);
      if (++held > limits.maxStack) fail(`stack over ${limits.maxStack} items (every MARK level and the memo together: memory budget)`);
    }
    memo.set(idx, v);
  };
  const memoGet = (idx: number): unknown => {
    if (!memo.has(idx)) fail(`memo index ${idx} was never stored (corrupt or hostile pickle)`);
    return memo.get(idx);
  };
  const longFrom = (raw: Uint8Array): unknown => {
    const n = raw.length;
    if (n === 0) return 0;
    if (n > MAX_INT_BYTES) {
      ctx.note(`integer of ${n} bytes kept as a placeholder`);
      return new Truncated(`integer of ${n} bytes`);
    }
    if (n <= 6) {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + raw[i];
      if (raw[n - 1] & 0x80) v -= 2 ** (8 * n);
      return v;
    }
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]);
    if (raw[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const findGlobal = (module: string, name: string): unknown => {
    const g = resolveGlobal(module, name);
    if (g) return g;
    const full = `${module}.${name}`;
    if (!seenGlobals.has(full)) {
      seenGlobals.add(full);
      placeholders.push(full);
      opts.notes.push({ level: 'warn', file, offset: base + opPos, message: `pickle references '${full}', which is not on the allow-list: kept as an inert placeholder (never imported or called)` });
    }
    return new Placeholder(full);
  };
  /** REDUCE / NEWOBJ / INST / OBJ: only allow-listed callables do anything, and only build values. */
  const call = (fn: unknown, args: unknown[]): unknown => {
    if (fn instanceof KnownGlobal) {
      if (fn.call) return fn.call(args, ctx);
      ctx.note(`'${fn.name}' is allow-listed as a value, not as a callable; call kept as a placeholder`);
      const p = new Placeholder(`${fn.name}(...)`);
      p.args = args;
      return p;
    }
    if (fn instanceof Placeholder) {
      const p = new Placeholder(fn.__global__);
      p.args = args;
      return p;
    }
    ctx.note(`call of a non-callable ${describe(fn)}; kept as a placeholder`);
    const p = new Placeholder(`call of ${describe(fn)}`);
    p.args = args;
    return p;
  };
  const build = (obj: unknown, state: unknown): void => {
    // (state, slotstate) tuples: merge both dicts
    let dictState = state;
    if (Array.isArray(state) && state.length === 2 && !(obj instanceof NumpyDtype)) {
      dictState = new PyDict([...(state[0] instanceof Map ? state[0] : []), ...(state[1] instanceof Map ? state[1] : [])]);
    }
    if (obj instanceof PyDict) {
      if (!(dictState instanceof Map)) return ctx.note('BUILD of a dict with non-dict state; ignored');
      obj.attrs ??= new Map();
      for (const [k, v] of dictState) obj.attrs.set(String(k), v);
    } else if (obj instanceof PyObject) {
      if (!(dictState instanceof Map)) return ctx.note(`BUILD of ${obj.className} with non-dict state; ignored`);
      for (const [k, v] of dictState) obj.attrs.set(String(k), v);
    } else if (obj instanceof NumpyDtype) {
      // numpy dtype state: (version, byteorder, subdescr, names, fields, elsize, alignment, flags)
      if (Array.isArray(state) && typeof state[1] === 'string') obj.byteOrder = state[1];
    } else if (obj instanceof NumpyArrayRef) {
      buildNumpyArray(obj, state);
    } else if (obj instanceof Placeholder) {
      obj.state = state;
    } else {
      ctx.note(`BUILD on ${describe(obj)} ignored`);
    }
  };

  for (;;) {
    opPos = pos;
    if (pos >= b.length) fail('ended without STOP (truncated pickle)');
    const op = b[pos++];
    switch (op) {
      case 0x80: { // PROTO
        const v = u8();
        if (v > 5) fail(`unsupported pickle protocol ${v}`);
        break;
      }
      case 0x95: u64(); break; // FRAME: framing is transparent to us
      case 0x2e: // STOP '.'
        if (metastack.length > 0) ctx.note('STOP inside an open MARK');
        return { value: pop(), end: pos, placeholders };
      case 0x28: // MARK '('
        if (metastack.length >= limits.maxMarkDepth) fail(`MARK nesting over ${limits.maxMarkDepth} (recursion bomb?)`);
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: pushRef(top()); break; // DUP
      // --- atoms
      case 0x4e: push(null); break; // NONE
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4a: push(i32()); break; // BININT
      case 0x4b: push(u8()); break; // BININT1
      case 0x4d: push(u16()); break; // BININT2
      case 0x8a: push(longFrom(bytes(u8()))); break; // LONG1
      case 0x8b: { // LONG4
        const n = i32();
        if (n < 0) fail('negative LONG4 length');
        push(longFrom(bytes(n)));
        break;
      }
      case 0x47: { need(8); push(b.readDoubleBE(pos)); pos += 8; break; } // BINFLOAT (big-endian)
      case 0x49: { // INT 'I' (protocol 0): also carries True/False as 01/00
        const s = line();
        if (s === '01') push(true);
        else if (s === '00') push(false);
        else push(parseIntText(s, fail));
        break;
      }
      case 0x4c: push(parseIntText(line().replace(/L$/, ''), fail)); break; // LONG 'L'
      case 0x46: { // FLOAT 'F'
        const v = Number(line());
        if (Number.isNaN(v)) ctx.note('FLOAT literal is not a number');
        push(v);
        break;
      }
      case 0x58: push(bytes(u32()).toString('utf8')); break; // BINUNICODE
      case 0x8c: push(bytes(u8()).toString('utf8')); break; // SHORT_BINUNICODE
      case 0x8d: push(bytes(u64()).toString('utf8')); break; // BINUNICODE8
      case 0x56: push(rawUnicodeEscape(line())); break; // UNICODE 'V'
      case 0x55: push(bytes(u8()).toString('latin1')); break; // SHORT_BINSTRING (py2 str)
      case 0x54: { // BINSTRING
        const n = i32();
        if (n < 0) fail('negative BINSTRING length');
        push(bytes(n).toString('latin1'));
        break;
      }
      case 0x53: push(pyStringLiteral(line(), fail)); break; // STRING 'S'
      case 0x43: push(Uint8Array.from(bytes(u8()))); break; // SHORT_BINBYTES
      case 0x42: push(Uint8Array.from(bytes(u32()))); break; // BINBYTES
      case 0x8e: push(Uint8Array.from(bytes(u64()))); break; // BINBYTES8
      case 0x96: push(Uint8Array.from(bytes(u64()))); break; // BYTEARRAY8
      case 0x97: fail('NEXT_BUFFER: out-of-band buffers are not supported'); break;
      case 0x98: break; // READONLY_BUFFER: no-op on our immutable values
      // --- containers
      case 0x29: push([]); break; // EMPTY_TUPLE
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x7d: push(new PyDict()); break; // EMPTY_DICT
      case 0x8f: push(new Set()); break; // EMPTY_SET
      case 0x74: push(popMark()); break; // TUPLE
      case 0x6c: push(popMark()); break; // LIST
      case 0x85: push([pop()]); break; // TUPLE1
      case 0x86: { const y = pop(); const x = pop(); push([x, y]); break; } // TUPLE2
      case 0x87: { const z = pop(); const y = pop(); const x = pop(); push([x, y, z]); break; } // TUPLE3
      case 0x91: push(new Set(popMark())); break; // FROZENSET
      case 0x64: { // DICT
        const items = popMark();
        const d = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
        push(d);
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        const l = top();
        if (Array.isArray(l)) l.push(v);
        else if (!(l instanceof Placeholder)) ctx.note(`APPEND to ${describe(l)} ignored`);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        const l = top();
        if (Array.isArray(l)) { for (const v of items) l.push(v); }
        else if (!(l instanceof Placeholder)) ctx.note(`APPENDS to ${describe(l)} ignored`);
        break;
      }
      case 0x90: { // ADDITEMS
        const items = popMark();
        const s = top();
        if (s instanceof Set) { for (const v of items) s.add(v); }
        else ctx.note(`ADDITEMS to ${describe(s)} ignored`);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        const d = top();
        if (d instanceof Map) d.set(k, v);
        else if (!(d instanceof Placeholder)) ctx.note(`SETITEM on ${describe(d)} ignored`);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        const d = top();
        if (d instanceof Map) { for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]); }
        else if (!(d instanceof Placeholder)) ctx.note(`SETITEMS on ${describe(d)} ignored`);
        break;
      }
      // --- memo
      case 0x71: memoPut(u8(), top()); break; // BINPUT
      case 0x72: memoPut(u32(), top()); break; // LONG_BINPUT
      case 0x94: memoPut(memo.size, top()); break; // MEMOIZE
      case 0x70: memoPut(parseIntText(line(), fail) as number, top()); break; // PUT
      case 0x68: pushRef(memoGet(u8())); break; // BINGET
      case 0x6a: pushRef(memoGet(u32())); break; // LONG_BINGET
      case 0x67: pushRef(memoGet(parseIntText(line(), fail) as number)); break; // GET
      // --- globals and calls (the only places code could run in Python; here they only look up the table)
      case 0x63: { const m = line(); const n = line(); push(findGlobal(m, n)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const n = pop();
        const m = pop();
        if (typeof m !== 'string' || typeof n !== 'string') fail('STACK_GLOBAL needs two strings');
        push(findGlobal(m as string, n as string));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        push(call(fn, Array.isArray(args) ? args : [args]));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        const cls = pop();
        push(call(cls, Array.isArray(args) ? args : [args]));
        break;
      }
      case 0x92: { // NEWOBJ_EX
        pop(); // kwargs
        const args = pop();
        const cls = pop();
        push(call(cls, Array.isArray(args) ? args : [args]));
        break;
      }
      case 0x69: { // INST
        const m = line();
        const n = line();
        const args = popMark();
        push(call(findGlobal(m, n), args));
        break;
      }
      case 0x6f: { // OBJ
        const items = popMark();
        if (items.length === 0) fail('OBJ without a class');
        push(call(items[0], items.slice(1)));
        break;
      }
      case 0x62: { const state = pop(); build(top(), state); break; } // BUILD
      case 0x51: { // BINPERSID
        const pid = pop();
        push(opts.persistentLoad ? opts.persistentLoad(pid, ctx) : persistentPlaceholder(pid, ctx));
        break;
      }
      case 0x50: { // PERSID (text id)
        const pid = line();
        push(opts.persistentLoad ? opts.persistentLoad(pid, ctx) : persistentPlaceholder(pid, ctx));
        break;
      }
      case 0x82: case 0x83: case 0x84: { // EXT1/2/4: the copyreg extension registry maps codes to globals we do not know
        const code = op === 0x82 ? u8() : op === 0x83 ? u16() : i32();
        push(findGlobal('copyreg-extension', String(code)));
        break;
      }
      default:
        fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}

/** ndarray.__setstate__((version, shape, dtype, is_fortran, rawdata)); object arrays carry a list instead of bytes. */
function buildNumpyArray(a: NumpyArrayRef, state: unknown): void {
  if (!Array.isArray(state) || state.length < 5) { a.refused = 'numpy array with an unexpected state'; return; }
  const [, shape, dtype, fortran, raw] = state;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) { a.refused = 'numpy array with a bad shape'; return; }
  a.shape = shape as number[];
  if (dtype instanceof NumpyDtype) a.dtype = dtype;
  a.fortran = fortran === true;
  if (raw instanceof Uint8Array) a.raw = raw;
  else if (typeof raw === 'string') a.raw = Buffer.from(raw, 'latin1'); // protocol 2 may carry the bytes as a latin-1 str
  else a.refused = `object array (dtype ${a.dtype?.descr ?? '?'}): elements are Python objects; not read`;
}

function persistentPlaceholder(pid: unknown, ctx: CallContext): Placeholder {
  ctx.note('persistent id outside a checkpoint context; kept as a placeholder');
  const p = new Placeholder('persistent_load');
  p.args = pid;
  return p;
}

function parseIntText(s: string, fail: (m: string) => never): number | bigint {
  if (!/^[-+]?\d{1,400}$/.test(s.trim())) fail(`bad integer literal '${s.slice(0, 40)}'`);
  const v = BigInt(s.trim());
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Decodes a protocol-0 STRING literal: 'text' or "text" with Python escapes. */
function pyStringLiteral(s: string, fail: (m: string) => never): string {
  const q = s[0];
  if ((q !== "'" && q !== '"') || s[s.length - 1] !== q || s.length < 2) fail('STRING literal is not quoted');
  return s.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|[nrt\\'"0])/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0' } as Record<string, string>)[e];
  });
}

/** Decodes a protocol-0 UNICODE literal (raw-unicode-escape). */
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a: string | undefined, b: string | undefined) => String.fromCodePoint(parseInt((a ?? b)!, 16)));
}

/** A short, safe description of a value for notes. */
export function describe(v: unknown): string {
  if (v === null) return 'None';
  if (v instanceof Placeholder) return `placeholder ${v.__global__}`;
  if (v instanceof KnownGlobal) return v.name;
  if (v instanceof StorageType) return `torch.${v.name}`;
  if (v instanceof PyObject) return v.className;
  if (v instanceof Map) return 'a dict';
  if (Array.isArray(v)) return 'a list/tuple';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}
