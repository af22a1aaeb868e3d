// The data half of re-running a checkpoint (issue 18): where a tllib run's images are, how its list lines read, which
// validation transform it used, and that decoding + transform give exactly the tensors PyTorch fed (PIL +
// torchvision, fixtures/rerun/torch/inputs.npz made by fixtures/rerun/make_fixtures.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDataLayout, resolveRoot, taskNames, DIGIT_CLASS_NAMES, type LayoutProbe } from '../../src/rerun/data/dataset-layout.js';
import { parseImageList, listImageFolder } from '../../src/rerun/data/read-list.js';
import { valTransformOf, IMAGENET_MEAN } from '../../src/rerun/data/val-transform.js';
import { convertMode, cropAndNormalize, decodeAndResize } from '../../src/rerun/data/load-image.js';
import { pilResizeBicubic } from '../../src/rerun/data/pil-resize.js';
import { imageBatches, emptySkipped } from '../../src/rerun/data/image-batches.js';
import { readNpz } from '../../src/ingest/npy/index.js';
import { FIXTURES } from '../helpers/shared.js';

const RERUN = join(FIXTURES, 'rerun');

/** A probe over a fake tree: every path listed is a file, every prefix a directory. */
function fakeProbe(files: string[]): LayoutProbe {
  const dirs = new Map<string, Set<string>>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/') || '/';
      if (!dirs.has(d)) dirs.set(d, new Set());
      dirs.get(d)!.add(parts[i]!);
    }
  }
  return { isFile: (p) => files.includes(p), isDir: (p) => dirs.has(p), list: (p) => [...(dirs.get(p) ?? [])] };
}

test('Office-31 tasks map to image_list/{amazon,dslr,webcam}.txt under --data', () => {
  const probe = fakeProbe(['/d/office31/image_list/amazon.txt', '/d/office31/image_list/webcam.txt', '/d/office31/image_list/dslr.txt']);
  const l = resolveDataLayout({ root: 'data/office31', data: 'Office31', source: ['A'], target: ['W'] }, '/runs/x', probe, '/d/office31');
  assert.deepEqual(l.problems, []);
  assert.deepEqual(l.source.map((s) => s.kind === 'image-list' && s.file), ['/d/office31/image_list/amazon.txt']);
  assert.deepEqual(l.target.map((s) => s.kind === 'image-list' && s.file), ['/d/office31/image_list/webcam.txt']);
  assert.equal(l.rootFrom, '--data');
});

test('Office-Home, VisDA and DomainNet (test split) lists; old logs give tasks as plain strings', () => {
  const oh = fakeProbe(['/r/image_list/Art.txt', '/r/image_list/Real_World.txt']);
  const l1 = resolveDataLayout({ data: 'OfficeHome', source: 'Ar', target: 'Rw' }, '/x', oh, '/r');
  assert.deepEqual([...l1.source, ...l1.target].map((s) => s.kind === 'image-list' && s.file), ['/r/image_list/Art.txt', '/r/image_list/Real_World.txt']);
  const v = fakeProbe(['/r/image_list/train.txt', '/r/image_list/validation.txt']);
  const l2 = resolveDataLayout({ data: 'VisDA2017', source: ['Synthetic'], target: ['Real'] }, '/x', v, '/r');
  assert.deepEqual([...l2.source, ...l2.target].map((s) => s.kind === 'image-list' && s.file), ['/r/image_list/train.txt', '/r/image_list/validation.txt']);
  const dn = fakeProbe(['/r/image_list/clipart_train.txt', '/r/image_list/clipart_test.txt', '/r/image_list/sketch_test.txt']);
  const l3 = resolveDataLayout({ data: 'DomainNet', source: ['c'], target: ['s'] }, '/x', dn, '/r');
  assert.deepEqual([...l3.source, ...l3.target].map((s) => s.kind === 'image-list' && s.file), ['/r/image_list/clipart_test.txt', '/r/image_list/sketch_test.txt']);
  assert.deepEqual(taskNames('A,D'), ['A', 'D']);
});

test('Digits: <root>/<NAME>/image_list/<name>_test.txt, one channel, tllib class names; the RGB variant is 3 channels', () => {
  const probe = fakeProbe(['/r/MNIST/image_list/mnist_test.txt', '/r/USPS/image_list/usps_test.txt', '/r/SVHN/image_list/svhn_balanced.txt']);
  const l = resolveDataLayout({ data: 'Digits', source: ['MNIST'], target: ['USPS'] }, '/x', probe, '/r');
  assert.deepEqual(l.problems, []);
  assert.equal(l.channels, 1);
  assert.deepEqual(l.classNames, DIGIT_CLASS_NAMES);
  assert.equal(l.target[0]!.kind === 'image-list' && l.target[0]!.root, '/r/USPS');
  const rgb = resolveDataLayout({ data: 'Digits', source: ['SVHNRGB'], target: ['MNISTRGB'] }, '/x', probe, '/r');
  assert.equal(rgb.channels, 3);
  assert.equal(rgb.source[0]!.kind === 'image-list' && rgb.source[0]!.file, '/r/SVHN/image_list/svhn_balanced.txt');
});

