// Transpiles src/ and rules/ to dist/ with esbuild (no type check: `npm run typecheck` does that), so `npm ci`
// leaves a runnable `npx dann-doctor` in about a second. The terminal UI entry is bundled with Ink and React:
// loading Ink's many small modules one by one cost ~700 ms of CPU before the first frame; bundled it is ~150 ms.
// The CLI entry is bundled too (our own modules, packages left to node_modules), split at its lazy imports: Node's ESM
// loader resolves, stats and reads every module file on its own. Measured CPU, median of 11 at load ~4, one run of
// fixtures/runs/label_shift: per-file 387 ms, one single-file bundle ~384 ms (compiling ~900 KB it mostly never runs:
// `--version` took 280 ms against 154), split bundle 340 ms (`--version` 136 ms).
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const entryPoints = [...walk('src'), ...walk('rules')];
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: false,
  logLevel: 'warning',
});

// The UI entry, bundled over its transpiled twin. Ink's optional devtools hook is never used: an empty module.
await build({
  entryPoints: ['src/ui/index.tsx'],
  outfile: 'dist/src/ui/index.js',
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  logLevel: 'warning',
  alias: { 'react-devtools-core': './scripts/empty-module.js' },
  banner: { js: "import { createRequire as __ddCreateRequire } from 'node:module'; const require = __ddCreateRequire(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
});

// The CLI entry, bundled over its transpiled twin: every module of src/ and rules/ it imports statically in
// dist/src/cli.js, each lazily imported part in a dist/src/cli-chunk-*.js loaded when asked for. Packages stay imports
// of node_modules. The UI stays its own bundle, and worker threads start the transpiled worker modules beside it
// (workerModuleUrl; every chunk sits in dist/src/, so paths from src/'s root resolve from any of them).
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist/src',
  entryNames: '[name]',
  chunkNames: 'cli-chunk-[hash]',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  logLevel: 'warning',
  define: { DD_CLI_BUNDLE: 'true' },
  plugins: [{
    name: 'ui-bundle-external',
    setup(b) {
      b.onResolve({ filter: /^\.\/ui\/index\.js$/ }, (args) => (args.importer.endsWith(join('src', 'cli.ts')) ? { path: './ui/index.js', external: true } : undefined));
    },
  }],
});
