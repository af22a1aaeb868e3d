// JSON text for reports with NaN/Infinity in them: JSON has no such numbers, so each becomes null and the document
// says which fields they were (RFC 6901 pointers, with the value), so a reader can tell a NaN loss from a missing one
// and `merge` can restore them. Standard JSON, typed: no number is ever written as a string.

/** The non-finite numbers of a JSON document, at its top level under `nonFiniteFields` (absent when there are none). */
export interface NonFiniteField {
  /** JSON pointer (RFC 6901) to the field, e.g. "/runs/0/series/2/last" */
  pointer: string;
  value: 'NaN' | 'Infinity' | '-Infinity';
}

function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unpointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Every non-finite number JSON.stringify would write, with its pointer (same traversal: own enumerable keys). */
function collectNonFinite(value: unknown, pointer: string, out: NonFiniteField[], seen: Set<object>): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push({ pointer, value: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' });
    return;
  }
  if (!value || typeof value !== 'object' || seen.has(value)) return;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return; // Dates and the like write no numbers of their own
  seen.add(value);
  if (Array.isArray(value)) value.forEach((v, i) => collectNonFinite(v, `${pointer}/${i}`, out, seen));
  else for (const [k, v] of Object.entries(value)) collectNonFinite(v, `${pointer}/${pointerToken(k)}`, out, seen);
  seen.delete(value);
}

/** The `nonFiniteFields` list stringifyFinite adds for `value` (for a writer that stringifies it in pieces). */
export function nonFiniteFieldsOf(value: unknown): NonFiniteField[] {
  const out: NonFiniteField[] = [];
  collectNonFinite(value, '', out, new Set());
  return out;
}

/** JSON.stringify's replacer of stringifyFinite: every non-finite number becomes null. */
export const finiteReplacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

/**
 * `value` as JSON text: NaN/±Infinity written as null (what JSON.stringify does anyway, but silently), listed in a
 * top-level `nonFiniteFields` array when `value` is an object. Cost: one extra walk over the value.
 */
export function stringifyFinite(value: object, indent = 2): string {
  const nonFiniteFields: NonFiniteField[] = [];
  collectNonFinite(value, '', nonFiniteFields, new Set());
  const doc = nonFiniteFields.length && !Array.isArray(value) ? { ...value, nonFiniteFields } : value;
  return JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), indent);
}

/**
 * The inverse for a parsed document: puts each listed NaN/±Infinity back where its pointer says (only where the
 * field holds null, so a stale list never overwrites data) and drops `nonFiniteFields`. Returns the same object.
 */
export function restoreNonFinite<T>(doc: T): T {
  if (!doc || typeof doc !== 'object') return doc;
  const list = (doc as { nonFiniteFields?: unknown }).nonFiniteFields;
  delete (doc as { nonFiniteFields?: unknown }).nonFiniteFields;
  if (!Array.isArray(list)) return doc;
  for (const f of list as Partial<NonFiniteField>[]) {
    if (typeof f?.pointer !== 'string' || !f.pointer.startsWith('/')) continue;
    const n = f.value === 'NaN' ? Number.NaN : f.value === 'Infinity' ? Infinity : f.value === '-Infinity' ? -Infinity : undefined;
    if (n === undefined) continue;
    const tokens = f.pointer.slice(1).split('/').map(unpointer);
    const last = tokens.pop()!;
    let at: unknown = doc;
    for (const t of tokens) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[t] : undefined;
    if (at && typeof at === 'object' && Object.prototype.hasOwnProperty.call(at, last) && (at as Record<string, unknown>)[last] === null) (at as Record<string, unknown>)[last] = n;
  }
  return doc;
}
