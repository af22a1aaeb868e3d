// The contract between discovery and the per-format readers: sniff a file cheaply, then read it into a RunFragment.
import type { RunFragment, RunSourceFormat } from '../model/types.js';

export interface ReadOptions {
  /** extra raw-name -> canonical key aliases from the config file */
  metricAliases?: Record<string, string>;
  /** hard cap on bytes read from one file (resource guard); readers note what they cut */
  maxBytes?: number;
}

export interface FormatReader {
  format: RunSourceFormat;
  /**
   * Decide from the file name and its first bytes (up to 64 KiB) whether this reader handles the file.
   * Detection by content first, name second.
   */
  sniff(name: string, head: Buffer): boolean;
  /** Read one file (or, for mlflow, one run directory) into a fragment. Throws InputError for unreadable input. */
  read(path: string, opts?: ReadOptions): Promise<RunFragment>;
}
