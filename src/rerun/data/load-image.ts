// One image through tllib's validation pipeline, as PIL and torchvision do it: decode (sharp), convert to mode L or
// RGB (PIL's formulas), ResizeImage (exact square, bicubic), CenterCrop, ToTensor (/255) and Normalize, written into
// a slot of an NCHW batch. sharp decodes and resizes; the colour conversion and the arithmetic are done here because
// they are a few lines that must match PIL's, not libvips', definitions.
import sharp from 'sharp';
import type { ValTransform } from '../types.js';
import { outputSize } from './val-transform.js';
import { pilResizeBicubic } from './pil-resize.js';

/**
 * How ResizeImage resamples: 'pil' is Pillow's bicubic ported step for step (pil-resize.ts: the default, it matches
 * PyTorch's input exactly); 'sharp' is libvips' 'cubic' kernel (kept for the bench: faster when shrinking photos,
 * but off when enlarging, see pil-resize.ts).
 */
export type Resizer = 'pil' | 'sharp';

/** Images above this many pixels are refused (decompression bombs); 20k x 20k is far past any dataset photo. */
export const MAX_INPUT_PIXELS = 400_000_000;

/** Why an image could not be used: not found, or not decodable. */
export class ImageLoadError extends Error {
  constructor(readonly kind: 'missing' | 'unreadable', readonly path: string, message: string) {
    super(message);
    this.name = 'ImageLoadError';
  }
}

export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

/**
 * PIL's convert('L') from RGB (ITU-R 601-2 luma, Pillow's Convert.c L24: fixed point with rounding), or the first
 * channel when already one channel; convert('RGB') drops alpha and repeats a grey channel.
 */
export function convertMode(src: Uint8Array | Buffer, pixels: number, srcChannels: number, to: 1 | 3): Uint8Array {
  const out = new Uint8Array(pixels * to);
  if (to === 1) {
    if (srcChannels >= 3) {
      for (let i = 0, j = 0; i < pixels; i++, j += srcChannels) out[i] = (src[j]! * 19595 + src[j + 1]! * 38470 + src[j + 2]! * 7471 + 0x8000) >>> 16;
    } else for (let i = 0; i < pixels; i++) out[i] = src[i * srcChannels]!;
    return out;
  }
  for (let i = 0, j = 0; i < pixels; i++, j += srcChannels) {
    if (srcChannels >= 3) {
      out[3 * i] = src[j]!;
      out[3 * i + 1] = src[j + 1]!;
      out[3 * i + 2] = src[j + 2]!;
    } else out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = src[j]!;
  }
  return out;
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Decodes `path` to 8-bit pixels in mode L (1) or RGB (3), and applies ResizeImage when the transform has one. */
export async function decodeAndResize(path: string, t: ValTransform, resizer: Resizer = 'pil'): Promise<DecodedImage> {
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    // PIL ignores embedded colour profiles and EXIF orientation: so must we (sharp's defaults would apply both)
    raw = await sharp(path, { ignoreIcc: true, failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, pages: 1 })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    const code = errno(err);
    if (code === 'ENOENT' || /Input file is missing/i.test((err as Error).message)) throw new ImageLoadError('missing', path, 'not found');
    throw new ImageLoadError('unreadable', path, (err as Error).message.split('\n')[0] ?? 'unreadable');
  }
  const { width, height, channels } = raw.info;
  // PIL converts first (default_loader's convert('RGB'), the digit datasets' convert('L')), then resizes
  const pixels = convertMode(raw.data, width * height, channels, t.channels);
  if (t.resize === null || (width === t.resize && height === t.resize)) return { data: pixels, width, height, channels: t.channels };
  if (resizer === 'pil') return { data: pilResizeBicubic(pixels, width, height, t.channels, t.resize, t.resize), width: t.resize, height: t.resize, channels: t.channels };
  const resized = await sharp(pixels, { raw: { width, height, channels: t.channels } })
    .resize(t.resize, t.resize, { fit: 'fill', kernel: 'cubic' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  // sharp returns a one-channel raw input as three equal channels
  return { data: convertMode(resized.data, t.resize * t.resize, resized.info.channels, t.channels), width: t.resize, height: t.resize, channels: t.channels };
}

/** Python's round(): halves to even (torchvision's CenterCrop offsets use it). */
function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * CenterCrop, ToTensor and Normalize into `out` at `offset` (channels x size x size floats). torchvision pads an
 * image smaller than the crop with zeros before cropping; so does this.
 */
export function cropAndNormalize(img: DecodedImage, t: ValTransform, out: Float32Array, offset: number): void {
  const size = outputSize(t);
  const th = size ?? img.height;
  const tw = size ?? img.width;
  // torchvision 0.14 CenterCrop: pad (left, top) = ((tw - w) // 2, (th - h) // 2) when smaller, then crop at round()
  const padL = tw > img.width ? Math.floor((tw - img.width) / 2) : 0;
  const padT = th > img.height ? Math.floor((th - img.height) / 2) : 0;
  const pw = Math.max(img.width, tw);
  const ph = Math.max(img.height, th);
  const top = pyRound((ph - th) / 2);
  const left = pyRound((pw - tw) / 2);
  const c = img.channels;
  for (let ch = 0; ch < c; ch++) {
    const mean = Math.fround(t.mean.length === 1 ? t.mean[0]! : t.mean[ch]!);
    const std = Math.fround(t.std.length === 1 ? t.std[0]! : t.std[ch]!);
    const base = offset + ch * th * tw;
    for (let y = 0; y < th; y++) {
      const sy = y + top - padT;
      for (let x = 0; x < tw; x++) {
        const sx = x + left - padL;
        const v = sy >= 0 && sy < img.height && sx >= 0 && sx < img.width ? img.data[(sy * img.width + sx) * c + ch]! : 0;
        // torch: float32 division by 255, then (x - mean) / std in float32
        out[base + y * tw + x] = Math.fround(Math.fround(v / 255) - mean) / std;
      }
    }
  }
}
