// Bench: decode + tllib validation transform rate (images/s) for a re-run (issue 18), ours (sharp decode, PIL's
// conversions, Pillow's bicubic ported; and sharp's own resize for comparison) beside PIL + torchvision on the same
// files: the committed digits fixture (PNG, mode L, ResizeImage(16)) and generated photo-sized JPEGs (500x375 RGB,
// ResizeImage(256) + CenterCrop(224), ImageNet statistics: the Office-31 / VisDA 'default' path).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ListedImage, ValTransform } from '../src/rerun/types.js';
import { imageBatches, emptySkipped, defaultDecodeConcurrency } from '../src/rerun/data/image-batches.js';
import { cropAndNormalize, decodeAndResize, type Resizer } from '../src/rerun/data/load-image.js';
import { mulberry32 } from '../src/evaluate/rng.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'rerun');
/** Generated photos: enough to time, few enough to make in a second or two. */
const PHOTOS = 120;
const PHOTO_W = 500;
const PHOTO_H = 375;
const PYTHON_TIMEOUT_MS = 300_000;

const pyScript = `
import json, sys, time
from PIL import Image
from torchvision import transforms
files, mode, resize, crop, mean, std = json.loads(sys.stdin.read())
class ResizeImage:
    def __init__(self, s): self.s = (s, s)
    def __call__(self, img): return img.resize(self.s)
steps = [ResizeImage(resize)] + ([transforms.CenterCrop(crop)] if crop else []) + [transforms.ToTensor(), transforms.Normalize(mean, std)]
t = transforms.Compose(steps)
best = float('inf')
for _ in range(3):
    t0 = time.perf_counter()
    for f in files: t(Image.open(f).convert(mode))
    best = min(best, time.perf_counter() - t0)
print(json.dumps({'seconds': best}))
`;

async function photos(dir: string): Promise<string[]> {
  const r = mulberry32(11);
  const files: string[] = [];
  for (let i = 0; i < PHOTOS; i++) {
    // smooth colour gradients + noise: JPEG work comparable to a photo (not a flat image that decodes trivially)
    const px = Buffer.alloc(PHOTO_W * PHOTO_H * 3);
    const a = r() * 255;
    const b = r() * 255;
    for (let y = 0; y < PHOTO_H; y++) for (let x = 0; x < PHOTO_W; x++) {
      const o = (y * PHOTO_W + x) * 3;
      px[o] = (a + x * 0.4 + r() * 40) & 255;
      px[o + 1] = (b + y * 0.5 + r() * 40) & 255;
      px[o + 2] = ((x + y) * 0.3 + r() * 40) & 255;
    }
    const f = join(dir, `${i}.jpg`);
    await sharp(px, { raw: { width: PHOTO_W, height: PHOTO_H, channels: 3 } }).jpeg({ quality: 90 }).toFile(f);
    files.push(f);
  }
  return files;
}

/** Streamed as a re-run does it (bounded concurrency, next batch prepared while the last is used). */
async function oursStreamed(files: string[], t: ValTransform): Promise<number> {
  const images: ListedImage[] = files.map((path, i) => ({ path, label: 0, listFile: 'bench', line: i + 1 }));
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for await (const _ of imageBatches(images, t, emptySkipped())) { /* consume */ }
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** One image at a time, as PIL in a single process: the like-for-like comparison. */
async function oursSerial(files: string[], t: ValTransform, resizer: Resizer): Promise<number> {
  const size = t.centerCrop ?? t.resize!;
  const out = new Float32Array(t.channels * size * size);
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (const f of files) cropAndNormalize(await decodeAndResize(f, t, resizer), t, out, 0);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

function pil(files: string[], t: ValTransform): number | string {
  const r = spawnSync('/usr/bin/python3', ['-c', pyScript], {
    input: JSON.stringify([files, t.channels === 1 ? 'L' : 'RGB', t.resize, t.centerCrop, t.mean, t.std]),
    encoding: 'utf8', timeout: PYTHON_TIMEOUT_MS,
  });
  if (r.status !== 0) return `PIL + torchvision not run (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`;
  return (JSON.parse(r.stdout) as { seconds: number }).seconds;
}

export async function benchRerunData(): Promise<string[]> {
  const lines = [`rerun-data: decode + validation transform, images/s (load average ${loadavg()[0]!.toFixed(1)}; ours streamed with ${defaultDecodeConcurrency()} decodes in flight)`];
  const expected = JSON.parse(readFileSync(join(FIXTURE, 'torch', 'expected.json'), 'utf8')) as Record<'source' | 'target', { paths: string[] }>;
  const digits = [...expected.source.paths, ...expected.target.paths].map((p) => join(FIXTURE, p));
  const dir = mkdtempSync(join(tmpdir(), 'dd-bench-photos-'));
  try {
    const sets: [string, string[], ValTransform][] = [
      [`digits fixture (${digits.length} PNG, 28x28 L + 12x12 RGB -> L, ResizeImage(16))`, digits, { resize: 16, centerCrop: null, channels: 1, mean: [0.5], std: [0.5] }],
      [`photos (${PHOTOS} JPEG ${PHOTO_W}x${PHOTO_H} RGB, ResizeImage(256) + CenterCrop(224))`, await photos(dir), { resize: 256, centerCrop: 224, channels: 3, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }],
    ];
    for (const [what, files, t] of sets) {
      const rate = (s: number) => `${Math.round(files.length / s)}`;
      const streamed = await oursStreamed(files, t);
      const serial = await oursSerial(files, t, 'pil');
      const sharpResize = await oursSerial(files, t, 'sharp');
      const p = pil(files, t);
      const pilText = typeof p === 'number' ? `PIL + torchvision (1 process) ${rate(p)}` : p;
      const ratio = typeof p === 'number' ? `; ours one at a time = ${(p / serial).toFixed(2)}x PIL, streamed = ${(p / streamed).toFixed(2)}x` : '';
      lines.push(`  ${what}: ours streamed ${rate(streamed)}, ours one at a time ${rate(serial)} (with sharp's resize instead of the Pillow port: ${rate(sharpResize)}), ${pilText}${ratio}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const l of await benchRerunData()) console.log(l);
}
