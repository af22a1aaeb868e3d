// Chooses the TF.js backend at run time (tfjs-node-gpu -> tfjs-node -> webgpu -> wasm -> cpu) and says why.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, existsSync, readdirSync } from 'node:fs';

/** The TF.js namespace. Type-only import: nothing of TF.js loads until loadBackend() runs. */
export type Tf = typeof import('@tensorflow/tfjs');

export type BackendName = 'tfjs-node-gpu' | 'tfjs-node' | 'webgpu' | 'wasm' | 'cpu';

/** Fastest first. Each rung is tried only if the one above failed to load. */
export const BACKEND_LADDER: readonly BackendName[] = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'];

/** Names a user may type for --backend, mapped to a rung ('auto' = walk the ladder). */
const BACKEND_ALIASES: Record<string, BackendName | 'auto'> = {
  auto: 'auto',
  'tfjs-node-gpu': 'tfjs-node-gpu', 'node-gpu': 'tfjs-node-gpu', cuda: 'tfjs-node-gpu',
  'tfjs-node': 'tfjs-node', node: 'tfjs-node', tensorflow: 'tfjs-node',
  webgpu: 'webgpu', wasm: 'wasm', cpu: 'cpu',
};

export interface LoadedBackend {
  name: BackendName;
  /** one line for the report/UI: why this rung, and why the ones above it were skipped */
  reason: string;
  tf: Tf;
}

/** --backend names a rung we do not know. */
export class UnknownBackendError extends Error {
  constructor(name: string) {
    super(`unknown backend '${name}' (choose one of: auto, ${BACKEND_LADDER.join(', ')})`);
    this.name = 'UnknownBackendError';
  }
}

/** --backend forced a rung that cannot load here. */
export class BackendUnavailableError extends Error {
  constructor(name: BackendName, why: string) {
    super(`backend '${name}' was asked for but cannot be used here: ${why}`);
    this.name = 'BackendUnavailableError';
  }
}

export function parseBackendName(name: string): BackendName | 'auto' {
  const b = BACKEND_ALIASES[name.trim().toLowerCase()];
  if (!b) throw new UnknownBackendError(name);
  return b;
}

/** Load errors can be long (stack-ish native messages); the report wants one short clause. */
const MAX_REASON_CHARS = 140;
function shortError(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
  const msg = err instanceof Error ? err.message : String(err);
  const first = msg.split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
  return first.length > MAX_REASON_CHARS ? `${first.slice(0, MAX_REASON_CHARS)}...` : first;
}

let tfPromise: Promise<Tf> | undefined;
/** @tensorflow/tfjs itself, loaded once. PROD mode also silences the "install tfjs-node" console banner. */
async function loadTf(): Promise<Tf> {
  tfPromise ??= import('@tensorflow/tfjs').then((tf) => {
    tf.enableProdMode();
    return tf;
  });
  return tfPromise;
}

const require = createRequire(import.meta.url);

/** Dynamic import of a module that may be absent: its name is a variable so bundlers and tsc leave it alone. */
async function importOptional(name: string): Promise<unknown> {
  return import(name);
}

/**
 * Dawn prints a warning to stderr when it cannot find the Vulkan loader; look for it ourselves first
 * (the ld.so cache, then LD_LIBRARY_PATH) so a machine without one skips the rung quietly.
 */
