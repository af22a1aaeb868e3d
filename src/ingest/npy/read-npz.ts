// Reads NumPy .npz archives (stored or deflated, ZIP64) into named NdArrays, and lists them without reading data.
import { inflateRawSync, constants as zc } from 'node:zlib';
import type { NdArray } from '../../model/ndarray.js';
import type { FeatureDumpInfo, Note } from '../../model/types.js';
import { InputError } from '../input-error.js';
import { withZip, type ZipArchive, type ZipEntry, type ZipLimits } from '../common/zip.js';
import { MAX_HEADER_BYTES, NPY_PREAMBLE_BYTES, npyHeaderSize, parseNpyHeader, type NpyHeader } from './header.js';
import { DEFAULT_MAX_ARRAY_BYTES, decodeNpy, type NpyOptions } from './read-npy.js';

export interface NpzOptions extends NpyOptions, ZipLimits {
  /** read only these arrays (names without '.npy'); a requested array that cannot be read throws */
  names?: string[];
  /** notes (skipped/refused members, zip guards) are pushed here as well as returned by readNpzDetailed */
  notes?: Note[];
}

export interface NpzResult {
  arrays: Map<string, NdArray>;
  notes: Note[];
}

/** One array in a listing; `refused` says why it cannot be read (object dtype, bad header...). */
export interface NpzListing {
  name: string;
  shape: number[];
  dtype: string;
  fortranOrder?: boolean;
  refused?: string;
}

function arrayName(entry: ZipEntry): string | undefined {
  return entry.name.endsWith('.npy') ? entry.name.slice(0, -4) : undefined;
}

/**
 * Reads every `.npy` member (or `opts.names`). Members that are refused (object dtype, over maxBytes, bad deflate...)
 * are skipped with a warn note unless they were asked for by name, in which case the InputError is thrown.
 */
export async function readNpzDetailed(path: string, opts: NpzOptions = {}): Promise<NpzResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_ARRAY_BYTES;
  return withZip(path, async (zip) => {
    const arrays = new Map<string, NdArray>();
    const notes: Note[] = [...zip.notes];
    const wanted = opts.names ? new Set(opts.names) : undefined;
    // maxBytes bounds the members together, not each: 4 junk members of 1 GiB each took 5.2 GB
    let total = 0;
    for (const entry of zip.entries) {
      const name = arrayName(entry);
      if (name === undefined) {
        notes.push({ level: 'info', file: path, offset: entry.localHeaderOffset, message: `npz member '${entry.name}' is not an .npy; skipped` });
        continue;
      }
      if (wanted && !wanted.has(name)) continue;
      try {
        // Refuse before inflating: the declared size already tells whether the array would pass maxBytes.
        if (entry.uncompressedSize > maxBytes + MAX_HEADER_BYTES + NPY_PREAMBLE_BYTES) {
          throw new InputError(path, `npz member '${entry.name}' declares ${entry.uncompressedSize} bytes, over the ${maxBytes}-byte limit (maxBytes)`, { offset: entry.localHeaderOffset });
        }
        if (total + entry.uncompressedSize > maxBytes + MAX_HEADER_BYTES + NPY_PREAMBLE_BYTES) {
          throw new InputError(path, `npz member '${entry.name}' (${entry.uncompressedSize} bytes) would bring the arrays read to more than the ${maxBytes}-byte limit (maxBytes, all members together)`, { offset: entry.localHeaderOffset });
        }
        total += entry.uncompressedSize;
        const buf = await zip.read(entry);
        arrays.set(name, decodeNpy(buf, `${path}:${entry.name}`, { maxBytes }, entry.method === 0 ? entry.dataOffset : 0, true));
      } catch (err) {
        if (!(err instanceof InputError) || wanted) throw err;
        notes.push({ level: 'warn', file: path, offset: err.offset ?? entry.localHeaderOffset, message: `npz member '${entry.name}' skipped: ${err.message}` });
      }
    }
    if (wanted) {
      for (const n of wanted) if (!arrays.has(n)) throw new InputError(path, `no array '${n}' in the npz (has: ${zip.entries.map((e) => e.name).join(', ')})`);
    }
    for (const n of zip.notes) if (!notes.includes(n)) notes.push(n); // CRC notes raised while reading
    opts.notes?.push(...notes);
    return { arrays, notes };
  }, opts);
}

/** Reads an .npz into name -> NdArray (names without '.npy'). Skipped members are reported through `opts.notes`. */
export async function readNpz(path: string, opts: NpzOptions = {}): Promise<Map<string, NdArray>> {
  return (await readNpzDetailed(path, opts)).arrays;
}

