// The built binary for e2e tests. `npm test` builds once before any test runs; a test never rebuilds (a rebuild
// deletes dist/ under the feet of e2e tests running in parallel), it only builds when dist/ is missing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

export const BIN = join(REPO_ROOT, 'bin', 'dann-doctor.js');

export function ensureBuilt(): void {
  if (existsSync(join(REPO_ROOT, 'dist', 'src', 'cli.js'))) return;
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
}
