// A small, guarded, read-only ZIP reader (central directory first, ZIP64, stored + deflate) for .pth and .npz files.
import { inflateRawSync, crc32 } from 'node:zlib';
import type { Note } from '../../model/types.js';
import { InputError, openForReading, type ReadHandle } from '../input-error.js';

/** Largest declared entry we agree to read: a feature dump or checkpoint bigger than this is not a diagnosis input. */
export const DEFAULT_MAX_ENTRY_BYTES = 2 * 1024 ** 3;
/** More entries than this is not a checkpoint or a feature dump (a ResNet-152 state_dict has ~1000 storages). */
export const DEFAULT_MAX_ENTRIES = 100_000;
/**
 * Deflate cannot compress better than ~1032:1 (RFC 1951: 258-byte matches coded in ≥ 2 bits), so a declared ratio above
 * this is a lie; we also stop inflating at the declared size, which bounds memory for honest-looking bombs.
 */
export const MAX_DEFLATE_RATIO = 1100;
/** Bytes we scan backwards for the EOCD: 22-byte record + a comment of at most 65535 bytes. */
const EOCD_SCAN = 22 + 0xffff;
/**
 * Bytes read first from the end: the EOCD of an archive without a comment, its ZIP64 records and, for a checkpoint or
 * feature dump of up to ~40 members, the whole central directory, in one read. Under 4 KB: Node serves it from its
 * shared buffer pool instead of allocating memory of its own.
 */
const TAIL_GUESS = 4000;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EXTRA_ID = 0x0001;
const U16_SAT = 0xffff;
const U32_SAT = 0xffffffff;

export interface ZipLimits {
  /** refuse entries whose declared (uncompressed or compressed) size is above this; default 2 GiB */
  maxEntryBytes?: number;
  /** refuse archives with more central-directory entries than this */
  maxEntries?: number;
  /**
   * refuse to inflate more than this many bytes in total over the archive's life. Default: the larger of
   * INFLATE_FLOOR_BYTES and INFLATE_RATIO x the archive's size — per archive, not per entry: four 1 GiB members of
   * deflated zeros fit in a 5 MB file.
   */
  maxTotalBytes?: number;
}

/** Real compressed members (np.savez_compressed features, deflated torch records) inflate a few times their size. */
export const INFLATE_RATIO = 8;
/** Below this total any archive may inflate: small archives of very regular data compress far better than 8x. */
export const INFLATE_FLOOR_BYTES = 256 * 1024 ** 2;

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate; anything else is refused at read time */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** absolute offset of the entry's data (from the local header's own name/extra lengths) */
  dataOffset: number;
  /** offset of this entry's central-directory record, for error messages */
  centralOffset: number;
}

/**
 * Random access to the archive bytes: a Buffer or an open file handle. Reads are synchronous: an archive is a local
 * regular file (openForReading refuses anything else) whose reads take microseconds, and an await per local header
 * cost more CPU than the pread behind it.
 */
interface ByteSource {
  size: number;
  read(pos: number, len: number): Buffer;
  close(): Promise<void>;
}

function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    read: (pos, len) => buf.subarray(pos, Math.min(buf.length, pos + len)),
    close: async () => {},
  };
}

/**
 * Positioned reads of an open file: only the records and members asked for. A checkpoint's facts (its pickle and a
 * few scalars of a 360 KB .pth) and an .npz listing (each member's header) never need the whole archive; reading it
 * whole was 108 us of the ~370 us readPth({ layoutOnly }) of a fixtures/runs/healthy checkpoint, plus the GC of a
 * 360 KB buffer per checkpoint.
 */
