// The only Python globals the pickle VM gives meaning to; each builds an inert JS value and nothing else.
import type { DType } from '../../model/ndarray.js';
import { parseDescr } from '../npy/header.js';
import { decodeElements } from '../npy/elements.js';
import { NumpyArrayRef, NumpyDtype, Placeholder, PyDict, PyObject, StorageRef, StorageType, TensorRef } from './values.js';

/** Callbacks the allow-listed builders use to refuse bad arguments or leave a note. */
export interface CallContext {
  fail(message: string): never;
  note(message: string): void;
}

/** An allow-listed global. `call` = what REDUCE/NEWOBJ does with it; absent for globals only used as values (types). */
export class KnownGlobal {
  constructor(
    readonly name: string,
    readonly call?: (args: unknown[], ctx: CallContext) => unknown,
  ) {}
}

/** Most dims a tensor may have; PyTorch itself caps at 64. */
const MAX_DIMS = 64;

const STORAGE_DTYPES: Record<string, DType | undefined> = {
  FloatStorage: 'f4', DoubleStorage: 'f8', HalfStorage: 'f2', BFloat16Storage: 'bf16', LongStorage: 'i8', IntStorage: 'i4',
  ShortStorage: 'i2', CharStorage: 'i1', ByteStorage: 'u1', BoolStorage: 'b1', ComplexFloatStorage: 'c8',
  ComplexDoubleStorage: 'c16', UntypedStorage: 'u1',
  // quantized storages hold integers whose meaning needs scale/zero-point: typed, but tensors built on them are noted.
  QInt8Storage: 'i1', QUInt8Storage: 'u1', QInt32Storage: 'i4', QUInt4x2Storage: 'u1', QUInt2x4Storage: 'u1',
};

/** torch dtypes pickled as globals (torch.float32 ...) become their names. */
const TORCH_DTYPE_NAMES = ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool',
  'complex64', 'complex128', 'float', 'double', 'half', 'long', 'int', 'short', 'cfloat', 'cdouble'];

function intList(v: unknown, what: string, ctx: CallContext): number[] {
  if (!Array.isArray(v) || v.length > MAX_DIMS) ctx.fail(`${what} must be a tuple of at most ${MAX_DIMS} ints`);
  return v.map((x) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) ctx.fail(`${what} holds ${String(x)}, not a non-negative integer`);
    return x;
  });
}

/** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]) */
function rebuildTensor(args: unknown[], ctx: CallContext): TensorRef {
  const [storage, offset, size, stride, requiresGrad] = args;
  if (!(storage instanceof StorageRef)) ctx.fail('_rebuild_tensor_v2: first argument is not a storage');
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) ctx.fail(`_rebuild_tensor_v2: bad storage offset ${String(offset)}`);
  const shape = intList(size, 'tensor size', ctx);
  const strides = intList(stride, 'tensor stride', ctx);
  if (shape.length !== strides.length) ctx.fail(`tensor size (${shape.length} dims) and stride (${strides.length} dims) disagree`);
  return new TensorRef(storage, offset, shape, strides, requiresGrad === true);
}

function rebuildParameter(args: unknown[], ctx: CallContext): unknown {
  const data = args[0];
  if (data instanceof TensorRef) data.isParameter = true;
  else ctx.note('_rebuild_parameter applied to something that is not a tensor');
  return data;
}

/** numpy.core.multiarray.scalar(dtype, bytes) -> a JS number (or bigint-free number; bool as boolean). */
function numpyScalar(args: unknown[], ctx: CallContext): unknown {
  const [dt, raw] = args;
  if (!(dt instanceof NumpyDtype)) ctx.fail('numpy scalar without a numpy dtype');
  if (!(raw instanceof Uint8Array)) ctx.fail('numpy scalar without its bytes');
  const el = parseDescr(dt.descr);
  if ('refused' in el) {
    ctx.note(`numpy scalar of dtype ${dt.descr} kept as a placeholder: ${el.refused}`);
    const p = new Placeholder(`numpy scalar ${dt.descr}`);
    return p;
  }
  if (raw.length < el.itemsize) ctx.fail(`numpy scalar ${dt.descr} has ${raw.length} bytes, needs ${el.itemsize}`);
  const v = decodeElements(raw, el, 1);
  if (el.dtype === 'b1') return v[0] === 1;
  if (el.dtype === 'c8' || el.dtype === 'c16') return [v[0], v[1]];
  return v[0];
}

/** numpy.dtype('f8', False, True) -> NumpyDtype; BUILD then sets the byte order. */
function numpyDtype(args: unknown[], ctx: CallContext): NumpyDtype {
  if (typeof args[0] !== 'string') ctx.fail('numpy.dtype with a non-string kind');
  return new NumpyDtype(args[0]);
}

/** _codecs.encode(text, 'latin1') is how protocol 2 pickles bytes; latin1 maps code points 0-255 to bytes. */
function codecsEncode(args: unknown[], ctx: CallContext): Uint8Array {
  const [text, enc] = args;
  if (typeof text !== 'string') ctx.fail('_codecs.encode of a non-string');
  const e = typeof enc === 'string' ? enc.toLowerCase().replace(/[-_]/g, '') : 'utf8';
  if (e === 'latin1' || e === 'iso88591') {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 255) ctx.fail('_codecs.encode: character beyond latin-1');
      out[i] = c;
    }
    return out;
  }
  if (e === 'utf8' || e === 'ascii') return Buffer.from(text, 'utf8');
  return ctx.fail(`_codecs.encode with encoding '${String(enc)}' is not supported`);
}

