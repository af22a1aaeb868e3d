// What a series means: the role every series gets (domain, quantity, split, granularity) with a confidence and the
// reasons it was assigned. Roles are what the canonical keys (src/model/metric-keys.ts) are made of.

export type RoleDomain = 'source' | 'target' | 'domain-discriminator' | 'total' | 'unknown';

export type RoleQuantity =
  | 'accuracy' | 'error' | 'class-loss' | 'transfer-loss' | 'domain-loss' | 'total-loss' | 'loss'
  | 'lr' | 'grl-coeff' | 'trade-off' | 'entropy' | 'f1' | 'epoch-counter' | 'resource' | 'placeholder' | 'other';

export type RoleSplit = 'train' | 'val' | 'test' | 'unknown';

export interface SeriesRole {
  domain: RoleDomain;
  quantity: RoleQuantity;
  split: RoleSplit;
  granularity: 'step' | 'epoch';
  /** 0..1: 0.9+ explicit words for every part, ~0.6 one part assumed (e.g. val = target), <0.4 from values alone */
  confidence: number;
  /** one short phrase per piece of evidence: which token, which config key, which value range, which assumption */
  reasons: string[];
  /** 'user' when set by --map or the config file's `roles` */
  from: 'inferred' | 'user';
}

/** A series of a run with its role and the canonical key it fills (undefined when it fills none). */
export interface RoleAssignment {
  /** the key the series is stored under in run.series */
  key: string;
  rawName: string;
  file: string;
  role: SeriesRole;
}