function handleSource(fh: ReadHandle, size: number): ByteSource {
  return {
    size,
    read(pos, len) {
      const n = Math.max(0, Math.min(len, size - pos));
      const out = Buffer.allocUnsafe(n);
      let done = 0;
      while (done < n) {
        const bytesRead = fh.readSync(out, done, n - done, pos + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === n ? out : out.subarray(0, done);
    },
    close: () => fh.close(),
  };
}

async function fileSource(path: string, opened?: ReadHandle): Promise<ByteSource> {
  const fh: ReadHandle = opened ?? await openForReading(path);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new InputError(path, 'not a regular file');
    return handleSource(fh, st.size);
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** An opened archive. Entries that failed a guard are left out of `entries` and explained in `notes`. */
export class ZipArchive {
  readonly file: string;
  readonly size: number;
  readonly entries: ZipEntry[];
  readonly notes: Note[];
  private readonly src: ByteSource;
  private readonly limits: Required<ZipLimits>;
  private inflatedTotal = 0;

  constructor(file: string, src: ByteSource, entries: ZipEntry[], notes: Note[], limits: Required<ZipLimits>) {
    this.file = file;
    this.size = src.size;
    this.src = src;
    this.entries = entries;
    this.notes = notes;
    this.limits = limits;
  }

  get(name: string): ZipEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /** Raw (possibly compressed) bytes of an entry, `len` bytes from `from` bytes into its data. */
  async readRaw(entry: ZipEntry, len = entry.compressedSize, from = 0): Promise<Buffer> {
    const n = Math.max(0, Math.min(len, entry.compressedSize - from));
    const buf = this.src.read(entry.dataOffset + from, n);
    if (buf.length < n) throw new InputError(this.file, `entry '${entry.name}' is truncated (file ends inside its data)`, { offset: entry.dataOffset + from + buf.length });
    return buf;
  }

  /** The decompressed bytes of an entry, bounded by its declared size and the archive limits; CRC checked (mismatch is a note). */
  async read(entry: ZipEntry): Promise<Buffer> {
    const raw = await this.readRaw(entry);
    let out: Buffer;
    if (entry.method === 0) {
      out = raw;
    } else if (entry.method === 8) {
      if (this.inflatedTotal + entry.uncompressedSize > this.limits.maxTotalBytes) {
        throw new InputError(this.file, `entry '${entry.name}': inflating its ${entry.uncompressedSize} bytes would pass the archive's ${this.limits.maxTotalBytes}-byte total (${this.inflatedTotal} inflated so far; deflate bomb?)`, { offset: entry.dataOffset });
      }
      try {
        // maxOutputLength = the declared size (+1 so "more than declared" is detectable): a bomb cannot allocate beyond it.
        // chunkSize = declared size: zlib fills one buffer instead of concatenating many (halves peak memory).
        out = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1), chunkSize: Math.max(64 * 1024, Math.min(entry.uncompressedSize + 1, 2 ** 30)) });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const why = e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError
          ? `inflates to more than its declared ${entry.uncompressedSize} bytes (lying size or deflate bomb); refused`
          : `corrupt deflate data (${e.message})`;
        throw new InputError(this.file, `entry '${entry.name}': ${why}`, { offset: entry.dataOffset });
      }
      if (out.length !== entry.uncompressedSize) {
        throw new InputError(this.file, `entry '${entry.name}': inflated to ${out.length} bytes, central directory says ${entry.uncompressedSize}`, { offset: entry.dataOffset });
      }
      this.inflatedTotal += out.length;
    } else {
      throw new InputError(this.file, `entry '${entry.name}': unsupported compression method ${entry.method} (only stored and deflate)`, { offset: entry.localHeaderOffset });
    }
    if ((crc32(out) >>> 0) !== entry.crc32 >>> 0) {
      this.notes.push({ level: 'warn', file: this.file, offset: entry.dataOffset, message: `entry '${entry.name}': CRC-32 mismatch (data may be corrupt)` });
    }
    return out;
  }

  close(): Promise<void> {
    return this.src.close();
  }
}

/**
 * Opens a ZIP file from disk. Close it when done (or use `withZip`). Throws InputError when it is not a readable ZIP.
 * `opened`: a handle on `path` the caller already holds (it read the magic bytes); the archive takes it over.
 */
export async function openZip(path: string, limits: ZipLimits = {}, opened?: ReadHandle): Promise<ZipArchive> {
  const src = await fileSource(path, opened);
  try {
    return await openFromSource(path, src, limits);
  } catch (err) {
    await src.close();
    throw err;
  }
}

/** Opens a ZIP held in memory; `file` names it in errors. */
export function openZipBuffer(buf: Buffer, file: string, limits: ZipLimits = {}): Promise<ZipArchive> {
  return openFromSource(file, bufferSource(buf), limits);
}

