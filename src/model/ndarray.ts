// A decoded n-dimensional array (from .npy/.npz or a .pth tensor), always materialized in C (row-major) order.

export type DType = 'f2' | 'bf16' | 'f4' | 'f8' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'b1' | 'c8' | 'c16';

export interface NdArray {
  dtype: DType;
  shape: number[];
  /**
   * Values in C order. Floats (incl. f2/bf16, widened) as Float32Array/Float64Array; integers as Int32Array/Float64Array
   * (i8/u8 widened to Float64Array, exact up to 2^53); bools as Uint8Array.
   */
  data: Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
