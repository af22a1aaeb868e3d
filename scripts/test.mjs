// `npm test`: build, type-check, then every test file under test/ with Node's built-in runner.
// Extra args are passed through as test files or name patterns: `npm test -- test/ingest`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}
// `--corpus` runs test/corpus/ (tests that need the shared real-run corpus in ../shared beside the checkout);
// the default suite never includes it, so a plain clone passes `npm test` on its own.
const args = process.argv.slice(2);
const corpus = args.includes('--corpus');
const only = args.filter((a) => a !== '--corpus');
const isCorpus = (f) => f.split(/[\\/]/).includes('corpus');
const files = walk('test')
  .filter((f) => (corpus ? isCorpus(f) : !isCorpus(f)))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o) || f.includes(o)))
  .sort();
if (files.length === 0) { console.log('no test files selected'); process.exit(0); }
run(process.execPath, ['scripts/build.mjs']);
if (only.length === 0) run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]);
