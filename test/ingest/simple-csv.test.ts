// The plain-CSV framer (src/ingest/csv/simple-csv.ts) must give csv-parse's records and line numbers, or decline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { frameSimpleCsv } from '../../src/ingest/csv/simple-csv.js';

/** The options readCsvLog gives csv-parse. */
const CSV_OPTIONS = { bom: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: true, trim: true, info: true, max_record_size: 1 << 20 };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('plain CSVs (sparse cells, ragged and empty lines, BOM, CRLF, no final newline) frame as csv-parse frames them', () => {
  const r = rng(3);
  const cells = ['', '0', '49', '0.875', '-1.5e-05', 'nan', 'inf', 'train/cls_acc', 'val_loss', 'x.y', '#', "'"];
  for (let doc = 0; doc < 300; doc++) {
    const lines: string[] = [];
    const width = 1 + Math.floor(r() * 6);
    const n = Math.floor(r() * 15);
    for (let k = 0; k < n; k++) {
      if (r() < 0.1) {
        lines.push('');
        continue;
      }
      const w = r() < 0.1 ? 1 + Math.floor(r() * 8) : width;
      lines.push(Array.from({ length: w }, () => cells[Math.floor(r() * cells.length)]).join(','));
    }
    const eol = r() < 0.3 ? '\r\n' : '\n';
    const text = (r() < 0.1 ? '\ufeff' : '') + lines.join(eol) + (r() < 0.7 ? eol : '');
    const buf = Buffer.from(text);
    const fast = frameSimpleCsv(buf, 1 << 20);
    assert.notEqual(fast, undefined, JSON.stringify(text));
    const slow = (parse(buf, CSV_OPTIONS) as unknown as { record: string[]; info: { lines: number } }[]).map((x) => ({ record: x.record, info: { lines: x.info.lines } }));
    assert.deepEqual(fast, slow, JSON.stringify(text));
  }
});

test('quotes, whitespace, mixed or lone CR line ends and non-ASCII bytes are left to csv-parse', () => {
  for (const text of ['a,"b"\n', 'a, b\n', 'a,b \n', 'a\tb\n', 'a,b\r\n1,2\n', 'a,b\n1,2\r\n', 'a\rb\n', 'a,b\r', 'a,\u00e9\n', 'a\n \n', 'a\u0000b\n']) {
    assert.equal(frameSimpleCsv(Buffer.from(text), 1 << 20), undefined, JSON.stringify(text));
  }
  assert.equal(frameSimpleCsv(Buffer.from('a,b\n1234567890\n'), 8), undefined, 'a record over the size limit');
});
