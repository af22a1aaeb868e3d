// The one config loader: dann-doctor.config.json (--config FILE, else the one in the working folder) plus --rule
// flags. The main command, compare and watch all judge with what this returns.
import { resolve } from 'node:path';
import type { EngineConfig, SeveritySetting } from '../report/schema.js';
import { loadConfig, findConfigFile } from './config-file.js';

export interface ConfigSources {
  /** --config FILE (relative to cwd) */
  configFile?: string;
  /** --rule id=level, already validated */
  ruleOverrides?: Record<string, SeveritySetting>;
  /** --map NAME=ROLE, already validated; wins over the config file's `roles` */
  roleMap?: Record<string, string>;
}

export async function loadCommandConfig(src: ConfigSources, cwd: string): Promise<Partial<EngineConfig>> {
  const file = src.configFile !== undefined ? resolve(cwd, src.configFile) : findConfigFile(cwd);
  const base: Partial<EngineConfig> = file ? await loadConfig(file) : {};
  return { ...base, rules: { ...base.rules, ...src.ruleOverrides }, roles: { ...base.roles, ...src.roleMap } };
}
