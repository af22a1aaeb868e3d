// Strings read from files reach terminals only neutralised: a log line `Namespace(arch='x\x1b]0;PWNED\x07')` is
// decoded by the Python-literal reader to a raw ESC and BEL; printed as is it would retitle the pane, write the
// clipboard (OSC 52) or plant a link (OSC 8). Every control character is shown escaped instead (`\x1b`).

/**
 * C0 controls (tab kept: it only moves the cursor right), DEL, C1 controls (U+0080-U+009F: 8-bit CSI/OSC on some
 * terminals), and the bidi embedding/override/isolate marks that reorder what is shown (CVE-2021-42574 style).
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c === 0x0a) return '\\n';
  if (c === 0x0d) return '\\r';
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** One file-derived string, safe for a terminal: every control character shown as an escape (`\x1b`, `\n`). */
export function showControls(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, escapeOne) : s;
}

/** UNSAFE without the global flag: a yes/no test that keeps no lastIndex. */
const UNSAFE_ANY = new RegExp(UNSAFE.source);
/** Deeper than this, a value is left to the copying walk (which handles cycles) instead of checked in place. */
const CHECK_DEPTH = 64;

/**
 * True when no string in `v` (keys included) needs showControls: one pass that allocates nothing, so a report
 * without control characters, the usual case, is not copied.
 */
function controlFree(v: unknown, depth: number): boolean {
  if (typeof v === 'string') return !UNSAFE_ANY.test(v);
  if (v === null || typeof v !== 'object') return true;
  if (ArrayBuffer.isView(v) || v instanceof Date || v instanceof RegExp) return true;
  if (depth > CHECK_DEPTH || v instanceof Map || v instanceof Set) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      // numbers (per-class accuracies, histograms) are most of a report's values: no call for them
      if (typeof x !== 'number' && !controlFree(x, depth + 1)) return false;
    }
    return true;
  }
  // for-in: no key array per object (an inherited enumerable key only makes the answer "copy", never wrong)
  for (const k in v) {
    const x: unknown = (v as Record<string, unknown>)[k];
    if (UNSAFE_ANY.test(k) || (typeof x !== 'number' && !controlFree(x, depth + 1))) return false;
  }
  return true;
}

/**
 * A plain-data value (a report, a comparison) with every string, keys included, passed through showControls: the
 * value itself when nothing in it needs escaping, else a copy (shared objects and cycles copied once). Reporters for
 * terminals call this on their input, so a new field cannot forget it; they only read what it returns.
 */
export function showControlsDeep<T>(value: T): T {
  if (controlFree(value, 0)) return value;
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return showControls(v);
    if (v === null || typeof v !== 'object') return v;
    if (ArrayBuffer.isView(v)) return v; // numeric arrays: nothing to show
    const done = seen.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(walk(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      seen.set(v, out);
      for (const [k, x] of v) out.set(walk(k), walk(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      seen.set(v, out);
      for (const x of v) out.add(walk(x));
      return out;
    }
    if (v instanceof Date || v instanceof RegExp) return v;
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v));
    seen.set(v, out);
    for (const [k, x] of Object.entries(v)) out[showControls(k)] = walk(x);
    return out;
  };
  return walk(value) as T;
}

/** Our own colouring: SGR sequences only (ESC [ params m). */
const SGR = /\u001b\[[0-9;]*m/y;

/**
 * Last line of defence for text going to a terminal: keeps newlines, tabs and SGR colour sequences (the only
 * escapes our reporters emit), shows every other control character escaped. Applied to whole rendered outputs.
 */
export function terminalSafeText(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const unsafe = (c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if (!unsafe) continue;
    if (c === 0x1b) {
      SGR.lastIndex = i;
      const m = SGR.exec(text);
      if (m) {
        i += m[0].length - 1;
        continue;
      }
    }
    out += text.slice(last, i) + escapeOne(text[i]);
    last = i + 1;
  }
  return out + text.slice(last);
}

/** JSON for files and pipes: JSON.stringify leaves C1 controls raw; escape them (and U+2028/9 for JS embedding). */
export function escapeJsonC1(json: string): string {
  return json.replace(/[\u0080-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