test('a custom dataset: image_list/<task>.txt ignoring case, else an ImageFolder <root>/<task>/; a missing task is a problem', () => {
  const probe = fakeProbe(['/r/image_list/Clean.txt', '/r/rotated/0/a.png', '/r/rotated/1/b.png']);
  const l = resolveDataLayout({ data: 'SKDigits', source: ['clean'], target: ['rotated'] }, '/x', probe, '/r');
  assert.deepEqual(l.problems, []);
  assert.equal(l.source[0]!.kind === 'image-list' && l.source[0]!.file, '/r/image_list/Clean.txt');
  assert.equal(l.target[0]!.kind === 'image-folder' && l.target[0]!.dir, '/r/rotated');
  const missing = resolveDataLayout({ data: 'SKDigits', source: ['clean'], target: ['nowhere'] }, '/x', probe, '/r');
  assert.equal(missing.target.length, 0);
  assert.match(missing.problems[0]!, /target task nowhere: no image list found/);
});

test('the root: --data wins; a relative Namespace root is taken from where the run started (run dir minus its log path)', () => {
  assert.equal(resolveRoot({ root: 'data/office31', log: 'logs/dann/A2W' }, '/home/u/tllib/logs/dann/A2W').root, '/home/u/tllib/data/office31');
  assert.equal(resolveRoot({ root: '/abs/data' }, '/x').root, '/abs/data');
  assert.equal(resolveRoot({ root: 'data' }, '/x', '/elsewhere').root, '/elsewhere');
  assert.equal(resolveRoot({}, '/x').root, undefined);
  const none = resolveDataLayout({ data: 'Office31', source: ['A'], target: ['W'] }, '/x', fakeProbe([]));
  assert.match(none.problems[0]!, /no dataset root/);
});

test('list lines: the label is the last token, the path may hold spaces, absolute paths stay; bad lines are counted', () => {
  const t = parseImageList('a/b c.jpg 3\n\n/abs/x.png 0\nno_label.jpg\nimg.png 2.5\nimg2.png   7  \n', '/l.txt', '/root');
  assert.deepEqual(t.images.map((i) => [i.path, i.label, i.line]), [['/root/a/b c.jpg', 3, 1], ['/abs/x.png', 0, 3], ['/root/img2.png', 7, 6]]);
  assert.equal(t.badLines.count, 2);
  assert.deepEqual(t.badLines.first, { file: '/l.txt', line: 4, text: 'no_label.jpg' });
});

test('ImageFolder: classes sorted as torchvision does, files walked in order, non-images ignored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'imagefolder-'));
  for (const [cls, files] of [['dog', ['b.png', 'a.JPG', 'notes.txt']], ['cat', ['z.png']], ['Bird', ['sub/q.png']]] as const) {
    for (const f of files) {
      mkdirSync(join(dir, cls, f, '..'), { recursive: true });
      writeFileSync(join(dir, cls, f), '');
    }
  }
  const t = await listImageFolder(dir);
  assert.deepEqual(t.classNames, ['Bird', 'cat', 'dog']);
  assert.deepEqual(t.images.map((i) => [i.path.slice(dir.length + 1), i.label]), [['Bird/sub/q.png', 0], ['cat/z.png', 1], ['dog/a.JPG', 2], ['dog/b.png', 2]]);
});

test("validation transform: 'default' is ResizeImage(256) + CenterCrop(224) with ImageNet statistics; 'res.' uses resize_size", () => {
  const d = valTransformOf({});
  assert.ok('transform' in d, 'reproducible');
  assert.deepEqual(d.transform, { resize: 256, centerCrop: 224, channels: 3, mean: IMAGENET_MEAN, std: [0.229, 0.224, 0.225] });
  const r = valTransformOf({ val_resizing: 'res.', resize_size: 16, norm_mean: [0.5], norm_std: [0.5] });
  assert.ok('transform' in r, 'reproducible');
  assert.deepEqual(r.transform, { resize: 16, centerCrop: null, channels: 1, mean: [0.5], std: [0.5] });
  // the dataset's mode wins over the statistics' length: one value broadcasts over RGB (torchvision's Normalize)
  const l = valTransformOf({ val_resizing: 'res.', resize_size: 28, norm_mean: [0.5], norm_std: [0.5] }, 3);
  assert.equal('transform' in l ? l.transform.channels : l.unreproducible, 3);
});

