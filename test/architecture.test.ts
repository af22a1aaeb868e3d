// The layer diagram of docs/architecture.md, enforced: every import under src/ and rules/ points from a higher layer
// to a lower one (never sideways between two folders of one layer, never up), no module imports src/index.ts (the
// public API only re-exports), and no file imports itself back through a cycle. A new folder must be given a
// layer here and in docs/architecture.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, dirname, relative } from 'node:path';
import { REPO_ROOT } from './helpers/shared.js';

/** Lowest first. A folder may import only folders of a lower layer (and itself). Same table as docs/architecture.md. */
export const LAYERS: string[][] = [
  ['src/model', 'src/math'],
  ['src/understand'],
  ['src/signals', 'src/ingest', 'src/output', 'src/runtime'],
  ['src/discover', 'src/evaluate', 'src/tsne', 'src/report'],
  ['src/facts', 'src/engine', 'src/seeds', 'src/suppressions', 'src/plot', 'src/rerun'],
  ['rules', 'src/causes', 'src/sweep', 'src/replay'],
  ['src/reporters', 'src/ui'],
  ['src/pipeline'],
  ['src/cli'],
  ['src/index'],
];

const layerOf = new Map(LAYERS.flatMap((units, i) => units.map((u) => [u, i] as const)));

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The folder a file belongs to: rules/ as a whole, src/<folder>, or src/<file> for top-level files (cli.ts -> src/cli). */
function unitOf(file: string): string {
  const parts = relative(REPO_ROOT, file).split(/[\\/]/);
  if (parts[0] === 'rules') return 'rules';
  return parts.length === 2 ? `src/${parts[1].replace(/\.tsx?$/, '')}` : `${parts[0]}/${parts[1]}`;
}

function resolveSpec(from: string, spec: string): string | undefined {
  const abs = resolve(dirname(from), spec);
  for (const c of [abs.replace(/\.js$/, '.ts'), abs.replace(/\.js$/, '.tsx'), abs]) if (files.includes(c)) return c;
  return undefined;
}

const files = [...walk(resolve(REPO_ROOT, 'src')), ...walk(resolve(REPO_ROOT, 'rules'))];
/** Static, side-effect and dynamic relative imports (comments stripped: a comment may quote an import). */
const imports = new Map<string, { target: string; spec: string; typeOnly: boolean }[]>(files.map((f) => {
  const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: { target: string; spec: string; typeOnly: boolean }[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    const target = resolveSpec(f, spec);
    if (target) out.push({ target, spec, typeOnly });
  };
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm)) add(m[2], !!m[1]);
  for (const m of text.matchAll(/^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm)) add(m[1], false);
  for (const m of text.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) add(m[1], false);
  return [f, out];
}));

test('the walker sees imports (a test that finds none proves nothing)', () => {
  const judge = imports.get(resolve(REPO_ROOT, 'src/pipeline/judge.ts')) ?? [];
  assert.ok(judge.some((i) => i.target === resolve(REPO_ROOT, 'rules/index.ts')), 'pipeline/judge.ts imports the rule registry');
  assert.ok([...imports.values()].reduce((n, l) => n + l.length, 0) > 500);
});

test('every folder under src/ and rules/ has a layer', () => {
  const unknown = [...new Set(files.map(unitOf))].filter((u) => !layerOf.has(u));
  assert.deepEqual(unknown, [], 'give these a layer in test/architecture.test.ts and docs/architecture.md');
});

test('imports point down the layers only (no back-arrow, no sideways arrow between folders of one layer)', () => {
  const bad: string[] = [];
  for (const [f, list] of imports) {
    const a = unitOf(f);
    for (const { target, spec } of list) {
      const b = unitOf(target);
      if (a === b || !layerOf.has(a) || !layerOf.has(b)) continue;
      if (layerOf.get(b)! >= layerOf.get(a)!) bad.push(`${relative(REPO_ROOT, f)} (${a}, layer ${layerOf.get(a)}) imports ${spec} (${b}, layer ${layerOf.get(b)})`);
    }
  }
  assert.deepEqual(bad, []);
});

test('no module imports src/index.ts (the public API only re-exports)', () => {
  const index = resolve(REPO_ROOT, 'src/index.ts');
  const importers = [...imports].filter(([, list]) => list.some((i) => i.target === index)).map(([f]) => relative(REPO_ROOT, f));
  assert.deepEqual(importers, []);
});

test('no import cycle between files (type-only imports vanish at run time and are left out)', () => {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'visiting');
    stack.push(f);
    for (const { target, typeOnly } of imports.get(f) ?? []) {
      if (typeOnly) continue;
      if (state.get(target) === 'visiting') cycles.push([...stack.slice(stack.indexOf(target)), target].map((x) => relative(REPO_ROOT, x)).join(' -> '));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test('the layer table here is the one drawn in docs/architecture.md', () => {
  const doc = readFileSync(resolve(REPO_ROOT, 'docs/architecture.md'), 'utf8');
  for (const [i, units] of LAYERS.entries()) {
    for (const u of units) assert.match(doc, new RegExp(`^\\| ${i} \\|.*\`${u.replace(/^src\//, 'src/')}/?\``, 'm'), `docs/architecture.md: layer ${i} row lists ${u}`);
  }
});
