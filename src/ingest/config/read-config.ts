// Reads a run's configuration files found beside its logs (config.yaml/.json, args.json/.txt, hparams.yaml, opts.yaml,
// W&B config.yaml, Hydra .hydra/config.yaml, best_params.json ...) into flat hyperparameters. Safe loading only: YAML
// tags such as `!!python/object` are never executed; pickled-object internals (`_modules`, `_buffers`) are dropped.
import { readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { loadYaml } from '../lazy-yaml.js';
import type { HyperValue, Note, RunFragment } from '../../model/types.js';
import { parseNamespace } from '../common/python-literal.js';
import { parseNumber } from '../../understand/metric-aliases.js';

/** File names that hold a run's configuration, in the order their values win. */
export const CONFIG_FILE_NAMES = [
  'config.yaml', 'config.yml', 'config.json', 'args.json', 'args.yaml', 'args.yml', 'args.txt', 'hparams.yaml', 'hparams.yml',
  'hparams.json', 'opts.yaml', 'opts.yml', 'opts.json', 'params.json', 'params.yaml', 'cfg.yaml', 'cfg.json', 'hyperparameters.json',
  'best_params.json', 'train_config.yaml', 'train_config.json', join('.hydra', 'config.yaml'),
];

/** A config file is a few KB; a pickled module dumped into YAML can reach a few hundred. Beyond this we stop. */
export const MAX_CONFIG_BYTES = 4 << 20;
/** Flattened keys kept per file: enough for any real config, bounded for a pathological one. */
export const MAX_CONFIG_KEYS = 2000;
/** Longer strings are object dumps, not settings. */
const MAX_VALUE_CHARS = 500;

/** `{desc, value}` (W&B config.yaml) and `{value}` wrappers hold the setting in `value`. */
function unwrapValue(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.includes('value') && keys.every((k) => k === 'value' || k === 'desc')) return (v as { value: unknown }).value;
  }
  return v;
}

function toHyperValue(v: unknown): HyperValue | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > MAX_VALUE_CHARS ? undefined : v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) {
    const items = v.map(toHyperValue);
    return items.some((x) => x === undefined) || items.length > 64 ? undefined : (items as HyperValue[]);
  }
  return undefined;
}

/**
 * Nested mappings become dotted keys (`train.lr`); keys starting with `_` (W&B's `_wandb`, a pickled module's
 * `_modules`) are internals and are dropped; lists of scalars stay lists.
 */
export function flattenConfig(obj: unknown, prefix = '', out: Record<string, HyperValue> = {}): Record<string, HyperValue> {
  const v = unwrapValue(obj);
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (k.startsWith('_')) continue;
      if (Object.keys(out).length >= MAX_CONFIG_KEYS) break;
      flattenConfig(child, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (prefix) {
    const h = toHyperValue(v);
    if (h !== undefined) out[prefix] = h;
  }
  return out;
}

/** A scalar written as text in `key: value` / `--key value` files. */
function textValue(s: string): HyperValue {
  const t = s.trim().replace(/^['"]|['"]$/g, '');
  const n = parseNumber(t);
  if (n !== null) return n;
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^none|null$/i.test(t)) return null;
  return t;
}

/** `key: value`, `key=value` and `--key value` lines (argparse dumps, SHOT/Dassl-style headers). */
export function parseKeyValueText(text: string): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  const args = /^\s*--([A-Za-z_][\w.-]*)(?:[ =](.*))?$/;
  const kv = /^\s*([A-Za-z_][\w.-]*)\s*[:=]\s*(.*?)\s*$/;
  for (const line of text.split(/\r?\n/)) {
    if (Object.keys(out).length >= MAX_CONFIG_KEYS) break;
    const a = args.exec(line);
    if (a) {
      out[a[1].replace(/-/g, '_')] = a[2] === undefined ? true : textValue(a[2]);
      continue;
    }
    const m = kv.exec(line);
    if (m && m[2] !== '') out[m[1]] = textValue(m[2]);
  }
  return out;
}

async function parseYamlSafely(text: string): Promise<unknown> {
  // `customTags: []` + non-strict: unknown tags (!!python/object, !!binary) are read as plain data, never constructed
  return (await loadYaml()).parse(text, { logLevel: 'silent', customTags: [], strict: false, uniqueKeys: false, maxAliasCount: 100 });
}

/** Parses a config file's text by its name; throws on malformed content (the caller turns that into a note). */
export async function parseConfigText(name: string, text: string): Promise<Record<string, HyperValue>> {
  const lower = name.toLowerCase();
  const trimmed = text.trim();
  if (lower.endsWith('.json') || trimmed.startsWith('{')) {
    try {
      return flattenConfig(JSON.parse(trimmed));
    } catch (err) {
      if (lower.endsWith('.json')) throw err;
    }
  }
  if (trimmed.startsWith('Namespace(')) return parseNamespace(trimmed.split(/\r?\n/)[0]) ?? {};
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    const doc = await parseYamlSafely(text);
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? flattenConfig(doc) : {};
  }
  return parseKeyValueText(text);
}

/**
 * The configuration files (CONFIG_FILE_NAMES) present in `dir`, in CONFIG_FILE_NAMES order. One directory listing
 * instead of a stat per name: a stat of a missing file throws, and 22 of them per run directory cost ~0.6 ms of a
 * sweep's per-run CPU. Names still match exactly, and a listed name counts only when it is a file (links followed).
 * Synchronous calls: an async readdir costs ~4x the CPU of a sync one, and 22 awaits of the listing added to that.
 */
export async function configFilesIn(dir: string): Promise<string[]> {
  const listings = new Map<string, Set<string>>();
  const listing = (d: string): Set<string> => {
    let l = listings.get(d);
    if (!l) {
      try {
        l = new Set(readdirSync(d));
      } catch {
        l = new Set<string>();
      }
      listings.set(d, l);
    }
    return l;
  };
  const out: string[] = [];
  for (const name of CONFIG_FILE_NAMES) {
    const parts = name.split(sep);
    let at = dir;
    let present = true;
    for (const part of parts) {
      if (!listing(at).has(part)) { present = false; break; }
      at = join(at, part);
    }
    if (!present) continue;
    try {
      if (statSync(at).isFile()) out.push(at);
    } catch {
      /* vanished or unreadable */
    }
  }
  return out;
}

/**
 * Reads configuration files. Each becomes a fragment with its hyperparameters and where they came from; an
 * unreadable, oversized or malformed file becomes a note, never an error for the run.
 */
export async function readConfigFiles(files: readonly string[]): Promise<{ fragments: RunFragment[]; notes: Note[] }> {
  const fragments: RunFragment[] = [];
  const notes: Note[] = [];
  for (const file of files) {
    let size: number;
    try {
      const st = await stat(file);
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue;
    }
    if (size > MAX_CONFIG_BYTES) {
      notes.push({ level: 'warn', file, message: `${size} bytes is too large for a config file; not read` });
      continue;
    }
    try {
      const values = await parseConfigText(basename(file), await readFile(file, 'utf8'));
      if (Object.keys(values).length === 0) continue;
      fragments.push({ format: 'unknown', files: [file], hyperparameters: values, hyperparametersFrom: { file } });
    } catch (err) {
      notes.push({ level: 'warn', file, message: `config not readable: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  return { fragments, notes };
}
