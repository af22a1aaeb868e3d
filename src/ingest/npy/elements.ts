// Decoding raw element bytes (any supported dtype, either byte order) into NdArray data, and strided views into C order.
import type { DType, NdArray } from '../../model/ndarray.js';

export type ArrayData = NdArray['data'];

/** How one element is stored. */
export interface ElementType {
  dtype: DType;
  itemsize: number;
  littleEndian: boolean;
}

export const ITEMSIZE: Record<DType, number> = {
  f2: 2, bf16: 2, f4: 4, f8: 8, i1: 1, i2: 2, i4: 4, i8: 8, u1: 1, u2: 2, u4: 4, u8: 8, b1: 1, c8: 8, c16: 16,
};

/** Values per element in `data`: complex numbers are stored interleaved (re, im). */
export function lanes(dtype: DType): number {
  return dtype === 'c8' || dtype === 'c16' ? 2 : 1;
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** dtypes whose stored bytes equal the NdArray data bytes (no widening, no normalising). */
const FAST_COPY = new Set<DType>(['f4', 'f8', 'c8', 'c16', 'i1', 'i2', 'i4', 'u1', 'u2', 'u4']);

/** IEEE 754 binary16 -> number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 0x1f) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function allocFor(dtype: DType, n: number): ArrayData {
  switch (dtype) {
    case 'f2': case 'bf16': case 'f4': case 'c8': return new Float32Array(n);
    case 'f8': case 'c16': case 'i8': case 'u8': return new Float64Array(n);
    case 'i1': return new Int8Array(n);
    case 'i2': return new Int16Array(n);
    case 'i4': return new Int32Array(n);
    case 'u1': case 'b1': return new Uint8Array(n);
    case 'u2': return new Uint16Array(n);
    case 'u4': return new Uint32Array(n);
  }
}

function viewFor(dtype: DType, buf: ArrayBuffer, off: number, n: number): ArrayData {
  switch (dtype) {
    case 'f4': case 'c8': return new Float32Array(buf, off, n);
    case 'f8': case 'c16': return new Float64Array(buf, off, n);
    case 'i1': return new Int8Array(buf, off, n);
    case 'i2': return new Int16Array(buf, off, n);
    case 'i4': return new Int32Array(buf, off, n);
    case 'u2': return new Uint16Array(buf, off, n);
    case 'u4': return new Uint32Array(buf, off, n);
    default: return new Uint8Array(buf, off, n);
  }
}

/** An empty array of the right kind (for gather targets). */
export function allocData(dtype: DType, numel: number): ArrayData {
  return allocFor(dtype, numel * lanes(dtype));
}

/**
 * Decodes `count` elements starting at `bytes[0]`. Caller guarantees bytes.length >= count * itemsize.
 * With `mayAlias`, little-endian f4/f8/c8/c16/i1/i2/i4/u1/u2/u4 data at an aligned offset is returned as a view over
 * `bytes` (no copy): only pass it for buffers nobody else holds.
 * i8/u8 are widened to Float64 (exact to 2^53, per the NdArray contract); f2/bf16 to Float32; b1 normalised to 0/1.
 * Cost: one pass over the bytes.
 */
export function decodeElements(bytes: Uint8Array, et: ElementType, count: number, mayAlias = false): ArrayData {
  const { dtype, littleEndian: le } = et;
  const n = count * lanes(dtype);
  const fast = (le || et.itemsize === 1) && HOST_LE && FAST_COPY.has(dtype);
  const laneBytes = et.itemsize / lanes(dtype);
  if (fast && mayAlias && bytes.byteOffset % laneBytes === 0) {
    // Zero-copy: the caller owns `bytes` (freshly read or inflated) and hands it over, halving peak memory.
    return viewFor(dtype, bytes.buffer as ArrayBuffer, bytes.byteOffset, n);
  }
  const out = allocFor(dtype, n);
  if (fast) {
    // Same layout as the typed array: one memcpy (via a Uint8Array view on the fresh, aligned buffer).
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes.subarray(0, out.byteLength));
    return out;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, count * et.itemsize);
  switch (dtype) {
    case 'f4': case 'c8': { const o = out as Float32Array; for (let i = 0; i < n; i++) o[i] = dv.getFloat32(i * 4, le); break; }
    case 'f8': case 'c16': { const o = out as Float64Array; for (let i = 0; i < n; i++) o[i] = dv.getFloat64(i * 8, le); break; }
    case 'f2': { const o = out as Float32Array; for (let i = 0; i < n; i++) o[i] = halfToFloat(dv.getUint16(i * 2, le)); break; }
    case 'bf16': {
      const o = out as Float32Array;
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) { tmp.setUint32(0, dv.getUint16(i * 2, le) << 16); o[i] = tmp.getFloat32(0); }
      break;
    }
    case 'i1': { const o = out as Int8Array; for (let i = 0; i < n; i++) o[i] = dv.getInt8(i); break; }
    case 'u1': { (out as Uint8Array).set(bytes.subarray(0, n)); break; }
    case 'b1': { const o = out as Uint8Array; for (let i = 0; i < n; i++) o[i] = bytes[i] ? 1 : 0; break; }
    case 'i2': { const o = out as Int16Array; for (let i = 0; i < n; i++) o[i] = dv.getInt16(i * 2, le); break; }
    case 'u2': { const o = out as Uint16Array; for (let i = 0; i < n; i++) o[i] = dv.getUint16(i * 2, le); break; }
    case 'i4': { const o = out as Int32Array; for (let i = 0; i < n; i++) o[i] = dv.getInt32(i * 4, le); break; }
    case 'u4': { const o = out as Uint32Array; for (let i = 0; i < n; i++) o[i] = dv.getUint32(i * 4, le); break; }
    case 'i8': { const o = out as Float64Array; for (let i = 0; i < n; i++) o[i] = Number(dv.getBigInt64(i * 8, le)); break; }
    case 'u8': { const o = out as Float64Array; for (let i = 0; i < n; i++) o[i] = Number(dv.getBigUint64(i * 8, le)); break; }
  }
  return out;
}

