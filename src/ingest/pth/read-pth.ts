// Reads a PyTorch .pth checkpoint (zip or legacy torch.save) into named NdArrays without executing anything.
import { readFile, stat } from 'node:fs/promises';
import type { NdArray } from '../../model/ndarray.js';
import type { Note } from '../../model/types.js';
import { InputError, inputErrorFromFs, openForReading, type ReadHandle } from '../input-error.js';
import { openZipBuffer, withZip, type ZipArchive, type ZipLimits } from '../common/zip.js';
import { ITEMSIZE, decodeElements, gatherToC, isCContiguous, stridedSpan, fStrides } from '../npy/elements.js';
import { parseDescr } from '../npy/header.js';
import { isQuantizedStorage, KnownGlobal, type CallContext } from './allow-list.js';
import { unpickle, type PickleLimits } from './pickle-vm.js';
import { NumpyArrayRef, NumpyDtype, Placeholder, PyObject, StorageRef, StorageType, TensorRef, Truncated } from './values.js';

/**
 * Default bound on the bytes of all tensors materialised from one checkpoint. A ResNet-50 tllib checkpoint is ~100 MB,
 * ViT-L ~1.2 GB; beyond 4 GiB we refuse rather than exhaust memory. Override with `maxBytes`.
 */
export const DEFAULT_MAX_TENSOR_BYTES = 4 * 1024 ** 3;
/** Nesting depth we follow when flattening/convert values (a checkpoint dict nests 2-4 levels). */
const MAX_VALUE_DEPTH = 64;
/** Nodes we convert into `extra` before cutting: bounds the cost of a shared-reference ("billion laughs") bomb. */
const MAX_EXTRA_NODES = 50_000;
/** Legacy torch.save magic number (LONG1 0x1950a86a20f9469cfc6c) and protocol version. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;
/** With `layoutOnly`, tensors up to this many elements are still decoded (scalars: step counters, num_batches_tracked). */
export const LAYOUT_DATA_ELEMENTS = 1;

export interface PthOptions extends ZipLimits {
  /** bound on the total bytes of materialised tensors (default 4 GiB) */
  maxBytes?: number;
  /**
   * Names, shapes and dtypes of every tensor (`layout`), but data only for tensors of at most LAYOUT_DATA_ELEMENTS
   * elements (num_batches_tracked and other counters): what checkpoint facts need, without decoding the weights.
   */
  layoutOnly?: boolean;
  pickleLimits?: PickleLimits;
}

export interface PthResult {
  /** every tensor reachable in the checkpoint, by its dotted path ('head.weight', or 'G.conv1.weight' for nested dicts) */
  stateDict: Map<string, NdArray>;
  /** non-tensor values (epoch, args Namespace, metrics...) converted to plain JSON-like data */
  extra: Record<string, unknown>;
  format: 'zip' | 'legacy';
  notes: Note[];
  /** non-allow-listed globals the pickle referenced (os.system ...): each became an inert placeholder */
  placeholders: string[];
  /** with `layoutOnly`: every tensor's shape and dtype (stateDict then holds only the small ones) */
  layout?: Map<string, { dtype: NdArray['dtype']; shape: number[] }>;
  /** facts per tensor that the NdArray does not carry */
  tensorInfo: Map<string, { storageKey: string; isParameter: boolean; quantized?: boolean; numpy?: boolean }>;
}

/** Reads a .pth file. Unreadable container -> InputError; unreadable parts inside -> notes, the rest comes through. */
export async function readPth(path: string, opts: PthOptions = {}): Promise<PthResult> {
  let head: Buffer;
  let fh: ReadHandle | undefined;
  try {
    fh = await openForReading(path);
    head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    head = head.subarray(0, bytesRead);
  } catch (err) {
    await fh?.close();
    throw inputErrorFromFs(path, err);
  }
  // a ZIP checkpoint is read through the handle already open (one open per checkpoint, not two)
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return withZip(path, (zip) => readZipCheckpoint(zip, opts), opts, fh);
  await fh.close();
  if (head.length >= 2 && head[0] === 0x80) {
    const size = (await stat(path)).size;
    const limit = (opts.maxBytes ?? DEFAULT_MAX_TENSOR_BYTES) + 64 * 1024 ** 2;
    if (size > limit) throw new InputError(path, `legacy checkpoint of ${size} bytes is over the ${limit}-byte limit (maxBytes)`);
    return readLegacyCheckpoint(path, await readFile(path), opts);
  }
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]))) {
    throw new InputError(path, 'this is a NumPy .npy file, not a PyTorch checkpoint', { offset: 0 });
  }
  const tar = head.length >= 1; // the pre-0.4 tar format starts with a file name; we only name it in the message
  throw new InputError(path, `not a PyTorch checkpoint (no ZIP or pickle magic${tar ? '; the pre-1.0 tar format is not supported' : ''})`, { offset: 0 });
}