/** Decompresses just enough of a deflated member to hold `want` bytes; memory bounded by the compressed prefix size. */
function inflatePrefix(raw: Buffer, want: number): Buffer {
  for (let c = HEADER_FIRST_READ_BYTES; ; c *= 2) {
    const part = raw.subarray(0, Math.min(c, raw.length));
    // Z_SYNC_FLUSH: return what the prefix decodes to instead of failing on the unfinished stream. Output buffers of
    // ~4x the input instead of zlib's 16 KB default: the same bytes, without a 16 KB allocation per member listed.
    const out = inflateRawSync(part, { finishFlush: zc.Z_SYNC_FLUSH, chunkSize: Math.max(1024, Math.min(16 * 1024, 4 * part.length)) });
    if (out.length >= want || part.length === raw.length) return out;
  }
}

async function memberHeader(zip: ZipArchive, entry: ZipEntry): Promise<NpyHeader> {
  const file = `${zip.file}:${entry.name}`;
  const base = entry.method === 0 ? entry.dataOffset : 0;
  if (entry.method === 0) {
    const pre = await zip.readRaw(entry, NPY_PREAMBLE_BYTES);
    const size = npyHeaderSize(pre, file, base);
    return parseNpyHeader(await zip.readRaw(entry, size), file, base);
  }
  if (entry.method !== 8) throw new InputError(zip.file, `npz member '${entry.name}': unsupported compression method ${entry.method}`, { offset: entry.localHeaderOffset });
  // The header is at most MAX_HEADER_BYTES, and deflate expands at most ~1032x, so this compressed prefix is enough.
  const enough = Math.min(entry.compressedSize, MAX_HEADER_BYTES + 4096);
  // Most headers (NumPy pads them to 64 or 128 bytes) decode from the first few hundred compressed bytes: read a short
  // prefix first and the long one only when the short one falls short. inflatePrefix looks at growing prefixes of
  // `raw`, so it decodes the same bytes from either read; a member's long prefix was ~57 KB per member of a real dump.
  const short = Math.min(enough, HEADER_FIRST_READ_BYTES);
  const first = headerFrom(zip, entry, await zip.readRaw(entry, short), file, short === enough);
  return first ?? headerFrom(zip, entry, await zip.readRaw(entry, enough), file, true)!;
}

/**
 * Compressed bytes read first for a member's header (see memberHeader): inflatePrefix's first step, which decodes
 * a NumPy header (64 or 128 bytes) from every real dump member met so far.
 */
const HEADER_FIRST_READ_BYTES = 512;

/** The header decoded from the compressed prefix `raw`; undefined when `raw` is not all there is and is too short. */
function headerFrom(zip: ZipArchive, entry: ZipEntry, raw: Buffer, file: string, complete: boolean): NpyHeader | undefined {
  let pre: Buffer;
  try {
    pre = inflatePrefix(raw, NPY_PREAMBLE_BYTES);
    if (pre.length < NPY_PREAMBLE_BYTES && !complete) return undefined;
    const size = npyHeaderSize(pre, file);
    if (pre.length < size) pre = inflatePrefix(raw, size);
    if (pre.length < size && !complete) return undefined;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(zip.file, `npz member '${entry.name}': corrupt deflate data (${(err as Error).message})`, { offset: entry.dataOffset });
  }
  return parseNpyHeader(pre, file);
}

/** Names, shapes and dtypes of the arrays in an .npz, reading only each member's header. */
export async function listNpzDetailed(path: string, opts: ZipLimits = {}): Promise<{ arrays: NpzListing[]; notes: Note[] }> {
  return withZip(path, async (zip) => {
    const arrays: NpzListing[] = [];
    const notes: Note[] = [...zip.notes];
    for (const entry of zip.entries) {
      const name = arrayName(entry);
      if (name === undefined) continue;
      try {
        const h = await memberHeader(zip, entry);
        arrays.push({ name, shape: h.shape, dtype: h.dtypeName, fortranOrder: h.fortranOrder, ...(h.refused ? { refused: h.refused } : {}) });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        arrays.push({ name, shape: [], dtype: 'unknown', refused: err.message });
        notes.push({ level: 'warn', file: path, offset: err.offset, message: `npz member '${entry.name}': ${err.message}` });
      }
    }
    return { arrays, notes };
  }, opts);
}

/** The FeatureDumpInfo listing of an .npz (names/shapes/dtypes), without reading array data. */
export async function listNpz(path: string, opts: ZipLimits = {}): Promise<FeatureDumpInfo['arrays']> {
  return (await listNpzDetailed(path, opts)).arrays.map(({ name, shape, dtype }) => ({ name, shape, dtype }));
}
