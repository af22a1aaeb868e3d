// Paths to the shared real runs and logs (../shared beside the repo, as in CI).
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync } from 'node:fs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = resolve(REPO_ROOT, '../shared');
export const SHARED_RUNS = resolve(SHARED, 'runs');
export const SHARED_REAL_LOGS = resolve(SHARED, 'real-logs');
export const FIXTURES = resolve(REPO_ROOT, 'fixtures');

/** The first train-*.txt in a shared run directory. */
export function trainLogOf(runDir: string): string {
  const name = readdirSync(runDir).filter((f) => /^train-.*\.txt$/.test(f)).sort().at(-1);
  if (!name) throw new Error(`no train-*.txt in ${runDir}`);
  return resolve(runDir, name);
}

export const hasShared = existsSync(SHARED_RUNS);