/** Reads a checkpoint held in memory (tests, fuzzing); `file` names it in errors. Tensors may be views over `buf`. */
export async function readPthBuffer(buf: Buffer, file: string, opts: PthOptions = {}): Promise<PthResult> {
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) {
    const zip = await openZipBuffer(buf, file, opts);
    try { return await readZipCheckpoint(zip, opts); } finally { await zip.close(); }
  }
  if (buf.length >= 2 && buf[0] === 0x80) return readLegacyCheckpoint(file, buf, opts);
  throw new InputError(file, 'not a PyTorch checkpoint (no ZIP or pickle magic)', { offset: 0 });
}

/** Resolves a persistent id tuple into a StorageRef; storages are shared by key. */
function storageLoader(storages: Map<string, StorageRef>, legacy: boolean) {
  return (pid: unknown, ctx: CallContext): unknown => {
    if (!Array.isArray(pid) || pid[0] !== 'storage') {
      ctx.note('persistent id that is not a storage tuple; kept as a placeholder');
      const p = new Placeholder('persistent_load');
      p.args = pid;
      return p;
    }
    const [, type, key, location, numel, view] = pid as unknown[];
    if (!(type instanceof StorageType)) {
      ctx.note(`storage '${String(key)}' of non-storage type ${type instanceof Placeholder ? type.__global__ : typeof type}; its tensors are skipped`);
      const p = new Placeholder(type instanceof Placeholder ? type.__global__ : 'storage');
      p.args = pid;
      return p;
    }
    if (typeof key !== 'string' || !/^[\w.-]{1,200}$/.test(key)) ctx.fail(`storage key ${JSON.stringify(String(key)).slice(0, 40)} is not a plain name`);
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) ctx.fail(`storage '${key as string}' has a bad element count`);
    let ref = storages.get(key as string);
    if (!ref) {
      ref = new StorageRef(key as string, type, String(location), numel as number);
      storages.set(key as string, ref);
    }
    // Legacy views: (view_key, offset, size) into the root storage.
    if (legacy && Array.isArray(view)) {
      const [vkey, voff, vsize] = view as unknown[];
      if (typeof voff !== 'number' || typeof vsize !== 'number' || voff < 0 || vsize < 0 || voff + vsize > ref.numel) {
        ctx.fail(`storage view '${String(vkey)}' lies outside its root storage '${key as string}'`);
      }
      return new StorageRef(ref.key, type, ref.location, vsize as number, voff as number);
    }
    return ref;
  };
}

async function readZipCheckpoint(zip: ZipArchive, opts: PthOptions): Promise<PthResult> {
  const file = zip.file;
  const notes: Note[] = [...zip.notes];
  const first = zip.entries[0];
  if (!first) throw new InputError(file, 'empty ZIP: no checkpoint records');
  const slash = first.name.indexOf('/');
  const prefix = slash >= 0 ? first.name.slice(0, slash + 1) : '';
  const pkl = zip.get(`${prefix}data.pkl`) ?? zip.entries.find((e) => e.name.endsWith('/data.pkl') || e.name === 'data.pkl');
  if (!pkl) throw new InputError(file, `no data.pkl in the archive (prefix '${prefix}'); not a torch.save file`);
  const recPrefix = pkl.name.slice(0, -'data.pkl'.length);
  const bo = zip.get(`${recPrefix}byteorder`);
  const littleEndian = bo ? (await zip.read(bo)).toString('latin1').trim() !== 'big' : true;
  const pickleBuf = await zip.read(pkl);
  const { value, placeholders } = unpickleRecord(pickleBuf, file, pkl.method === 0 ? pkl.dataOffset : 0, notes, opts.pickleLimits);
  const loadStorage: LoadStorage = async (ref, from, to, budget) => {
    const e = zip.get(`${recPrefix}data/${ref.key}`);
    if (!e) throw new Error(`storage record 'data/${ref.key}' is missing from the archive`);
    if (e.method === 0) {
      // stored (torch.save's way): read only the bytes the view needs, never a 2 GB storage for one element
      if (to > e.compressedSize) throw new Error(`storage '${ref.key}' holds ${e.compressedSize} bytes, the view needs ${to}`);
      if (to - from > budget) throw new Error(`its ${to - from} bytes would pass the maxBytes limit`);
      return { bytes: await zip.readRaw(e, to - from, from), start: from, whole: false, cost: to - from };
    }
    if (e.uncompressedSize > budget) throw new Error(`its storage '${ref.key}' inflates to ${e.uncompressedSize} bytes, past the maxBytes limit`);
    return { bytes: await zip.read(e), start: 0, whole: true, cost: e.uncompressedSize };
  };
  const res = await materialise(file, value, loadStorage, littleEndian, opts, notes);
  for (const n of zip.notes) if (!res.notes.includes(n)) res.notes.push(n);
  return { ...res, format: 'zip', placeholders };
}

