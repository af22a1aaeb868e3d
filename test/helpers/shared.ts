// Paths to the real runs and logs the tests read. The default suite reads the bundled copies in fixtures/
// (runs we trained ourselves, MIT-licensed tllib logs: see fixtures/README.md); only test/corpus/ reads the
// full corpus in ../shared beside the checkout (SHARED).
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, statSync } from 'node:fs';

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

/** The corpus groups of ../shared, in the order reports list them. */
export const SHARED_GROUPS = ['runs', 'real-logs', 'real-artifacts'] as const;

/** Every folder of ../shared's runs/, real-logs/ and real-artifacts/, sorted (READMEs and truth.json are files: left out). */
export function sharedCorpusFolders(): { group: string; entry: string; path: string }[] {
  const out: { group: string; entry: string; path: string }[] = [];
  for (const group of SHARED_GROUPS) {
    const dir = resolve(SHARED, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      const path = resolve(dir, entry);
      if (statSync(path).isDirectory()) out.push({ group, entry, path });
    }
  }
  return out;
}

/** The last train-*.txt in a run directory. */
export function trainLogOf(runDir: string): string {
  const name = readdirSync(runDir).filter((f) => /^train-.*\.txt$/.test(f)).sort().at(-1);
  if (!name) throw new Error(`no train-*.txt in ${runDir}`);
  return resolve(runDir, name);
}