test('an older resizing name is not reproducible, said, never guessed', () => {
  const r = valTransformOf({ val_resizing: 'cen.crop' });
  assert.ok('unreproducible' in r, 'not reproducible');
  assert.match(r.unreproducible, /val_resizing='cen.crop'/);
  assert.ok('unreproducible' in valTransformOf({ norm_mean: [0.1, 0.2], norm_std: [1, 1] }), 'two values for three channels');
});

test("mode L from RGB is Pillow's fixed-point luma; RGB from grey repeats the channel and drops alpha", () => {
  // Pillow: Image.new('RGB', (1,1), (200, 100, 50)).convert('L').getpixel((0,0)) == 124
  assert.deepEqual([...convertMode(Uint8Array.from([200, 100, 50, 255]), 1, 4, 1)], [124]);
  assert.deepEqual([...convertMode(Uint8Array.from([9, 255]), 1, 2, 3)], [9, 9, 9]);
});

test("PIL's bicubic resize: 3x2 -> 2x4 on one channel gives Pillow 9.4's pixels", () => {
  // Image.frombytes('L', (3, 2), bytes([0, 100, 255, 30, 60, 90])).resize((2, 4)).tobytes() == [28, 216, 31, 179, 37, 107, 40, 70]
  assert.deepEqual([...pilResizeBicubic(Uint8Array.from([0, 100, 255, 30, 60, 90]), 3, 2, 1, 2, 4)], [28, 216, 31, 179, 37, 107, 40, 70]);
});

test('decode + ResizeImage + ToTensor + Normalize give exactly the tensors PyTorch fed (fixture, shrink 28->16 and enlarge RGB 12->16)', async () => {
  const expected = JSON.parse(readFileSync(join(RERUN, 'torch', 'expected.json'), 'utf8')) as Record<'source' | 'target', { paths: string[] }>;
  const inputs = await readNpz(join(RERUN, 'torch', 'inputs.npz'));
  const t = { resize: 16, centerCrop: null, channels: 1 as const, mean: [0.5], std: [0.5] };
  for (const d of ['source', 'target'] as const) {
    const ref = inputs.get(`${d}_inputs`)!.data as Float32Array;
    const out = new Float32Array(ref.length);
    for (const [i, p] of expected[d].paths.entries()) cropAndNormalize(await decodeAndResize(join(RERUN, p), t), t, out, i * 256);
    let max = 0;
    for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(out[i]! - ref[i]!));
    assert.ok(max < 1e-6, `${d}: largest difference from PyTorch's input ${max}`);
  }
});

test('CenterCrop takes the middle (Python rounding) and pads a smaller image with zeros as torchvision does', () => {
  const img = { data: Uint8Array.from([...Array(25).keys()].map((v) => v * 10)), width: 5, height: 5, channels: 1 as const };
  const out = new Float32Array(9);
  cropAndNormalize(img, { resize: null, centerCrop: 3, channels: 1, mean: [0], std: [1] }, out, 0);
  // torchvision: top = round((5 - 3) / 2) = 1
  assert.deepEqual([...out].map((v) => Math.round(v * 255)), [60, 70, 80, 110, 120, 130, 160, 170, 180]);
  const small = new Float32Array(16);
  cropAndNormalize({ data: Uint8Array.from([255, 255, 255, 255]), width: 2, height: 2, channels: 1 }, { resize: null, centerCrop: 4, channels: 1, mean: [0], std: [1] }, small, 0);
  assert.deepEqual([...small], [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
});

test('batches keep list order; a missing and an unreadable image are left out and counted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'batches-'));
  const src = join(RERUN, 'data', 'MNIST', 'images');
  copyFileSync(join(src, '0000.png'), join(dir, 'a.png'));
  copyFileSync(join(src, '0001.png'), join(dir, 'b.png'));
  writeFileSync(join(dir, 'bad.png'), 'not a png at all');
  const images = ['a.png', 'gone.png', 'bad.png', 'b.png'].map((f, i) => ({ path: join(dir, f), label: i, listFile: 'l.txt', line: i + 1 }));
  const skipped = emptySkipped();
  const t = { resize: 16, centerCrop: null, channels: 1 as const, mean: [0.5], std: [0.5] };
  const batches = [];
  for await (const b of imageBatches(images, t, skipped, { batchSize: 3, concurrency: 2 })) batches.push(b);
  assert.deepEqual(batches.map((b) => b.rows.map((r) => r.label)), [[0], [3]]);
  assert.equal(batches[0]!.batch.data.length, 256);
  assert.equal(skipped.missing, 1);
  assert.equal(skipped.unreadable, 1);
  assert.equal(skipped.firstMissing?.line, 2);
  assert.equal(skipped.firstUnreadable?.image.line, 3);
});