/** Pickles up to this size are remembered (one at a time) for the next checkpoint; a ResNet-152's data.pkl is ~60 KB. */
const MEMO_MAX_PICKLE_BYTES = 1024 * 1024;

/**
 * The last zip checkpoint's pickle and what it unpickled to. A sweep's checkpoints hold byte-identical data.pkl
 * records (best.pth and latest.pth of a run; every run of one architecture: the pickle names storages, it holds no
 * weights), and the same bytes under the same limits unpickle to the same inert values, which nothing mutates
 * (materialise and the facts only read them). Kept only when unpickling raised no note: a note names its file.
 * Measured: ~60 us of the ~370 us readPth({ layoutOnly }) of a 360 KB checkpoint.
 */
let pickleMemo: { bytes: Buffer; limits: PickleLimits | undefined; value: unknown; placeholders: string[] } | undefined;

function unpickleRecord(buf: Buffer, file: string, base: number, notes: Note[], limits: PickleLimits | undefined): { value: unknown; placeholders: string[] } {
  const m = pickleMemo;
  if (m && m.limits === limits && m.bytes.equals(buf)) return { value: m.value, placeholders: [...m.placeholders] };
  const before = notes.length;
  const { value, placeholders } = unpickle(buf, { file, base, notes, limits, persistentLoad: storageLoader(new Map(), false) });
  if (notes.length === before && buf.length <= MEMO_MAX_PICKLE_BYTES) pickleMemo = { bytes: Buffer.from(buf), limits, value, placeholders: [...placeholders] };
  return { value, placeholders };
}

function readLegacyCheckpoint(file: string, buf: Buffer, opts: PthOptions): Promise<PthResult> {
  const notes: Note[] = [];
  const limits = opts.pickleLimits;
  const magic = unpickle(buf, { file, notes, limits });
  if (magic.value !== LEGACY_MAGIC) {
    // Not torch.save's legacy stream: a plain pickle (pickle.dump of a dict). Read it, with no storages.
    notes.push({ level: 'info', file, offset: 0, message: 'plain pickle, not a torch.save stream: read without tensor storages' });
    return materialise(file, magic.value, async () => { throw new Error('no storages in a plain pickle'); }, true, opts, notes)
      .then((r) => ({ ...r, format: 'legacy' as const, placeholders: magic.placeholders }));
  }
  const proto = unpickle(buf, { file, notes, limits, start: magic.end });
  if (proto.value !== LEGACY_PROTOCOL) throw new InputError(file, `legacy checkpoint protocol ${String(proto.value)} (expected ${LEGACY_PROTOCOL})`, { offset: magic.end });
  const sys = unpickle(buf, { file, notes, limits, start: proto.end });
  const littleEndian = !(sys.value instanceof Map) || sys.value.get('little_endian') !== false;
  const storages = new Map<string, StorageRef>();
  const main = unpickle(buf, { file, notes, limits, start: sys.end, persistentLoad: storageLoader(storages, true) });
  const keysP = unpickle(buf, { file, notes, limits, start: main.end });
  const keys = keysP.value;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new InputError(file, 'legacy checkpoint: storage key list is not a list of strings', { offset: main.end });
  // After the key list: per key, an int64 LE element count then the raw bytes.
  const data = new Map<string, Buffer>();
  let pos = keysP.end;
  for (const key of keys as string[]) {
    const ref = storages.get(key);
    if (!ref || !ref.type.dtype) {
      notes.push({ level: 'warn', file, offset: pos, message: `legacy checkpoint: storage '${key}' was never referenced, so its size is unknown; later storages are not read` });
      break;
    }
    if (pos + 8 > buf.length) { notes.push({ level: 'warn', file, offset: pos, message: `legacy checkpoint truncated before storage '${key}'` }); break; }
    const count = buf.readBigInt64LE(pos);
    const nbytes = Number(count) * ITEMSIZE[ref.type.dtype];
    if (count < 0n || !Number.isSafeInteger(nbytes) || pos + 8 + nbytes > buf.length) {
      notes.push({ level: 'warn', file, offset: pos, message: `legacy checkpoint: storage '${key}' declares ${count} elements, more than the file holds; it and later storages are not read` });
      break;
    }
    data.set(key, buf.subarray(pos + 8, pos + 8 + nbytes));
    pos += 8 + nbytes;
  }
  // the whole file is in memory already (bounded by maxBytes when read): storages are views on it, free
  const loadStorage: LoadStorage = async (ref) => {
    const d = data.get(ref.key);
    if (!d) throw new Error(`storage '${ref.key}' has no data in the file`);
    return { bytes: d, start: 0, whole: true, cost: 0 };
  };
  const placeholders = [...new Set([...sys.placeholders, ...main.placeholders, ...keysP.placeholders])];
  return materialise(file, main.value, loadStorage, littleEndian, opts, notes).then((r) => ({ ...r, format: 'legacy' as const, placeholders }));
}

