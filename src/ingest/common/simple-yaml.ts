// A fast reader for the flat block YAML that PyYAML's `yaml.dump` writes for Lightning's hparams.yaml (`key: scalar`
// lines and `- scalar` lists under a key). The `yaml` package takes ~50 ms to load and ~1.5 ms per small file; this
// takes microseconds. It reads only a conservative subset whose meaning under YAML 1.2's core schema (what `yaml`
// uses) is unambiguous, and answers undefined for anything else (comments, nesting, flow collections, tags, quotes
// with escapes, odd scalars), which the caller then hands to `yaml`: the result is always what `yaml` would give.

/** The parsed mapping (keys in file order; lists of scalars), or undefined when the text is outside the subset. */
export type SimpleYamlValue = string | number | boolean | null | (string | number | boolean | null)[];

/** A key: starts like an identifier, no spaces, no characters YAML treats specially. */
const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Words of the core schema that are not strings (a key or value spelled so is left to `yaml`). */
const NULLS = new Set(['null', 'Null', 'NULL', '~']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
/** Decimal ints up to 15 digits are exact as doubles, so parseInt (what `yaml` uses) and this agree. */
const INT = /^[-+]?[0-9]{1,15}$/;
/** The core schema's float and exponent forms (`yaml` resolves both with parseFloat). */
const FLOAT = /^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?$/;
/** A plain string that no core-schema type claims: starts with a letter, '_' or '/', no spaces or indicators. */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
/** A single-quoted string without the '' escape. */
const SINGLE = /^'([^'\n]*)'$/;
/** A double-quoted string without escapes. */
const DOUBLE = /^"([^"\\\n]*)"$/;

/** One scalar in the subset, or undefined. */
function scalar(s: string): string | number | boolean | null | undefined {
  if (s.length === 0 || NULLS.has(s)) return null;
  if (TRUES.has(s)) return true;
  if (FALSES.has(s)) return false;
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (INT.test(s)) return parseInt(s, 10);
    if (FLOAT.test(s)) return parseFloat(s);
    return undefined;
  }
  if (PLAIN.test(s)) return s;
  const q = SINGLE.exec(s) ?? DOUBLE.exec(s);
  return q ? q[1] : undefined;
}

/**
 * Parses `text` when it is a flat block mapping of scalars and scalar lists, else undefined. Blank lines are
 * allowed; list items sit at the key's indentation or two spaces in, all alike.
 */
export function parseSimpleYaml(text: string): Record<string, SimpleYamlValue> | undefined {
  const out: Record<string, SimpleYamlValue> = {};
  const lines = text.split('\n');
  let list: (string | number | boolean | null)[] | undefined;
  let listIndent = -1;
  let any = false;
  for (const line of lines) {
    if (line.length === 0) continue;
    if (line.includes('#') || line.includes('\t') || line.includes('\r') || line.endsWith(' ')) return undefined;
    if (line.startsWith('- ') || line.startsWith('  - ')) {
      if (!list) return undefined;
      const indent = line.charCodeAt(0) === 32 ? 2 : 0;
      if (listIndent === -1) listIndent = indent;
      else if (indent !== listIndent) return undefined;
      const v = scalar(line.slice(indent + 2));
      if (v === undefined || (v === null && line.length === indent + 2)) return undefined;
      list.push(v);
      continue;
    }
    list = undefined; // `key:` without items is null (set at the end)
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const key = line.slice(0, colon);
    if (!KEY.test(key) || NULLS.has(key) || TRUES.has(key) || FALSES.has(key) || Object.hasOwn(out, key)) return undefined;
    any = true;
    if (colon === line.length - 1) {
      // `key:` alone: a list follows, or the value is null
      list = [];
      listIndent = -1;
      out[key] = list;
      continue;
    }
    if (line.charCodeAt(colon + 1) !== 32) return undefined;
    const v = scalar(line.slice(colon + 2));
    if (v === undefined || (v === null && line.length === colon + 2)) return undefined;
    out[key] = v;
  }
  if (!any) return undefined;
  // a trailing `key:` with no items is null
  for (const k of Object.keys(out)) {
    const v = out[k];
    if (Array.isArray(v) && v.length === 0) out[k] = null;
  }
  return out;
}
