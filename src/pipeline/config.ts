// A partial EngineConfig (from a config file and flags) completed with empty defaults: what every step reads.
import type { EngineConfig } from '../report/schema.js';

const EMPTY_CONFIG: EngineConfig = { rules: {}, ruleOptions: {}, metricAliases: {}, roles: {} };

export function resolveConfig(c?: Partial<EngineConfig>): EngineConfig {
  return { ...EMPTY_CONFIG, ...c, rules: { ...c?.rules }, ruleOptions: { ...c?.ruleOptions }, metricAliases: { ...c?.metricAliases }, roles: { ...c?.roles } };
}
