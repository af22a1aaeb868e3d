// Paths to the real runs and logs the tests read. The default suite reads the bundled copies in fixtures/
// (runs we trained ourselves, MIT-licensed tllib logs: see fixtures/README.md); only test/corpus/ reads the
// full corpus in ../shared beside the checkout (SHARED).
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync } from 'node:fs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = resolve(REPO_ROOT, 'fixtures');
/** The bundled real runs (fixtures/runs, copies of ../shared/runs). The name is historical. */
export const SHARED_RUNS = resolve(FIXTURES, 'runs');
/** The bundled real tllib logs (fixtures/real-logs, copies of ../shared/real-logs). The name is historical. */
export const SHARED_REAL_LOGS = resolve(FIXTURES, 'real-logs');
/** Always true now that the runs are bundled; kept so tests written against the old helper still compile. */
export const hasShared = existsSync(SHARED_RUNS);

/** The full shared corpus beside the checkout: for test/corpus/ only (`npm run test:corpus`). */
export const SHARED = resolve(REPO_ROOT, '../shared');
export const hasSharedCorpus = existsSync(resolve(SHARED, 'runs'));

/** The last train-*.txt in a run directory. */
export function trainLogOf(runDir: string): string {
  const name = readdirSync(runDir).filter((f) => /^train-.*\.txt$/.test(f)).sort().at(-1);
  if (!name) throw new Error(`no train-*.txt in ${runDir}`);
  return resolve(runDir, name);
}
