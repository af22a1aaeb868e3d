// The one command-line parser (node:util parseArgs) every subcommand uses, and the validators of option values
// they share. Every bad value is a UsageError: one line, exit 2, never silently accepted.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { SeveritySetting } from '../report/schema.js';
import { RULES } from '../../rules/index.js';
import { parseRoleSpec, ROLE_SPEC_HELP } from '../understand/role-spec.js';
import { parseBackendName, UnknownBackendError } from '../evaluate/backend.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Options every command takes: the same config file, rule overrides and colour switches everywhere. */
export const COMMON_OPTIONS = {
  config: { type: 'string', short: 'c' },
  rule: { type: 'string', multiple: true },
  map: { type: 'string', multiple: true },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** argv -> typed values + positionals; unknown options and missing values are UsageErrors. */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // node's messages can run over several lines (hints on how to quote a dash); the first says what is wrong
    throw new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, '').split('\n')[0]);
  }
}

/** `value` must be one of `allowed`. */
export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} expects ${allowed.join('|')}, got "${value}"`);
  return value as T;
}

export function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} expects a positive integer, got "${v}"`);
  return n;
}

/** A finite number >= min. */
export function numberAtLeast(name: string, v: string | undefined, min: number, unit: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`--${name} expects a number of ${unit} >= ${min}, got "${v}"`);
  return n;
}

const RULE_LEVELS: readonly SeveritySetting[] = ['off', 'info', 'warn', 'error'];

/** `--rule id=level` flags: the id must be a known rule, the level one of off|info|warn|error. */
export function ruleOverrides(flags: string[]): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const r of flags) {
    const m = /^\s*([a-z0-9-]+)\s*=\s*(\w+)\s*$/.exec(r);
    if (!m) throw new UsageError(`--rule expects id=off|info|warn|error, got "${r}"`);
    if (!RULES.some((rule) => rule.meta.id === m[1])) throw new UsageError(`--rule: unknown rule "${m[1]}" (known: ${RULES.map((x) => x.meta.id).join(', ')})`);
    if (!RULE_LEVELS.includes(m[2] as SeveritySetting)) throw new UsageError(`--rule ${m[1]}: level must be one of ${RULE_LEVELS.join(', ')}, got "${m[2]}"`);
    out[m[1]] = m[2] as SeveritySetting;
  }
  return out;
}

/** `--map NAME=ROLE` flags: NAME as the run logs it (the last '=' splits), ROLE one of the accepted role specs. */
export function roleMap(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const i = f.lastIndexOf('=');
    const name = i > 0 ? f.slice(0, i).trim() : '';
    const role = i > 0 ? f.slice(i + 1).trim() : '';
    if (!name || !role) throw new UsageError(`--map expects NAME=ROLE (e.g. --map "acc_t=target-acc"), got "${f}"`);
    if (!parseRoleSpec(role)) throw new UsageError(`--map ${name}=${role}: unknown role "${role}" (one of ${ROLE_SPEC_HELP})`);
    out[name] = role;
  }
  return out;
}

/** `--backend NAME`: a name the evaluation ladder knows (aliases allowed). */
export function backendName(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    parseBackendName(v);
  } catch (err) {
    if (err instanceof UnknownBackendError) throw new UsageError(`--backend: ${err.message}`);
    throw err;
  }
  return v;
}

/** --color / --no-color; undefined = decide by terminal and NO_COLOR. */
export function colorFlag(values: { color?: boolean; 'no-color'?: boolean }): boolean | undefined {
  return values['no-color'] ? false : values.color ? true : undefined;
}