/**
 * Bytes [from, to) of a storage, or all of it (`whole`, cached by the caller) when it cannot be read in part
 * (deflated). `cost` is what loading charged against the maxBytes budget; over `budget` it throws instead.
 */
type LoadStorage = (ref: StorageRef, from: number, to: number, budget: number) => Promise<{ bytes: Buffer; start: number; whole: boolean; cost: number }>;

/**
 * Turns the unpickled value into the state dict (tensors read from their storages) and the plain `extra`. The
 * maxBytes budget counts the storage bytes loaded behind each view as well as the tensors made: a one-element view
 * of a 1 GiB deflated storage costs 1 GiB.
 */
async function materialise(
  file: string, root: unknown, loadStorage: LoadStorage, littleEndian: boolean, opts: PthOptions, notes: Note[],
): Promise<Omit<PthResult, 'format' | 'placeholders'>> {
  const tensors: [string, TensorRef | NumpyArrayRef][] = [];
  collectTensors(root, '', 0, tensors, notes, file, new Set());
  const stateDict = new Map<string, NdArray>();
  const tensorInfo: PthResult['tensorInfo'] = new Map();
  const layout: PthResult['layout'] = opts.layoutOnly ? new Map() : undefined;
  const cache = new Map<string, { bytes: Buffer; start: number; whole: boolean } | Error>();
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_TENSOR_BYTES;
  let total = 0;
  const skip = (name: string, why: string): void => { notes.push({ level: 'warn', file, message: `tensor '${name}' skipped: ${why}` }); };
  for (const [name, t] of tensors) {
    if (stateDict.has(name)) { skip(name, 'duplicate name'); continue; }
    if (t instanceof NumpyArrayRef) {
      const arr = numpyArray(t, maxBytes - total);
      if (typeof arr === 'string') { skip(name, arr); continue; }
      stateDict.set(name, arr);
      tensorInfo.set(name, { storageKey: 'numpy', isParameter: false, numpy: true });
      total += arr.data.byteLength;
      continue;
    }
    const dtype = t.storage.type.dtype;
    if (!dtype) { skip(name, `storage type ${t.storage.type.name} has no known element type`); continue; }
    const itemsize = ITEMSIZE[dtype];
    let numel = 1;
    for (const d of t.shape) numel *= d;
    const span = stridedSpan(t.shape, t.stride);
    const first = t.storage.viewOffset + t.offset;
    if (span > 0 && t.offset + span > t.storage.numel) {
      skip(name, `view (offset ${t.offset}, ${span} elements) reaches past its storage '${t.storage.key}' of ${t.storage.numel} elements`);
      continue;
    }
    if (layout) {
      layout.set(name, { dtype, shape: [...t.shape] });
      if (numel > LAYOUT_DATA_ELEMENTS) continue;
    }
    const outBytes = numel * itemsize * (dtype === 'f2' || dtype === 'bf16' ? 2 : 1);
    if (!Number.isSafeInteger(outBytes) || total + outBytes > maxBytes) { skip(name, `would pass the ${maxBytes}-byte limit (maxBytes)`); continue; }
    const from = first * itemsize;
    const to = (first + span) * itemsize;
    let got = cache.get(t.storage.key);
    let charge = 0;
    if (got === undefined || (!(got instanceof Error) && !got.whole)) {
      try {
        const loaded = await loadStorage(t.storage, from, to, maxBytes - total);
        charge = loaded.cost;
        got = loaded;
      } catch (err) {
        got = err instanceof Error ? err : new Error(String(err));
      }
      if (got instanceof Error || got.whole) cache.set(t.storage.key, got);
    }
    if (got instanceof Error) { skip(name, got.message); continue; }
    const bytes = got.bytes;
    if (span > 0 && to - got.start > bytes.length) {
      skip(name, `storage '${t.storage.key}' holds ${bytes.length + got.start} bytes, the view needs ${to}`);
      continue;
    }
    const el = { dtype, itemsize, littleEndian };
    const slice = bytes.subarray(from - got.start, to - got.start);
    // Storage buffers are ours (read from the file for this call): contiguous tensors become views, not copies —
    // unless the view is a small part of a whole storage, which it would then keep alive.
    const mayAlias = !got.whole || 2 * slice.length >= bytes.length;
    // the budget holds the storage bytes loaded (a part read for this view, or a whole storage once) and any copy
    const copied = !mayAlias || !isCContiguous(t.shape, t.stride) || outBytes > slice.length;
    total += got.whole ? charge + (copied ? outBytes : 0) : Math.max(charge, outBytes);
    if (total > maxBytes) { skip(name, `would pass the ${maxBytes}-byte limit (maxBytes) with the storage behind it`); continue; }
    let data = decodeElements(slice, el, span, mayAlias);
    if (!isCContiguous(t.shape, t.stride) && numel > 0) data = gatherToC(data, dtype, t.shape, t.stride, 0);
    else if (span !== numel) data = data.subarray(0, numel * (dtype === 'c8' || dtype === 'c16' ? 2 : 1));
    stateDict.set(name, { dtype, shape: [...t.shape], data });
    const quantized = isQuantizedStorage(t.storage.type);
    tensorInfo.set(name, { storageKey: t.storage.key, isParameter: t.isParameter, ...(quantized ? { quantized } : {}) });
    if (quantized) notes.push({ level: 'info', file, message: `tensor '${name}' is quantized (${t.storage.type.name}); raw integers, not dequantized` });
  }
  const budget = { nodes: MAX_EXTRA_NODES, cut: false };
  let extra: Record<string, unknown> = {};
  const plain = toPlainWithoutTensors(root, 0, budget, new Set());
  // A dict at the top (the usual case) gives its keys; anything else (a bare list, a placeholder...) sits under 'value'.
  if (plain !== OMIT) extra = root instanceof Map && isRecord(plain) ? plain : { value: plain };
  if (budget.cut) notes.push({ level: 'warn', file, message: `non-tensor content cut after ${MAX_EXTRA_NODES} values or ${MAX_VALUE_DEPTH} levels of nesting (shared-reference or recursion bomb?)` });
  return { stateDict, extra, notes, tensorInfo, ...(layout ? { layout } : {}) };
}

