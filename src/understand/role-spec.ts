// What a user may write after `--map NAME=` or in the config file's `roles`: a short role name, a canonical key,
// a domain/quantity/split triple, or `ignore`.
import { KEY } from '../model/metric-keys.js';
import type { RoleDomain, RoleQuantity, RoleSplit } from '../model/role-types.js';
import { roleOfKey } from './infer-role.js';

export type RoleSpec = { ignore: true } | { ignore?: false; domain: RoleDomain; quantity: RoleQuantity; split: RoleSplit };

/** Short names users type, each a role. Canonical keys (train/domain_acc, val/acc1, ...) are accepted too. */
export const ROLE_NAMES: Record<string, { domain: RoleDomain; quantity: RoleQuantity; split: RoleSplit }> = {
  'target-acc': { domain: 'target', quantity: 'accuracy', split: 'val' },
  'target-test-acc': { domain: 'target', quantity: 'accuracy', split: 'test' },
  'source-acc': { domain: 'source', quantity: 'accuracy', split: 'train' },
  'source-val-acc': { domain: 'source', quantity: 'accuracy', split: 'val' },
  'domain-acc': { domain: 'domain-discriminator', quantity: 'accuracy', split: 'train' },
  'total-loss': { domain: 'total', quantity: 'total-loss', split: 'train' },
  'class-loss': { domain: 'source', quantity: 'class-loss', split: 'train' },
  'domain-loss': { domain: 'domain-discriminator', quantity: 'domain-loss', split: 'train' },
  'transfer-loss': { domain: 'unknown', quantity: 'transfer-loss', split: 'train' },
  'target-loss': { domain: 'target', quantity: 'loss', split: 'val' },
  lr: { domain: 'unknown', quantity: 'lr', split: 'train' },
  'grl-coeff': { domain: 'domain-discriminator', quantity: 'grl-coeff', split: 'train' },
  entropy: { domain: 'target', quantity: 'entropy', split: 'train' },
};

const DOMAINS: readonly RoleDomain[] = ['source', 'target', 'domain-discriminator', 'total', 'unknown'];
const SPLITS: readonly RoleSplit[] = ['train', 'val', 'test', 'unknown'];

/** The accepted spellings, for error messages and help. */
export const ROLE_SPEC_HELP = `${Object.keys(ROLE_NAMES).join(', ')}, ignore, or a canonical key (${Object.values(KEY).join(', ')})`;

/** Parses a role spec; undefined when it is none of the accepted forms. */
export function parseRoleSpec(text: string): RoleSpec | undefined {
  const t = text.trim();
  const low = t.toLowerCase();
  if (low === 'ignore' || low === 'none') return { ignore: true };
  if (ROLE_NAMES[low]) return { ...ROLE_NAMES[low] };
  const byKey = roleOfKey(t);
  if (byKey) return { ...byKey };
  // domain:quantity:split, e.g. target:accuracy:test
  const parts = low.split(':');
  if (parts.length === 3 && DOMAINS.includes(parts[0] as RoleDomain) && SPLITS.includes(parts[2] as RoleSplit)) {
    return { domain: parts[0] as RoleDomain, quantity: parts[1] as RoleQuantity, split: parts[2] as RoleSplit };
  }
  return undefined;
}
