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
const only = process.argv.slice(2);
const files = walk('test').filter((f) => only.length === 0 || only.some((o) => f.startsWith(o) || f.includes(o))).sort();
run(process.execPath, ['scripts/build.mjs']);
if (only.length === 0) run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]);