/** Opens, runs `fn`, and always closes. */
export async function withZip<T>(path: string, fn: (zip: ZipArchive) => Promise<T>, limits: ZipLimits = {}, opened?: ReadHandle): Promise<T> {
  const zip = await openZip(path, limits, opened);
  try {
    return await fn(zip);
  } finally {
    await zip.close();
  }
}

/** True for names that would escape an extraction root or that no legitimate writer produces. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL byte';
  if (name.startsWith('/') || name.startsWith('\\')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'has a drive letter';
  if (name.includes('..') && name.split(/[\\/]/).some((p) => p === '..')) return "contains a '..' segment";
  return undefined;
}

function u64(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64LE(off);
  // Beyond 2^53 no offset can be real for a file we can read; saturate so guards reject it.
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** Offset of the end-of-central-directory record in `tail` (the last one whose comment fits), or -1. */
function findEocd(tail: Buffer): number {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) return i;
  }
  return -1;
}

async function openFromSource(file: string, src: ByteSource, lim: ZipLimits): Promise<ZipArchive> {
  const limits: Required<ZipLimits> = {
    maxEntryBytes: lim.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES,
    maxEntries: lim.maxEntries ?? DEFAULT_MAX_ENTRIES,
    maxTotalBytes: lim.maxTotalBytes ?? Math.max(INFLATE_FLOOR_BYTES, INFLATE_RATIO * src.size),
  };
  const notes: Note[] = [];
  const size = src.size;
  if (size < 22) throw new InputError(file, `too short for a ZIP (${size} bytes)`, { offset: 0 });

  // 1. EOCD: scan backwards, first in the last TAIL_GUESS bytes (an archive without a comment), then in the longest
  // tail a comment allows. The scan visits the same positions in the same order either way: the same record is found.
  let tailStart = Math.max(0, size - TAIL_GUESS);
  let tail = src.read(tailStart, size - tailStart);
  let eocdRel = findEocd(tail);
  if (eocdRel < 0 && tailStart > 0 && size - tailStart < EOCD_SCAN) {
    tailStart = Math.max(0, size - EOCD_SCAN);
    tail = src.read(tailStart, size - tailStart);
    eocdRel = findEocd(tail);
  }
  // the records after the members (ZIP64 ones, the central directory, the last local headers) often lie in the tail
  const at = (pos: number, len: number): Buffer => (pos >= tailStart && pos <= size ? tail.subarray(pos - tailStart, pos - tailStart + len) : src.read(pos, len));
  if (eocdRel < 0) throw new InputError(file, 'not a ZIP archive (no end-of-central-directory record)', { offset: size });
  const eocdPos = tailStart + eocdRel;
  let count = tail.readUInt16LE(eocdRel + 10);
  let cdSize = tail.readUInt32LE(eocdRel + 12);
  let cdOffset = tail.readUInt32LE(eocdRel + 16);

  // 2. ZIP64 locator just before the EOCD, then the ZIP64 EOCD it points to.
  if (eocdPos >= 20) {
    const loc = at(eocdPos - 20, 20);
    if (loc.length === 20 && loc.readUInt32LE(0) === SIG_ZIP64_LOCATOR) {
      const z64Pos = u64(loc, 8);
      const z = at(z64Pos, 56);
      if (z.length < 56 || z.readUInt32LE(0) !== SIG_ZIP64_EOCD) {
        throw new InputError(file, 'ZIP64 locator points to no ZIP64 end-of-central-directory record', { offset: z64Pos });
      }
      count = u64(z, 32);
      cdSize = u64(z, 40);
      cdOffset = u64(z, 48);
    } else if (count === U16_SAT || cdSize === U32_SAT || cdOffset === U32_SAT) {
      throw new InputError(file, 'saturated end-of-central-directory fields but no ZIP64 locator', { offset: eocdPos });
    }
  }
  if (count > limits.maxEntries) throw new InputError(file, `${count} entries is over the limit of ${limits.maxEntries}`, { offset: eocdPos });
  if (cdOffset + cdSize > eocdPos || cdSize > size) {
    throw new InputError(file, `central directory (${cdSize} bytes at ${cdOffset}) lies outside the file`, { offset: eocdPos });
  }

  // 3. Central directory.
  const cd = at(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    const at = cdOffset + p;
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) {
      throw new InputError(file, `central directory entry ${i} is missing or corrupt`, { offset: at });
    }
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let comp = cd.readUInt32LE(p + 20);
    let uncomp = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOff = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length) {
      throw new InputError(file, `central directory entry ${i} runs past the directory`, { offset: at });
    }
    const name = cd.toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    // ZIP64 extra: 64-bit values only for the saturated fields, in the order uncompressed, compressed, offset.
    if (uncomp === U32_SAT || comp === U32_SAT || localOff === U32_SAT) {
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      let found = false;
      while (e + 4 <= end) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (e + 4 + len > end) break;
        if (id === ZIP64_EXTRA_ID) {
          let q = e + 4;
          const take = (): number => {
            if (q + 8 > e + 4 + len) throw new InputError(file, `entry '${name}': ZIP64 extra field too short`, { offset: at });
            const v = u64(cd, q);
            q += 8;
            return v;
          };
          if (uncomp === U32_SAT) uncomp = take();
          if (comp === U32_SAT) comp = take();
          if (localOff === U32_SAT) localOff = take();
          found = true;
          break;
        }
        e += 4 + len;
      }
      if (!found) throw new InputError(file, `entry '${name}': saturated size/offset but no ZIP64 extra field`, { offset: at });
    }
    p += 46 + nameLen + extraLen + commentLen;

    const refuse = (why: string): void => {
      notes.push({ level: 'warn', file, offset: at, message: `zip entry '${name}' refused: ${why}` });
    };
    const bad = unsafeEntryName(name);
    if (bad) { refuse(`its name ${bad}`); continue; }
    if (name.endsWith('/')) continue; // a directory record holds no data
    if (uncomp > limits.maxEntryBytes || comp > limits.maxEntryBytes) {
      refuse(`declared size ${Math.max(uncomp, comp)} bytes is over the ${limits.maxEntryBytes}-byte limit`);
      continue;
    }
    if (method === 0 && comp !== uncomp) { refuse(`stored entry with compressed size ${comp} != uncompressed size ${uncomp}`); continue; }
    if (method === 8 && uncomp > Math.max(1024, comp * MAX_DEFLATE_RATIO)) {
      refuse(`declared ratio ${uncomp}:${comp} is beyond what deflate can produce (deflate bomb or lying size)`);
      continue;
    }
    if (localOff + 30 > cdOffset) { refuse(`local header offset ${localOff} is not before the central directory`); continue; }
    entries.push({ name, method, flags, crc32: crc, compressedSize: comp, uncompressedSize: uncomp, localHeaderOffset: localOff, dataOffset: -1, centralOffset: at });
  }

  // 4. Local headers: data offset from their own name/extra lengths; sizes must fit before the next entry.
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const refused = new Set<ZipEntry>();
  for (let k = 0; k < byOffset.length; k++) {
    const en = byOffset[k];
    if (refused.has(en)) continue;
    const lh = at(en.localHeaderOffset, 30);
    if (lh.length < 30 || lh.readUInt32LE(0) !== SIG_LOCAL) {
      notes.push({ level: 'warn', file, offset: en.localHeaderOffset, message: `zip entry '${en.name}' refused: no local header at offset ${en.localHeaderOffset}` });
      refused.add(en);
      continue;
    }
    en.dataOffset = en.localHeaderOffset + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
    const end = en.dataOffset + en.compressedSize;
    let next: ZipEntry | undefined;
    for (let j = k + 1; j < byOffset.length && !next; j++) if (!refused.has(byOffset[j])) next = byOffset[j];
    const limit = next ? next.localHeaderOffset : cdOffset;
    if (next && next.localHeaderOffset === en.localHeaderOffset) {
      notes.push({ level: 'warn', file, offset: en.localHeaderOffset, message: `zip entries '${en.name}' and '${next.name}' share one local header (overlapping entries); both refused` });
      refused.add(en);
      refused.add(next);
      continue;
    }
    if (end > limit) {
      const what = end > size ? `runs past the end of the file (${size} bytes)` : next ? `overlaps entry '${next.name}' at offset ${next.localHeaderOffset}` : 'runs into the central directory';
      notes.push({ level: 'warn', file, offset: en.localHeaderOffset, message: `zip entry '${en.name}' refused: its data (${en.compressedSize} bytes at ${en.dataOffset}) ${what}` });
      refused.add(en);
    }
  }
  return new ZipArchive(file, src, entries.filter((e) => !refused.has(e)), notes, limits);
}
