// The inert JS values the allow-listing pickle VM builds: tensors/storages by reference, Python objects, placeholders.
import type { DType } from '../../model/ndarray.js';

/** A storage class named by a pickle (torch.FloatStorage ...), with the element type it implies. */
export class StorageType {
  constructor(readonly name: string, readonly dtype: DType | undefined) {}
}

/** One storage referenced by a persistent id; its bytes live in the archive (zip) or after the pickles (legacy). */
export class StorageRef {
  constructor(
    readonly key: string,
    readonly type: StorageType,
    readonly location: string,
    /** element count (bytes for UntypedStorage) */
    readonly numel: number,
    /** legacy views: element offset into the root storage */
    readonly viewOffset = 0,
  ) {}
}

/** A tensor as described by _rebuild_tensor_v2: a strided view of a storage (element offsets). */
export class TensorRef {
  isParameter = false;
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
    readonly requiresGrad: boolean,
  ) {}
}

/** A Python object of an allow-listed class (argparse.Namespace ...); attributes set by BUILD. */
export class PyObject {
  readonly attrs = new Map<string, unknown>();
  constructor(readonly className: string) {}
}

/** A dict or OrderedDict. `attrs` holds BUILD state such as `_metadata`, which is not a dict item. */
export class PyDict extends Map<unknown, unknown> {
  attrs?: Map<string, unknown>;
  ordered = false;
}

/** A numpy dtype built by `numpy.dtype(...)` + BUILD; `descr` is like '<f8'. */
export class NumpyDtype {
  byteOrder = '<';
  constructor(readonly kind: string) {}
  get descr(): string {
    return /^[<>|=]/.test(this.kind) ? this.kind : `${this.byteOrder === '=' ? '<' : this.byteOrder}${this.kind}`;
  }
}

/**
 * A global that is not on the allow-list (os.system, subprocess.Popen, builtins.eval ...), or the result of "calling"
 * one. It does nothing: it only remembers its name and what it was given, so reports can say what the file reached for.
 */
export class Placeholder {
  args?: unknown;
  state?: unknown;
  constructor(readonly __global__: string) {}
}

/** The marker for values the VM refused to materialise (too deep, too big). */
export class Truncated {
  constructor(readonly why: string) {}
}

/** A numpy.ndarray rebuilt by numpy.core.multiarray._reconstruct + BUILD (state: version, shape, dtype, fortran, raw bytes). */
export class NumpyArrayRef {
  shape: number[] = [];
  dtype?: NumpyDtype;
  fortran = false;
  /** raw element bytes; absent for object arrays (whose elements arrive as a pickled list and are never used) */
  raw?: Uint8Array;
  refused?: string;
}