function hasVulkanLoader(): boolean {
  if (process.platform !== 'linux') return true; // Dawn uses Metal/D3D12 there
  try {
    if (readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1')) return true;
  } catch { /* no cache: fall through */ }
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  return dirs.some((d) => existsSync(`${d}/libvulkan.so.1`));
}

/** The package's dist/ folder; a bundled build (bench/device) has no node_modules and ships the .wasm files beside itself. */
function wasmDir(): string {
  try {
    return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  } catch {
    return dirname(fileURLToPath(import.meta.url));
  }
}

type Rung = (tf: Tf) => Promise<{ tf: Tf; detail: string }>;

/** Linux exposes a GPU to user space as a DRM render node or an NVIDIA device; elsewhere assume one may exist. */
export function hasGpuDeviceNode(): boolean {
  if (process.platform !== 'linux') return true;
  try {
    if (readdirSync('/dev/dri').some((n) => n.startsWith('renderD') || n.startsWith('card'))) return true;
  } catch { /* no /dev/dri */ }
  try {
    return readdirSync('/dev').some((n) => /^nvidia\d+$/.test(n));
  } catch {
    return false;
  }
}

async function useBackend(tf: Tf, name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed to initialise`);
  await tf.ready();
}

const RUNGS: Record<BackendName, Rung> = {
  async 'tfjs-node-gpu'() {
    // The addon registers the 'tensorflow' backend in its own copy of tfjs; use the namespace it returns.
    const tfn = (await importOptional('@tensorflow/tfjs-node-gpu')) as Tf;
    await useBackend(tfn, 'tensorflow');
    return { tf: tfn, detail: 'libtensorflow with CUDA' };
  },
  async 'tfjs-node'() {
    const tfn = (await importOptional('@tensorflow/tfjs-node')) as Tf;
    await useBackend(tfn, 'tensorflow');
    return { tf: tfn, detail: 'libtensorflow on the CPU' };
  },
  async webgpu(tf) {
    if (!hasVulkanLoader()) throw new Error('no Vulkan loader (libvulkan.so.1) on this machine');
    // Dawn prints multi-line Vulkan warnings to stderr (from native code, not catchable here) when it probes a
    // machine without a GPU, e.g. after installing Chromium brought a Vulkan loader: do not probe without a device.
    if (!hasGpuDeviceNode()) throw new Error('no GPU device node (/dev/dri/renderD*, /dev/nvidia*)');
    // Literal specifiers (not importOptional) so a bundler keeps tfjs-backend-webgpu on the same tfjs-core.
    const dawn = (await import('webgpu')) as unknown as {
      create: (flags: string[]) => { requestAdapter(): Promise<{ info?: { description?: string; vendor?: string } } | null> };
      globals: Record<string, unknown>;
    };
    const gpu = dawn.create([]);
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('Dawn found no GPU adapter');
    // tfjs-backend-webgpu reads navigator.gpu and the GPU* constants from globalThis; set them only now that
    // an adapter exists, so a machine without a GPU keeps a clean global scope.
    Object.assign(globalThis, dawn.globals);
    const g = globalThis as unknown as { navigator?: Record<string, unknown> };
    if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    await import('@tensorflow/tfjs-backend-webgpu');
    await useBackend(tf, 'webgpu');
    const desc = adapter.info?.description || adapter.info?.vendor || 'GPU';
    return { tf, detail: `Dawn WebGPU on ${desc}` };
  },
  async wasm(tf) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm files are read from disk: point at the package's dist/ folder (a path, not a URL).
    wasm.setWasmPaths(`${wasmDir()}/`);
    // The emscripten glue adds process-wide 'uncaughtException'/'unhandledRejection' handlers that rethrow and
    // print its whole minified source; take back exactly the handlers it added so errors stay readable.
    const before = { ex: process.listeners('uncaughtException'), rej: process.listeners('unhandledRejection') };
    try {
      await useBackend(tf, 'wasm');
    } finally {
      for (const l of process.listeners('uncaughtException')) if (!before.ex.includes(l)) process.removeListener('uncaughtException', l);
      for (const l of process.listeners('unhandledRejection')) if (!before.rej.includes(l)) process.removeListener('unhandledRejection', l);
    }
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return { tf, detail: `XNNPACK${simd ? ' SIMD' : ' without SIMD'}, ${threads ? 'threaded' : 'one thread'}` };
  },
  async cpu(tf) {
    await useBackend(tf, 'cpu');
    return { tf, detail: 'pure JavaScript, slowest' };
  },
};

/**
 * Loads TF.js with the best backend that works here, or the one `opts.backend` forces.
 * Every load error is caught (a missing native addon throws a plain Error at import) and named in `reason`.
 * Cost: first call imports TF.js (~0.5 s) and initialises the backend; later calls reuse it.
 */
export async function loadBackend(opts: { backend?: string } = {}): Promise<LoadedBackend> {
  const wanted = opts.backend === undefined ? 'auto' : parseBackendName(opts.backend);
  const tf = await loadTf();
  if (wanted !== 'auto') {
    try {
      const { tf: t, detail } = await RUNGS[wanted](tf);
      return { name: wanted, tf: t, reason: `forced with --backend ${wanted} (${detail})` };
    } catch (err) {
      throw new BackendUnavailableError(wanted, shortError(err));
    }
  }
  const skipped: string[] = [];
  for (const name of BACKEND_LADDER) {
    try {
      const { tf: t, detail } = await RUNGS[name](tf);
      const why = skipped.length ? `; skipped ${skipped.join('; ')}` : '';
      return { name, tf: t, reason: `${name}: ${detail}${why}` };
    } catch (err) {
      skipped.push(`${name} (${shortError(err)})`);
    }
  }
  // cpu cannot fail to load short of a broken install; keep the type checker and the user informed anyway.
  throw new BackendUnavailableError('cpu', skipped.join('; '));
}
