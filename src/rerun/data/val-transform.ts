// tllib's validation transform (utils.get_val_transform, formats.md 8.2) from a run's Namespace: which resize, which
// crop, which normalisation. A resizing name tllib's current code does not define is "not reproducible", never a guess.
import type { HyperValue } from '../../model/types.js';
import type { ValTransform } from '../types.js';

/** torchvision's ImageNet statistics: tllib's --norm-mean / --norm-std defaults. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];
/** tllib's 'default' validation resizing: ResizeImage(256) then CenterCrop(224). */
export const DEFAULT_RESIZE = 256;
export const DEFAULT_CROP = 224;
/** tllib's --resize-size default. */
export const DEFAULT_RESIZE_SIZE = 224;

export type ValTransformResult = { transform: ValTransform; notes: string[] } | { unreproducible: string };

function numbers(v: HyperValue | undefined): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  const a = Array.isArray(v) ? v : [v];
  const n = a.map((x) => Number(x));
  return n.length > 0 && n.every((x) => Number.isFinite(x)) ? n : undefined;
}

/**
 * `channels`: what the dataset is read as (1 for tllib's digit datasets in mode L), when the layout knows; else one
 * normalisation value means one channel (digit-style runs log `norm_mean=[0.5]`), three values mean RGB.
 */
export function valTransformOf(h: Record<string, HyperValue>, channels?: 1 | 3): ValTransformResult {
  const resizing = h.val_resizing === undefined || h.val_resizing === null ? 'default' : String(h.val_resizing);
  let resize: number | null;
  let centerCrop: number | null = null;
  if (resizing === 'default') {
    resize = DEFAULT_RESIZE;
    centerCrop = DEFAULT_CROP;
  } else if (resizing === 'res.') {
    const size = h.resize_size === undefined ? DEFAULT_RESIZE_SIZE : Number(h.resize_size);
    if (!Number.isInteger(size) || size <= 0) return { unreproducible: `resize_size=${String(h.resize_size)} is not a positive whole number` };
    resize = size;
  } else {
    return { unreproducible: `val_resizing='${resizing}' is not a validation transform current tllib defines ('default', 'res.'); the images cannot be fed as the run fed them` };
  }
  const notes: string[] = [];
  const mean = numbers(h.norm_mean) ?? IMAGENET_MEAN;
  const std = numbers(h.norm_std) ?? IMAGENET_STD;
  if (std.some((s) => s === 0)) return { unreproducible: 'norm_std holds a zero' };
  const ch: 1 | 3 = channels ?? (mean.length === 1 && std.length === 1 ? 1 : 3);
  for (const [name, v] of [['norm_mean', mean], ['norm_std', std]] as const) {
    // torchvision's Normalize broadcasts one value over every channel; any other count mismatch fails in PyTorch too
    if (v.length !== 1 && v.length !== ch) return { unreproducible: `${name} has ${v.length} values for ${ch}-channel images` };
  }
  return { transform: { resize, centerCrop, channels: ch, mean, std }, notes };
}

/** The transform as tllib prints it (for notes and cache keys). */
export function describeTransform(t: ValTransform): string {
  const parts = [];
  if (t.resize !== null) parts.push(`ResizeImage(${t.resize})`);
  if (t.centerCrop !== null) parts.push(`CenterCrop(${t.centerCrop})`);
  parts.push(`ToTensor(${t.channels === 1 ? 'L' : 'RGB'})`, `Normalize(${JSON.stringify(t.mean)}, ${JSON.stringify(t.std)})`);
  return parts.join(' -> ');
}

/** Height and width of the tensors the transform produces (null: they follow each image, no resize or crop). */
export function outputSize(t: ValTransform): number | null {
  return t.centerCrop ?? t.resize;
}