/** Row-major (C) strides in elements for a shape. */
export function cStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

/** Column-major (Fortran) strides in elements. */
export function fStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = 0; i < shape.length; i++) { s[i] = acc; acc *= shape[i]; }
  return s;
}

/** Elements a strided view reaches from its offset: 1 + Σ (size_i − 1)·stride_i (0 for an empty view). Strides must be ≥ 0. */
export function stridedSpan(shape: readonly number[], strides: readonly number[]): number {
  let span = 1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 0) return 0;
    span += (shape[i] - 1) * strides[i];
  }
  return span;
}

export function isCContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  const c = cStrides(shape);
  return shape.every((d, i) => d <= 1 || strides[i] === c[i]);
}

/**
 * Copies the view (src element `offset + Σ i_j·stride_j`) into a new C-ordered array. Works per lane for complex data.
 * Cost: O(numel) with an odometer over the indices.
 */
export function gatherToC(src: ArrayData, dtype: DType, shape: readonly number[], strides: readonly number[], offset: number): ArrayData {
  const L = lanes(dtype);
  let total = 1;
  for (const d of shape) total *= d;
  const out = allocData(dtype, total);
  if (total === 0) return out;
  const k = shape.length;
  const idx = new Array<number>(k).fill(0);
  let pos = offset;
  for (let o = 0; o < total; o++) {
    for (let l = 0; l < L; l++) out[o * L + l] = src[pos * L + l];
    // odometer: bump the last index, carrying left
    for (let j = k - 1; j >= 0; j--) {
      idx[j]++;
      pos += strides[j];
      if (idx[j] < shape[j]) break;
      pos -= strides[j] * shape[j];
      idx[j] = 0;
    }
  }
  return out;
}
