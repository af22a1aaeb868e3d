// Understanding a loaded run before judging it: what each series means (roles), and which algorithm it ran.
import type { Run } from '../model/types.js';
import { assignRoles } from './assign-roles.js';
import { detectAlgorithm } from './algorithm.js';
import { groupAppendedRuns } from './appended-runs.js';

export interface UnderstandOptions {
  /** raw series name -> role spec (from --map and the config file's `roles`) */
  roles?: Record<string, string>;
}

/** Roles first (they may bring a discriminator accuracy to light), then the algorithm. In place. */
export function understandRun(run: Run, opts: UnderstandOptions = {}): void {
  assignRoles(run, { map: opts.roles });
  const from = detectAlgorithm(run);
  if (from) run.algorithmFrom = from;
  if (run.attempts?.length) groupAppendedRuns(run.attempts);
}

export { assignRoles, describeRole } from './assign-roles.js';
export { detectAlgorithm, ADVERSARIAL } from './algorithm.js';
export { groupAppendedRuns, appendedRunCounts } from './appended-runs.js';
export type { SeriesRole, RoleAssignment } from '../model/role-types.js';
