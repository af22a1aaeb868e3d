// Reads one NumPy .npy array (from a Buffer or a path) into an NdArray in C order, with a size guard.
import type { NdArray } from '../../model/ndarray.js';
import { InputError, openForReading } from '../input-error.js';
import { decodeElements, fStrides, gatherToC } from './elements.js';
import { MAX_HEADER_BYTES, NPY_PREAMBLE_BYTES, npyHeaderSize, parseNpyHeader, type NpyHeader } from './header.js';

/**
 * Largest array payload we decode by default. Feature dumps for diagnosis are a few MB to a few hundred MB;
 * refusing past 1 GiB keeps a stray 50 GB dump from exhausting memory. Override with `maxBytes`.
 */
export const DEFAULT_MAX_ARRAY_BYTES = 1024 ** 3;

export interface NpyOptions {
  /** refuse arrays whose data is larger than this many bytes (default 1 GiB) */
  maxBytes?: number;
}

/** Bytes of data the header declares; throws when over the limit (checked before anything is allocated). */
export function declaredDataBytes(h: NpyHeader, file: string, maxBytes: number, base = 0): number {
  let n = h.element!.itemsize;
  for (const d of h.shape) n *= d;
  if (!Number.isSafeInteger(n) || n > maxBytes) {
    throw new InputError(file, `array of shape (${h.shape.join(', ')}) ${h.dtypeName} needs ${n} bytes, over the ${maxBytes}-byte limit (maxBytes)`, { offset: base });
  }
  return n;
}

function refuseIfUnreadable(h: NpyHeader, file: string, base: number): void {
  if (h.refused) throw new InputError(file, h.refused, { offset: base + 8 });
}

/**
 * Decodes a complete in-memory .npy. `base` = offset of the .npy inside `file` (npz members) for error offsets.
 * `mayAlias`: the result may be a view over `buf` (pass only for buffers nobody else holds).
 */
export function decodeNpy(buf: Uint8Array, file: string, opts: NpyOptions = {}, base = 0, mayAlias = false): NdArray {
  const h = parseNpyHeader(buf, file, base);
  refuseIfUnreadable(h, file, base);
  const bytes = declaredDataBytes(h, file, opts.maxBytes ?? DEFAULT_MAX_ARRAY_BYTES, base);
  const have = buf.length - h.dataOffset;
  if (have < bytes) {
    throw new InputError(file, `array data truncated: header declares ${bytes} bytes, ${have} present`, { offset: base + buf.length });
  }
  return fromHeaderAndData(h, buf.subarray(h.dataOffset, h.dataOffset + bytes), mayAlias);
}

/** Builds the NdArray from a parsed header and exactly its data bytes (Fortran order materialised to C order). */
export function fromHeaderAndData(h: NpyHeader, data: Uint8Array, mayAlias = false): NdArray {
  const el = h.element!;
  let count = 1;
  for (const d of h.shape) count *= d;
  let values = decodeElements(data, el, count, mayAlias);
  if (h.fortranOrder && h.shape.length > 1) values = gatherToC(values, el.dtype, h.shape, fStrides(h.shape), 0);
  return { dtype: el.dtype, shape: [...h.shape], data: values };
}

/** Reads an .npy from a Buffer or a file path. Throws InputError (file + byte offset) for anything unreadable or refused. */
export async function readNpy(input: Uint8Array | string, opts: NpyOptions & { file?: string } = {}): Promise<NdArray> {
  if (typeof input !== 'string') return decodeNpy(input, opts.file ?? '<buffer>', opts);
  const file = input;
  const fh = await openForReading(file);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new InputError(file, 'not a regular file');
    const pre = Buffer.alloc(NPY_PREAMBLE_BYTES);
    await fh.read(pre, 0, NPY_PREAMBLE_BYTES, 0);
    const hsize = npyHeaderSize(pre.subarray(0, Math.min(NPY_PREAMBLE_BYTES, st.size)), file);
    if (hsize > MAX_HEADER_BYTES + NPY_PREAMBLE_BYTES || hsize > st.size) {
      throw new InputError(file, `.npy header of ${hsize} bytes does not fit in the ${st.size}-byte file`, { offset: 8 });
    }
    const head = Buffer.alloc(hsize);
    await fh.read(head, 0, hsize, 0);
    const h = parseNpyHeader(head, file);
    refuseIfUnreadable(h, file, 0);
    const bytes = declaredDataBytes(h, file, opts.maxBytes ?? DEFAULT_MAX_ARRAY_BYTES);
    if (st.size - h.dataOffset < bytes) {
      throw new InputError(file, `array data truncated: header declares ${bytes} bytes, ${st.size - h.dataOffset} present`, { offset: st.size });
    }
    const data = Buffer.allocUnsafeSlow(bytes); // own ArrayBuffer (not the shared pool): handed over to the array
    let done = 0;
    while (done < bytes) {
      const { bytesRead } = await fh.read(data, done, bytes - done, h.dataOffset + done);
      if (bytesRead === 0) throw new InputError(file, 'file shrank while being read', { offset: h.dataOffset + done });
      done += bytesRead;
    }
    return fromHeaderAndData(h, data, true);
  } finally {
    await fh.close();
  }
}
