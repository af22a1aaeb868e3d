// Picks the reader for a file by its content (first 64 KiB), then by its name; `--format-hint` overrides both.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { inputErrorFromFs, openForReadingSync } from './input-error.js';
import { tfeventsReader } from './tfevents/index.js';
import { mlflowReader, isMlflowRunDir } from './mlflow/index.js';
import { csvReader } from './csv/index.js';
import { jsonlReader } from './jsonl/index.js';
import { deepdaLogReader, dasslLogReader, kerasLogReader } from './textlogs/index.js';
import { tllibReader } from './tllib/index.js';
import { consoleReader } from './console/index.js';
import type { FormatReader } from './format-reader.js';
import type { RunSourceFormat } from '../model/types.js';

/** formats.md: sniffers look at no more than this much of a file. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * In sniffing order. Binary and strongly-marked formats first; DeepDA before tllib because both logs start with a
 * `Namespace(...)` line and only DeepDA's has its own epoch line shape; the loosest (JSONL, CSV) last.
 */
export const READERS: FormatReader[] = [
  tfeventsReader, mlflowReader, deepdaLogReader, tllibReader, dasslLogReader, kerasLogReader, jsonlReader, csvReader,
];

/** Every CSV flavour is read by the one CSV reader, which tells the flavours apart itself. */
const CSV_FORMATS = new Set<RunSourceFormat>(['csv', 'lightning-csv', 'keras-csv', 'deepda-csv']);

/** The reader a `--format-hint` names, or undefined for 'unknown' / a format without a reader. */
export function readerForFormat(format: RunSourceFormat): FormatReader | undefined {
  if (CSV_FORMATS.has(format)) return csvReader;
  if (format === 'console') return consoleReader;
  return READERS.find((r) => r.format === format);
}

/**
 * One buffer for every sniff in this thread, read synchronously and used before anything else can run: a fresh
 * zero-filled 64 KiB per file sniffed was most of detection's cost in a sweep.
 */
let sniffBuf: Buffer | undefined;

/** The first SNIFF_BYTES of `file`, in the shared buffer: valid until the next call (never across an await). */
function readHead(file: string): Buffer {
  const fh = openForReadingSync(file);
  try {
    sniffBuf ??= Buffer.allocUnsafe(SNIFF_BYTES);
    return sniffBuf.subarray(0, fh.readSync(sniffBuf, 0, SNIFF_BYTES, 0));
  } catch (err) {
    throw inputErrorFromFs(file, err);
  } finally {
    fh.close().catch(() => {});
  }
}

/**
 * The reader for `file`, or null when none recognises it. A hint (`--format-hint`) wins outright. Otherwise each
 * sniffer first sees the content alone (an empty name), then the content with the file name, so a mis-named file is
 * still read by what it holds. A directory is recognised only as an MLflow run directory.
 */
export async function detectFormat(file: string, hint?: RunSourceFormat): Promise<FormatReader | null> {
  if (hint && hint !== 'unknown') {
    const r = readerForFormat(hint);
    if (r) return r;
  }
  let isDir: boolean;
  try {
    isDir = statSync(file).isDirectory(); // sync: an async stat per file costs more CPU than the stat itself
  } catch (err) {
    throw inputErrorFromFs(file, err);
  }
  if (isDir) return (await isMlflowRunDir(file)) ? mlflowReader : null;
  const head = readHead(file);
  for (const r of READERS) if (r.sniff('', head)) return r;
  const name = basename(file);
  for (const r of READERS) if (r.sniff(name, head)) return r;
  // last resort: any text with numbers in it (the generic console reader says so in a note)
  return consoleReader.sniff(name, head) ? consoleReader : null;
}
