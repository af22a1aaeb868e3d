// Loads and validates dann-doctor.config.json (rule severities, rule options, metric aliases); --rule flags are cli/parse.ts.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineConfig, SeveritySetting } from '../report/schema.js';
import type { AnyRule } from '../engine/create-rule.js';
import { RULES } from '../../rules/index.js';
import { InputError, inputErrorFromFs } from '../ingest/input-error.js';
import { parseRoleSpec, ROLE_SPEC_HELP } from '../understand/role-spec.js';

export const CONFIG_FILE_NAME = 'dann-doctor.config.json';
const SEVERITIES: readonly SeveritySetting[] = ['off', 'info', 'warn', 'error'];

export function emptyConfig(): EngineConfig {
  return { rules: {}, ruleOptions: {}, metricAliases: {}, roles: {} };
}

/** 1-based line of a character offset in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Line of the first `"key"` occurrence, so a validation error can point near the offending entry. */
function lineOfKey(text: string, key: string): number | undefined {
  const i = text.indexOf(JSON.stringify(key));
  return i < 0 ? undefined : lineAt(text, i);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses and validates a config file's text. Accepted shape (every key optional):
 * ```json
 * { "rules": { "trade-off-extreme": "error", "domain-acc-saturated": ["warn", { "level": 85 }], "oracle-model-selection": "off" },
 *   "ruleOptions": { "curve-jump": { "minSegment": 4 } },
 *   "metricAliases": { "adv_acc": "train/domain_acc" } }
 * ```
 * Unknown rule ids, unknown option names, non-numeric options and bad severities are InputErrors naming the file
 * and the line of the offending key.
 */
export function parseConfig(text: string, file: string, rules: readonly AnyRule[] = RULES): EngineConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column/.exec(msg);
    const line = lc ? Number(lc[1]) : pos ? lineAt(text, Number(pos[1])) : undefined;
    throw new InputError(file, `not valid JSON: ${msg}`, { line });
  }
  if (!isPlainObject(raw)) throw new InputError(file, 'the config must be a JSON object with "rules", "ruleOptions" and/or "metricAliases"');
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const config = emptyConfig();
  const fail = (key: string, message: string): never => {
    throw new InputError(file, message, { line: lineOfKey(text, key) });
  };
  for (const key of Object.keys(raw)) {
    if (!['rules', 'ruleOptions', 'metricAliases', 'roles', '$schema'].includes(key)) fail(key, `unknown top-level key "${key}" (expected rules, ruleOptions, metricAliases, roles)`);
  }
  const setOptions = (id: string, opts: unknown): void => {
    const rule = byId.get(id)!;
    if (!isPlainObject(opts)) fail(id, `options of rule "${id}" must be an object of numbers`);
    const known = Object.keys(rule.meta.options);
    for (const [name, value] of Object.entries(opts as Record<string, unknown>)) {
      if (!known.includes(name)) fail(name, `rule "${id}" has no option "${name}" (options: ${known.join(', ') || 'none'})`);
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, `option "${id}.${name}" must be a finite number, got ${JSON.stringify(value)}`);
      (config.ruleOptions[id] ??= {})[name] = value as number;
    }
  };
  const checkId = (id: string): void => {
    if (!byId.has(id)) fail(id, `unknown rule "${id}" (known: ${[...byId.keys()].join(', ')})`);
  };
  if (raw.rules !== undefined) {
    if (!isPlainObject(raw.rules)) fail('rules', '"rules" must be an object: rule id -> severity or [severity, options]');
    for (const [id, v] of Object.entries(raw.rules as Record<string, unknown>)) {
      checkId(id);
      const [sev, opts] = Array.isArray(v) ? v : [v, undefined];
      if (!SEVERITIES.includes(sev as SeveritySetting)) fail(id, `severity of rule "${id}" must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(sev)}`);
      config.rules[id] = sev as SeveritySetting;
      if (opts !== undefined) setOptions(id, opts);
    }
  }
  if (raw.ruleOptions !== undefined) {
    if (!isPlainObject(raw.ruleOptions)) fail('ruleOptions', '"ruleOptions" must be an object: rule id -> { option: number }');
    for (const [id, opts] of Object.entries(raw.ruleOptions as Record<string, unknown>)) {
      checkId(id);
      setOptions(id, opts);
    }
  }
  if (raw.metricAliases !== undefined) {
    if (!isPlainObject(raw.metricAliases)) fail('metricAliases', '"metricAliases" must be an object: raw metric name -> canonical key');
    for (const [name, key] of Object.entries(raw.metricAliases as Record<string, unknown>)) {
      if (typeof key !== 'string' || key.length === 0) fail(name, `metric alias "${name}" must map to a non-empty string`);
      config.metricAliases[name] = key as string;
    }
  }
  if (raw.roles !== undefined) {
    if (!isPlainObject(raw.roles)) fail('roles', '"roles" must be an object: series name as logged -> role (e.g. "target-acc")');
    for (const [name, spec] of Object.entries(raw.roles as Record<string, unknown>)) {
      if (typeof spec !== 'string' || !parseRoleSpec(spec)) fail(name, `role of "${name}" must be one of ${ROLE_SPEC_HELP}; got ${JSON.stringify(spec)}`);
      (config.roles ??= {})[name] = spec as string;
    }
  }
  return config;
}

/** Reads and validates a config file. A missing or unreadable file is an InputError naming it. */
export async function loadConfig(file: string, rules: readonly AnyRule[] = RULES): Promise<EngineConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  return parseConfig(text, file, rules);
}

/** `<dir>/dann-doctor.config.json` when it exists. */
export function findConfigFile(dir: string): string | undefined {
  const p = resolve(dir, CONFIG_FILE_NAME);
  return existsSync(p) ? p : undefined;
}

/** Later configs win: file config, then CLI flags. */
export function mergeConfigs(...configs: Partial<EngineConfig>[]): EngineConfig {
  const out = emptyConfig();
  for (const c of configs) {
    Object.assign(out.rules, c.rules);
    for (const [id, o] of Object.entries(c.ruleOptions ?? {})) out.ruleOptions[id] = { ...out.ruleOptions[id], ...o };
    Object.assign(out.metricAliases, c.metricAliases);
    Object.assign((out.roles ??= {}), c.roles);
  }
  return out;
}