/** A numpy array found in the pickle (not a torch tensor), decoded like an .npy payload; a string says why not. */
function numpyArray(a: NumpyArrayRef, budget: number): NdArray | string {
  if (a.refused) return a.refused;
  if (!a.dtype || !a.raw) return 'numpy array without dtype or data';
  const el = parseDescr(a.dtype.descr);
  if ('refused' in el) return el.refused;
  let count = 1;
  for (const d of a.shape) count *= d;
  if (count * el.itemsize > budget) return 'would pass the maxBytes limit';
  if (a.raw.length < count * el.itemsize) return `numpy array data has ${a.raw.length} bytes, needs ${count * el.itemsize}`;
  let data = decodeElements(a.raw, el, count);
  if (a.fortran && a.shape.length > 1) data = gatherToC(data, el.dtype, a.shape, fStrides(a.shape), 0);
  return { dtype: el.dtype, shape: [...a.shape], data };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function joinPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/**
 * Finds every tensor under `v` with its dotted path. Depth-bounded; each container is visited once (a container shared
 * by memo reference -- or a "billion laughs" DAG -- is walked once, under its first path), so the cost is linear.
 * Tensors themselves are leaves and are listed at every path (tied weights keep both names).
 */
function collectTensors(v: unknown, path: string, depth: number, out: [string, TensorRef | NumpyArrayRef][], notes: Note[], file: string, seen: Set<unknown>): void {
  if (v instanceof TensorRef || v instanceof NumpyArrayRef) { out.push([path === '' ? 'tensor' : path, v]); return; }
  if (typeof v !== 'object' || v === null || seen.has(v)) return;
  if (depth >= MAX_VALUE_DEPTH) return;
  seen.add(v);
  if (v instanceof Map) for (const [k, x] of v) collectTensors(x, joinPath(path, String(k)), depth + 1, out, notes, file, seen);
  else if (Array.isArray(v)) v.forEach((x, i) => collectTensors(x, joinPath(path, String(i)), depth + 1, out, notes, file, seen));
  else if (v instanceof PyObject) for (const [k, x] of v.attrs) collectTensors(x, joinPath(path, k), depth + 1, out, notes, file, seen);
  // torch.save(model) pickles the module class (not allow-listed) with its state: the tensors inside still come through,
  // named as state_dict() would name them (nn.Module keeps them in _parameters/_buffers/_modules, which add no segment).
  else if (v instanceof Placeholder && v.state instanceof Map) {
    seen.add(v.state);
    for (const [k, x] of v.state) {
      const key = String(k);
      collectTensors(x, MODULE_SLOTS.has(key) ? path : joinPath(path, key), depth + 1, out, notes, file, seen);
    }
  }
}

/** nn.Module attributes whose entries state_dict() lists without the attribute name. */
const MODULE_SLOTS = new Set(['_parameters', '_buffers', '_modules']);

const OMIT = Symbol('omit');

/** Plain JSON-like copy of the non-tensor content. Returns OMIT for subtrees that hold only tensors. */
function toPlainWithoutTensors(v: unknown, depth: number, budget: { nodes: number; cut: boolean }, stack: Set<unknown>): unknown {
  if (v instanceof TensorRef || v instanceof NumpyArrayRef) return OMIT;
  if (--budget.nodes < 0 || depth > MAX_VALUE_DEPTH) { budget.cut = true; return '[cut]'; }
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined) return null;
  if (typeof v !== 'object') return String(v);
  if (stack.has(v)) return '[circular]';
  stack.add(v);
  try {
    if (v instanceof Placeholder) {
      const o: Record<string, unknown> = { __global__: v.__global__ };
      if (v.args !== undefined) { const a = toPlainWithoutTensors(v.args, depth + 1, budget, stack); if (a !== OMIT) o.args = a; }
      return o;
    }
    if (v instanceof Truncated) return { __truncated__: v.why };
    if (v instanceof StorageRef) return { __storage__: v.key };
    if (v instanceof StorageType || v instanceof KnownGlobal) return { __global__: v instanceof StorageType ? `torch.${v.name}` : v.name };
    if (v instanceof NumpyDtype) return { __dtype__: v.descr };
    if (v instanceof Uint8Array) return { __bytes__: v.length };
    if (v instanceof Map) {
      const o: Record<string, unknown> = {};
      let any = v.size === 0;
      for (const [k, x] of v) {
        const p = toPlainWithoutTensors(x, depth + 1, budget, stack);
        if (p !== OMIT) { o[String(k)] = p; any = true; }
      }
      return any ? o : OMIT;
    }
    if (v instanceof PyObject) {
      const o: Record<string, unknown> = { __class__: v.className };
      for (const [k, x] of v.attrs) { const p = toPlainWithoutTensors(x, depth + 1, budget, stack); if (p !== OMIT) o[k] = p; }
      return o;
    }
    const list = v instanceof Set ? [...v] : v;
    if (Array.isArray(list)) {
      const arr = list.map((x) => toPlainWithoutTensors(x, depth + 1, budget, stack));
      const kept = arr.filter((x) => x !== OMIT);
      return kept.length === 0 && arr.length > 0 ? OMIT : kept;
    }
    return String(v);
  } finally {
    stack.delete(v);
  }
}

