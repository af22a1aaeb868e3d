// Tests for the .npy/.npz readers on the real feature dumps in ../shared/runs and on fixtures/npy (made by fixtures/npy/make.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { readNpy, readNpz, readNpzDetailed, listNpz, listNpzDetailed, parseNpyHeader } from '../../src/ingest/npy/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import { FIXTURES, SHARED_RUNS, hasShared } from '../helpers/shared.js';

const NPY = resolve(FIXTURES, 'npy');
const RUNS = ['healthy', 'diverged', 'label_shift', 'source_only', 'strong_disc', 'healthy_lightning'];

test('real features.npz: eight arrays with the documented names, shapes and dtypes', async () => {
  for (const run of RUNS) {
    const m = await readNpz(resolve(SHARED_RUNS, run, 'features.npz'));
    assert.deepEqual([...m.keys()].sort(), ['source_backbone_features', 'source_features', 'source_labels', 'source_logits',
      'target_backbone_features', 'target_features', 'target_labels', 'target_logits'], run);
    assert.deepEqual(m.get('source_features')!.shape, [225, 128]);
    assert.equal(m.get('source_features')!.dtype, 'f4');
    assert.deepEqual(m.get('target_logits')!.shape, [225, 10]);
    assert.equal(m.get('target_labels')!.dtype, 'i8');
    assert.ok(m.get('target_labels')!.data instanceof Float64Array);
  }
});

test('real features.npz: values match numpy (python3 -c "import numpy as np; z=np.load(p); print(z[k].ravel()[:3])")', async () => {
  const m = await readNpz(resolve(SHARED_RUNS, 'healthy', 'features.npz'));
  // numpy: source_labels[:3] = [1 3 0]; target_labels[:3] = [6 9 2]
  assert.deepEqual(Array.from(m.get('source_labels')!.data.slice(0, 3)), [1, 3, 0]);
  assert.deepEqual(Array.from(m.get('target_labels')!.data.slice(0, 3)), [6, 9, 2]);
  // numpy: source_logits[0,:3] = [-2.1968062 9.055269 -0.53511804]; target_features[0,2] = 0.8657357
  const sl = m.get('source_logits')!.data;
  assert.ok(Math.abs(sl[0] - -2.1968062) < 1e-6 && Math.abs(sl[1] - 9.055269) < 1e-5 && Math.abs(sl[2] - -0.53511804) < 1e-7);
  assert.ok(Math.abs(m.get('target_features')!.data[2] - 0.8657357) < 1e-6);
  // label histogram: every digit class present in both domains
  const labels = m.get('target_labels')!.data;
  assert.equal(new Set(Array.from(labels)).size, 10);
});

test('readNpz names filter reads only the asked arrays and throws for a missing one', async () => {
  const p = resolve(SHARED_RUNS, 'diverged', 'features.npz');
  const m = await readNpz(p, { names: ['target_logits'] });
  assert.deepEqual([...m.keys()], ['target_logits']);
  // diverged: all rows identical (dead network) -> numpy target_logits[0,:2] = [0.2707283 0.03557773]
  assert.ok(Math.abs(m.get('target_logits')!.data[0] - 0.2707283) < 1e-6);
  await assert.rejects(readNpz(p, { names: ['nope'] }), (e: unknown) => e instanceof InputError && /no array 'nope'/.test(e.message));
});

test('listNpz gives names/shapes/dtypes of the deflated real dump without reading data', async () => {
  const list = await listNpz(resolve(SHARED_RUNS, 'label_shift', 'features.npz'));
  assert.equal(list.length, 8);
  assert.deepEqual(list.find((a) => a.name === 'source_backbone_features'), { name: 'source_backbone_features', shape: [225, 128], dtype: 'f4' });
  assert.deepEqual(list.find((a) => a.name === 'target_labels'), { name: 'target_labels', shape: [225], dtype: 'i8' });
});

function expectedZoo(name: string): number[] {
  const base = [0, 1, 2, 3, 4, 5];
  const kind = name.includes('f') && !name.includes('bool') ? 'f' : name.includes('_i') || name === 'a_i1' ? 'i' : 'u';
  if (kind === 'f') return base.map((v) => (v - 3) / 4);
  if (kind === 'i') return base.map((v) => v - 3);
  return base;
}

for (const file of ['dtypes.npz', 'dtypes_compressed.npz']) {
  test(`every dtype and byte order decodes to the same pattern (${file})`, async () => {
    const m = await readNpz(resolve(NPY, file));
    const numeric = [...m.keys()].filter((k) => k.startsWith('a_'));
    assert.equal(numeric.length, 20);
    for (const k of numeric) {
      const a = m.get(k)!;
      assert.deepEqual(a.shape, [2, 3], k);
      assert.deepEqual(Array.from(a.data), expectedZoo(k), k);
    }
    assert.equal(m.get('a_be_f2')!.dtype, 'f2');
    assert.ok(m.get('a_be_f2')!.data instanceof Float32Array);
    assert.equal(m.get('a_le_u8')!.dtype, 'u8');
    assert.deepEqual(Array.from(m.get('bool')!.data), [0, 1, 0, 1, 0, 1]);
    assert.equal(m.get('bool')!.dtype, 'b1');
    // complex: interleaved (re, im); numpy: arange(3) + 1j*(arange(3)+10)
    assert.deepEqual(m.get('c8')!.shape, [3]);
    assert.deepEqual(Array.from(m.get('c8')!.data), [0, 10, 1, 11, 2, 12]);
    // int64 widened to float64 is exact to 2^53
    assert.deepEqual(Array.from(m.get('big_i8')!.data), [2 ** 53, -(2 ** 53), 123456789012]);
  });
}

