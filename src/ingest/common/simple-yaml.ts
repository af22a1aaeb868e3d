// A fast reader for the block YAML that PyYAML's `yaml.dump` writes for Lightning's hparams.yaml (`key: scalar` lines,
// `- scalar` lists under a key, nested mappings indented under a key). The `yaml` package takes ~50 ms to load and
// ~1.5 ms per small file; this takes tens of microseconds. It reads only a conservative subset whose meaning under
// YAML 1.2's core schema (what `yaml` uses) is unambiguous, and answers undefined for anything else (comments, flow
// collections, tags, anchors, quotes with escapes, odd scalars or indentation), which the caller then hands to `yaml`:
// the result is always what `yaml` would give.

type Scalar = string | number | boolean | null;
/** A parsed value: a scalar, a list of scalars or a nested mapping. */
export type SimpleYamlValue = Scalar | Scalar[] | SimpleYamlMap;
export interface SimpleYamlMap {
  [key: string]: SimpleYamlValue;
}

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

/** An open mapping: its keys' indentation and where they go. */
interface Frame {
  indent: number;
  map: SimpleYamlMap;
}

/**
 * Parses `text` when it is a block mapping of scalars, scalar lists and nested block mappings, else undefined. Blank
 * lines are allowed; a nested mapping is indented further than its key; list items sit at their key's indentation
 * or two spaces in, all alike.
 */
export function parseSimpleYaml(text: string): SimpleYamlMap | undefined {
  const root: SimpleYamlMap = {};
  const stack: Frame[] = [{ indent: 0, map: root }];
  // the last `key:` without a value: a list, a nested mapping or null follows (its list, until then empty)
  let open: { map: SimpleYamlMap; key: string; indent: number; list: Scalar[]; itemIndent: number } | undefined;
  let any = false;
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    if (line.includes('#') || line.includes('\t') || line.includes('\r') || line.endsWith(' ')) return undefined;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (line.startsWith('- ', indent)) {
      if (!open || (indent !== open.indent && indent !== open.indent + 2)) return undefined;
      if (open.itemIndent === -1) open.itemIndent = indent;
      else if (indent !== open.itemIndent) return undefined;
      const v = scalar(line.slice(indent + 2));
      if (v === undefined || (v === null && line.length === indent + 2)) return undefined;
      open.list.push(v);
      continue;
    }
    if (open && open.list.length === 0 && indent > open.indent) {
      // `key:` then deeper keys: a nested mapping
      const map: SimpleYamlMap = {};
      open.map[open.key] = map;
      stack.push({ indent, map });
    }
    open = undefined;
    while (stack.length > 1 && stack[stack.length - 1].indent > indent) stack.pop();
    const frame = stack[stack.length - 1];
    if (frame.indent !== indent) return undefined;
    const colon = line.indexOf(':', indent);
    if (colon <= indent) return undefined;
    const key = line.slice(indent, colon);
    if (!KEY.test(key) || NULLS.has(key) || TRUES.has(key) || FALSES.has(key) || Object.hasOwn(frame.map, key)) return undefined;
    any = true;
    if (colon === line.length - 1) {
      const list: Scalar[] = [];
      frame.map[key] = list;
      open = { map: frame.map, key, indent, list, itemIndent: -1 };
      continue;
    }
    if (line.charCodeAt(colon + 1) !== 32) return undefined;
    const v = scalar(line.slice(colon + 2));
    if (v === undefined || (v === null && line.length === colon + 2)) return undefined;
    frame.map[key] = v;
  }
  return any ? withNulls(root) : undefined;
}

/** A `key:` that nothing followed is null (its list was left empty; a block list always has an item). */
function withNulls(map: SimpleYamlMap): SimpleYamlMap {
  for (const k of Object.keys(map)) {
    const v = map[k];
    if (Array.isArray(v)) {
      if (v.length === 0) map[k] = null;
    } else if (v !== null && typeof v === 'object') withNulls(v);
  }
  return map;
}
