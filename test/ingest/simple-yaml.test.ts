// The fast block-YAML reader (src/ingest/common/simple-yaml.ts) must give what the `yaml` package gives, or decline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseSimpleYaml } from '../../src/ingest/common/simple-yaml.js';
import { readHparamsYaml } from '../../src/ingest/common/hparams.js';
import { FIXTURES } from '../helpers/shared.js';

/** The options readHparamsYaml gives `yaml`. */
const YAML_OPTIONS = { logLevel: 'silent' as const, customTags: [], strict: false, uniqueKeys: false, maxAliasCount: 100 };

/** Scalars as PyYAML dumps them, and the core-schema corner cases next to them. */
const SCALARS = [
  '0', '-0', '+5', '007', '15', '123456789012345', '1.0', '1.', '.5', '-.5', '0.001', '1.0e-05', '1e3', '-1.5E+3', '1.e3',
  '1.3333333333333333', 'true', 'false', 'True', 'FALSE', 'null', 'Null', '~', "''", "'x y'", "'a: b'", '"quoted"',
  'res.', 'lenet_small', 'data/skdigits', '/abs/path', '_private', 'Infinity', 'NaN', 'yes', 'no', 'on', 'tRue', 'x-y.z',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('block mappings of scalars, lists and nested mappings read exactly as `yaml` reads them', () => {
  const r = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  /** Lines of a mapping at `indent`, nesting at most `depth` more levels. */
  const mapping = (indent: string, depth: number): string[] => {
    const lines: string[] = [];
    const n = 1 + Math.floor(r() * 8);
    for (let k = 0; k < n; k++) {
      const key = `${pick(['lr', 'arch', 'epochs', 'train.lr', 'x_y', 'a/b', 'Seed'])}${k}`;
      const shape = r();
      if (shape < 0.15 && depth > 0) {
        lines.push(`${indent}${key}:`, ...mapping(indent + pick(['  ', '    ']), depth - 1));
      } else if (shape < 0.35) {
        lines.push(`${indent}${key}:`);
        const itemIndent = indent + (r() < 0.5 ? '' : '  ');
        const items = Math.floor(r() * 4); // 0 items: the value is null
        for (let i = 0; i < items; i++) lines.push(`${itemIndent}- ${pick(SCALARS)}`);
      } else lines.push(`${indent}${key}: ${pick(SCALARS)}`);
      if (r() < 0.1) lines.push('');
    }
    return lines;
  };
  for (let doc = 0; doc < 400; doc++) {
    const text = mapping('', 3).join('\n') + (r() < 0.8 ? '\n' : '');
    const fast = parseSimpleYaml(text);
    assert.notEqual(fast, undefined, `declined:\n${text}`);
    assert.deepEqual(fast, parse(text, YAML_OPTIONS), text);
  }
});

test('anything outside the subset is declined (left to `yaml`)', () => {
  for (const text of [
    'a: 1 # comment', '# header\na: 1', 'a: [1, 2]', 'a: {b: 1}', 'a: !!python/tuple\n- 1', "a: 'it''s'",
    'a: "tab\\t"', 'a: 0x1F', 'a: 0o17', 'a: .inf', 'a: 1_000', 'a: 1e', 'a: 12345678901234567890', 'a: b: c', 'a: x y',
    'a: 1\na: 2', 'true: 1', 'a:\n- - 1', 'a:\n- b: 1', 'a:\n- 1\n  - 2', '- 1\n- 2', 'a: 1\r\n', 'a: 1 ', 'a:\tb', '---\na: 1',
    'a:\n  b: 1\n c: 2', 'a:\n  b: 1\n   c: 2', 'a:\n  b: 1\n  - 2', 'a:\n- 1\n  b: 2', 'a:\n  b: 1\na:\n  c: 2', 'a:\n    - 1', ' a: 1',
    'a: |\n  text', 'a: >\n  text', 'a: &x 1\nb: *x', '', '\n\n', 'a: -', 'a:\n-',
  ]) assert.equal(parseSimpleYaml(text), undefined, JSON.stringify(text));
});

test("the fixture run's hparams.yaml (PyYAML dump) gives the values written in it", async () => {
  const h = await readHparamsYaml(join(FIXTURES, 'runs/healthy_lightning/hparams.yaml'));
  assert.equal(h.arch, 'lenet_small');
  assert.equal(h.epochs, 15);
  assert.equal(h.lr, 0.01);
  assert.equal(h.disc_batch_norm, false);
  assert.equal(h.grl_switch_hi, null);
  assert.deepEqual(h.ratio, [0.75, 1.3333333333333333]);
  assert.deepEqual(h.source, ['clean']);
  assert.equal(h.shift_order, '');
  assert.equal(h.train_resizing, 'res.');
  assert.equal(h.target_rotation, 35);
});