function pairsToDict(items: unknown, ctx: CallContext, ordered: boolean): PyDict {
  const d = new PyDict();
  d.ordered = ordered;
  if (items === undefined) return d;
  if (items instanceof Map) { for (const [k, v] of items) d.set(k, v); return d; }
  if (!Array.isArray(items)) ctx.fail('dict built from something that is not a list of pairs');
  for (const kv of items) {
    if (!Array.isArray(kv) || kv.length !== 2) ctx.fail('dict built from a list whose items are not pairs');
    d.set(kv[0], kv[1]);
  }
  return d;
}

function seq(v: unknown, ctx: CallContext): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  if (typeof v === 'string') return [...v];
  return ctx.fail('expected a sequence');
}

const TABLE = new Map<string, KnownGlobal>();
function allow(names: string[], call?: (args: unknown[], ctx: CallContext) => unknown): void {
  for (const n of names) TABLE.set(n, new KnownGlobal(n, call));
}

allow(['collections.OrderedDict'], (a, c) => pairsToDict(a[0], c, true));
allow(['builtins.dict', '__builtin__.dict'], (a, c) => pairsToDict(a[0], c, false));
allow(['builtins.list', '__builtin__.list'], (a, c) => [...seq(a[0], c)]);
allow(['builtins.tuple', '__builtin__.tuple'], (a, c) => [...seq(a[0], c)]);
allow(['builtins.set', '__builtin__.set', 'builtins.frozenset', '__builtin__.frozenset'], (a, c) => new Set(seq(a[0], c)));
allow(['builtins.bytearray', '__builtin__.bytearray', 'builtins.bytes'], (a, c) => {
  if (a.length === 0) return new Uint8Array(0);
  if (a[0] instanceof Uint8Array) return a[0];
  if (typeof a[0] === 'string') return codecsEncode(a, c);
  return Uint8Array.from(seq(a[0], c).map((x) => Number(x) & 255));
});
allow(['builtins.slice'], (a) => ({ slice: a }));
allow(['_codecs.encode'], codecsEncode);
allow(['torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_tensor'], rebuildTensor);
allow(['torch._utils._rebuild_parameter', 'torch._utils._rebuild_parameter_with_state'], rebuildParameter);
allow(['torch._tensor._rebuild_from_type_v2', 'torch._tensor._rebuild_from_type'], (a, c) => {
  // (func, new_type, args, state): func is itself a global the VM already resolved; only allow-listed ones run.
  const [func, , args] = a;
  if (!(func instanceof KnownGlobal) || !func.call) {
    c.note(`_rebuild_from_type_v2 with a function that is not allow-listed (${func instanceof Placeholder ? func.__global__ : typeof func})`);
    const p = new Placeholder(func instanceof Placeholder ? func.__global__ : '_rebuild_from_type_v2');
    p.args = args;
    return p;
  }
  return func.call(seq(args, c), c);
});
allow(['torch.device'], (a) => (a.length > 1 && a[1] !== null && a[1] !== undefined ? `${String(a[0])}:${String(a[1])}` : String(a[0])));
allow(['torch.Size'], (a, c) => [...seq(a[0], c)]);
allow(['numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar'], numpyScalar);
allow(['numpy.dtype'], numpyDtype);
// numpy arrays inside a checkpoint dict: an empty shell here, filled by BUILD with (version, shape, dtype, fortran, bytes).
allow(['numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct'], () => new NumpyArrayRef());
// pickle protocol 5 form: _frombuffer(buffer, dtype, shape, order)
allow(['numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer'], (a) => {
  const [buf, dtype, shape, order] = a;
  const arr = new NumpyArrayRef();
  if (!(buf instanceof Uint8Array) || !(dtype instanceof NumpyDtype) || !Array.isArray(shape)
    || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    arr.refused = 'numpy _frombuffer with unexpected arguments';
    return arr;
  }
  arr.raw = buf;
  arr.dtype = dtype;
  arr.shape = shape as number[];
  arr.fortran = order === 'F';
  return arr;
});
allow(['argparse.Namespace'], (a, c) => {
  const o = new PyObject('argparse.Namespace');
  if (a.length > 0) c.note('argparse.Namespace called with positional arguments; ignored');
  return o;
});
// Types that appear only as values (arguments of _rebuild_from_type_v2 ...); calling them is not allowed.
allow(['torch.Tensor', 'torch._tensor.Tensor', 'torch.nn.parameter.Parameter', 'torch.nn.Parameter', 'torch.strided', 'numpy.ndarray']);
for (const d of TORCH_DTYPE_NAMES) TABLE.set(`torch.${d}`, new KnownGlobal(`torch.${d}`));

/**
 * The allow-listed meaning of `module.name`, a StorageType for storage classes, or undefined (the caller then makes
 * an inert Placeholder and a note). Nothing is ever imported or executed: names are only looked up in this table.
 */
export function resolveGlobal(module: string, name: string): KnownGlobal | StorageType | undefined {
  const full = `${module}.${name}`;
  const known = TABLE.get(full);
  if (known) return known;
  if ((module === 'torch' || module === 'torch.storage') && Object.hasOwn(STORAGE_DTYPES, name)) {
    return new StorageType(name, STORAGE_DTYPES[name]);
  }
  if (module === 'torch' && name === 'TypedStorage') return new StorageType(name, undefined);
  return undefined;
}

/** Whether a storage class holds quantized integers (the reader notes that values are not dequantized). */
export function isQuantizedStorage(t: StorageType): boolean {
  return t.name.startsWith('Q');
}
