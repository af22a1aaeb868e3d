// Re-run results kept OUTSIDE the run and data directories, so a second look at the same checkpoint on the same
// images is instant: `<cache>/rerun/<key>/features.npz` (+ meta.json), the key a hash of the checkpoint's bytes,
// the listed images (resolved paths and labels, so list contents and the root) and the transform.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { NdArray } from '../model/ndarray.js';
import type { RerunInfo } from '../model/types.js';
import type { ListedImage, ValTransform } from './types.js';
import { npzBytes } from './write-npz.js';

/** Bumped when what is cached changes meaning (array names, preprocessing): old entries are then simply not found. */
export const RERUN_CACHE_VERSION = 1;

/** What a cache entry says about itself (meta.json): the re-run's facts as the report gives them, and its own. */
export interface RerunMeta extends Omit<RerunInfo, 'cached'> {
  version: number;
  seconds: number;
  /** notes of the run that made the entry (skipped images...), repeated when the entry is used */
  notes: string[];
  created: string;
}

/**
 * The cache folder: `DANN_DOCTOR_CACHE_DIR` when set, else `$XDG_CACHE_HOME/dann-doctor`, else
 * `~/.cache/dann-doctor` (the XDG default).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DANN_DOCTOR_CACHE_DIR) return env.DANN_DOCTOR_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'dann-doctor');
}

/** sha256 of a file's bytes, streamed (a ResNet-50 checkpoint is ~100 MB: ~0.3 s). */
export async function fileHash(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export function rerunKey(checkpointHash: string, domains: readonly { domain: string; images: readonly ListedImage[] }[], t: ValTransform): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: RERUN_CACHE_VERSION, checkpointHash, t }));
  for (const d of domains) {
    h.update(`\0${d.domain}\0`);
    for (const im of d.images) h.update(`${im.path}\t${im.label}\n`);
  }
  return h.digest('hex').slice(0, 32);
}

export interface CachedRerun {
  features: string;
  meta: RerunMeta;
}

function entryDir(cacheDir: string, key: string): string {
  return join(cacheDir, 'rerun', key);
}

/** The entry for `key`, or undefined when there is none (or it is unreadable: then it is made again). */
export async function readCachedRerun(cacheDir: string, key: string): Promise<CachedRerun | undefined> {
  const dir = entryDir(cacheDir, key);
  try {
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as RerunMeta;
    if (meta.version !== RERUN_CACHE_VERSION) return undefined;
    return { features: join(dir, 'features.npz'), meta };
  } catch {
    return undefined;
  }
}

/**
 * Writes the entry into a temporary folder and renames it into place: an interrupted write (Ctrl-C) never leaves a
 * half entry that a later run would trust.
 */
export async function writeCachedRerun(cacheDir: string, key: string, arrays: ReadonlyMap<string, NdArray>, meta: RerunMeta): Promise<CachedRerun> {
  const dir = entryDir(cacheDir, key);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(join(tmp, 'features.npz'), npzBytes(arrays));
    await writeFile(join(tmp, 'meta.json'), `${JSON.stringify(meta, null, 1)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
  return { features: join(dir, 'features.npz'), meta };
}
