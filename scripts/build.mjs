// Transpiles src/ and rules/ to dist/ with esbuild (no type check: `npm run typecheck` does that), so `npm ci`
// leaves a runnable `npx dann-doctor` in about a second. The terminal UI entry is bundled with Ink and React:
// loading Ink's many small modules one by one cost ~700 ms of CPU before the first frame; bundled it is ~150 ms.
// The CLI entry is bundled too (our own modules, packages left to node_modules), split at its lazy imports: Node's ESM
// loader resolves, stats and reads every module file on its own. Measured CPU, median of 11 at load ~4, one run of
// fixtures/runs/label_shift: per-file 387 ms, one single-file bundle ~384 ms (compiling ~900 KB it mostly never runs:
// `--version` took 280 ms against 154), split bundle 340 ms (`--version` 136 ms).
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Builds the package into `out` (dist/ for `npm run build`; the triage bench builds the same thing into a folder of its
 * own, so it measures what users run). Paths are relative to the repository root, the working directory.
 */
export async function buildDist(out = 'dist') {
  const entryPoints = [...walk('src'), ...walk('rules')];
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: out,
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
    outfile: `${out}/src/ui/index.js`,
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

  /**
   * Worker-thread modules, bundled in the same split build as the CLI so they load the same chunks (each over its
   * transpiled twin, at the path workerModuleUrl gives): a sweep's worker loaded ~100 transpiled modules one by one.
   */
  const WORKER_ENTRIES = ['src/pipeline/diagnose-worker.ts', 'src/pipeline/evaluate-worker.ts', 'src/tsne/worker.ts', 'src/tsne/repulsion-worker.ts'];

  /**
   * Packages bundled into the CLI (tree-shaken) instead of imported from node_modules: simple-statistics ships one
   * 167 KB module that every run parsed for the three functions we use (median, mean/sampleVariance, gammaln).
   */
  const BUNDLED_PACKAGES = new Set(['simple-statistics']);
  /** Like esbuild's `packages: 'external'` (bare imports stay imports of node_modules), except for `keep`. */
  function packagesExternalBut(keep) {
    return {
      name: 'packages-external-but',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
          return keep.has(name) ? undefined : { path: args.path, external: true };
        });
      },
    };
  }

  // The CLI entry, bundled over its transpiled twin: every module of src/ and rules/ it imports statically in
  // dist/src/cli.js, each lazily imported part in a dist/src/cli-chunk-*.js loaded when asked for. Packages stay imports
  // of node_modules (but BUNDLED_PACKAGES). The UI stays its own bundle. The worker modules are entries of the same build,
  // each at its transpiled twin's path (workerModuleUrl; every chunk sits in dist/src/, so paths from src/'s root
  // resolve from any of them).
  await build({
    entryPoints: ['src/cli.ts', ...WORKER_ENTRIES],
    outdir: `${out}/src`,
    outbase: 'src',
    entryNames: '[dir]/[name]',
    chunkNames: 'cli-chunk-[hash]',
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    logLevel: 'warning',
    define: { DD_CLI_BUNDLE: 'true' },
    plugins: [packagesExternalBut(BUNDLED_PACKAGES), {
      name: 'ui-bundle-external',
      setup(b) {
        b.onResolve({ filter: /^\.\/ui\/index\.js$/ }, (args) => (args.importer.endsWith(join('src', 'cli.ts')) ? { path: './ui/index.js', external: true } : undefined));
      },
    }],
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildDist();
