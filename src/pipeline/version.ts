// The tool's version, read once from package.json.
import { readFileSync } from 'node:fs';

/** package.json sits two folders up from src/pipeline/ and three from dist/src/pipeline/. */
function readVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dann-doctor' && pkg.version) return pkg.version;
    } catch {
      /* try the next location */
    }
  }
  return '0.0.0';
}
export const VERSION = readVersion();
