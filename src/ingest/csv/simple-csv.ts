// Frames a plain CSV (the usual Lightning metrics.csv: numbers and identifiers, '\n' line ends) without csv-parse.
// csv-parse costs ~15 ms to load and ~1 ms per small file; this is a split. It answers only when the bytes hold
// nothing csv-parse would treat specially under the reader's options (no quotes, no whitespace to trim, no byte
// outside printable ASCII, line ends all '\n' or all '\r\n'), where its records are exactly the non-empty lines split
// at ','; else undefined.

/** One record as csv-parse yields it with `info: true`: the cells and the (1-based) line it is on. */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * The records of `buf` (a UTF-8 BOM allowed at the start) when it is a plain CSV, else undefined. `maxRecordBytes`:
 * a longer line is left to csv-parse, which reports it.
 */
export function frameSimpleCsv(buf: Uint8Array, maxRecordBytes: number): CsvRecord[] | undefined {
  let from = 0;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) from = 3;
  let lf = 0;
  let crlf = 0;
  for (let i = from; i < buf.length; i++) {
    const c = buf[i];
    if (c >= 0x21 && c <= 0x7e && c !== 0x22 /* " */) continue;
    if (c === 0x0a) lf++;
    else if (c === 0x0d && buf[i + 1] === 0x0a) crlf++;
    else return undefined;
  }
  // csv-parse takes the first line end it meets as the record delimiter: all '\r\n' or all '\n' frame alike
  if (crlf !== 0 && crlf !== lf) return undefined;
  const eol = crlf > 0 ? 2 : 1;
  const text = Buffer.from(buf.buffer, buf.byteOffset + from, buf.length - from).toString('latin1');
  const out: CsvRecord[] = [];
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length + eol - 1;
    const end = nl - eol + 1;
    if (end - start > maxRecordBytes) return undefined;
    if (end > start) out.push({ record: text.slice(start, end).split(','), info: { lines: line } });
    line++;
    start = nl + 1;
  }
  return out;
}