test('Fortran-ordered arrays are materialised in C order', async () => {
  const a = await readNpy(resolve(NPY, 'fortran2d.npy'));
  assert.deepEqual(a.shape, [3, 4]);
  assert.deepEqual(Array.from(a.data), Array.from({ length: 12 }, (_, i) => i));
  const b = await readNpy(resolve(NPY, 'fortran3d.npy'));
  assert.deepEqual(b.shape, [2, 3, 4]);
  assert.equal(b.dtype, 'i4');
  assert.deepEqual(Array.from(b.data), Array.from({ length: 24 }, (_, i) => i));
  assert.equal(parseNpyHeader(readFileSync(resolve(NPY, 'fortran3d.npy')), 'x').fortranOrder, true);
});

test('scalars, empty arrays, header versions 2 and 3, and Buffer input', async () => {
  const s = await readNpy(resolve(NPY, 'scalar.npy'));
  assert.deepEqual(s.shape, []);
  assert.deepEqual(Array.from(s.data), [3.5]);
  const e = await readNpy(resolve(NPY, 'empty.npy'));
  assert.deepEqual(e.shape, [0, 3]);
  assert.equal(e.data.length, 0);
  for (const v of ['v2.npy', 'v3.npy']) {
    const buf = readFileSync(resolve(NPY, v));
    assert.equal(buf[6], Number(v[1]));
    const a = await readNpy(buf);
    assert.equal(a.dtype, 'i2');
    assert.deepEqual(Array.from(a.data), [0, 1, 2, 3, 4]);
  }
});

test('structured and unicode dtypes are refused with the reason', async () => {
  await assert.rejects(readNpy(resolve(NPY, 'structured.npy')), /structured dtype/);
  await assert.rejects(readNpy(resolve(NPY, 'unicode.npy')), /string array \('<U2'\)/);
});

test('listNpz: a header longer than the first compressed bytes read (4 KB header, deflate level 0) is still listed', async () => {
  // fixtures/npy/make.py: a.npy float32 (2, 3) and b.npy int64 (3,), headers padded to 4096 bytes, stored deflate blocks
  const l = await listNpzDetailed(resolve(NPY, 'long-header.npz'));
  assert.deepEqual(l.arrays, [{ name: 'a', shape: [2, 3], dtype: 'f4', fortranOrder: false }, { name: 'b', shape: [3], dtype: 'i8', fortranOrder: false }]);
  assert.deepEqual(l.notes, []);
  const m = await readNpz(resolve(NPY, 'long-header.npz'));
  assert.deepEqual(Array.from(m.get('a')!.data), [0, 1, 2, 3, 4, 5]);
});

test('streamed npz (data descriptors, ZIP64 local extras, deflate) reads from central-directory sizes', async () => {
  const m = await readNpz(resolve(NPY, 'streamed.npz'));
  assert.deepEqual(Array.from(m.get('x')!.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(m.get('y')!.data), [0, 1, 2, 3]);
  const l = await listNpzDetailed(resolve(NPY, 'streamed.npz'));
  assert.deepEqual(l.arrays.map((a) => [a.name, a.dtype, a.shape]), [['x', 'f8', [10]], ['y', 'i8', [4]]]);
});

test('maxBytes refuses an array before allocating it; truncation names the offset', async () => {
  const buf = readFileSync(resolve(NPY, 'fortran2d.npy'));
  await assert.rejects(readNpy(buf, { maxBytes: 40 }), /needs 48 bytes, over the 40-byte limit/);
  const cut = buf.subarray(0, buf.length - 5);
  await assert.rejects(readNpy(cut, { file: 'cut.npy' }), (e: unknown) => e instanceof InputError && e.offset === cut.length && /truncated/.test(e.message));
  await assert.rejects(readNpy(Buffer.from('not numpy at all')), /bad magic/);
  const r = await readNpzDetailed(resolve(NPY, 'dtypes.npz'), { maxBytes: 20 });
  assert.ok(r.arrays.has('a_le_f2') && !r.arrays.has('a_le_f8'));
  assert.ok(r.notes.some((n) => /a_le_f8\.npy' skipped/.test(n.message)));
});

test('missing file is a one-line InputError naming it', async () => {
  await assert.rejects(readNpz('/nonexistent/f.npz'), (e: unknown) => e instanceof InputError && /no such file/.test(e.message));
  await assert.rejects(readNpy('/nonexistent/f.npy'), (e: unknown) => e instanceof InputError);
});
