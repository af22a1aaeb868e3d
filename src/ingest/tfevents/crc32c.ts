// CRC32C (Castagnoli) and TFRecord's masked variant, used to check every tfevents record header and payload.

/** Reflected Castagnoli polynomial (RFC 3720 B.4). */
const POLY = 0x82f63b78;
/** TFRecord's mask constant: masked = rotr15(crc) + MASK_DELTA (tensorflow/core/lib/hash/crc32c.h). */
const MASK_DELTA = 0xa282ead8;

// Slicing-by-8 tables: a 1 GB event file is checked at several hundred MB/s instead of one table lookup per byte.
const T = new Uint32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[n] = c >>> 0;
}
for (let n = 0; n < 256; n++) {
  let c = T[n];
  for (let t = 1; t < 8; t++) {
    c = (T[c & 0xff] ^ (c >>> 8)) >>> 0;
    T[t * 256 + n] = c;
  }
}

/** CRC32C of `buf[start, end)`. Check value: crc32c("123456789") = 0xe3069283. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = 0xffffffff;
  let i = start;
  while (end - i >= 8) {
    const a = (crc ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))) >>> 0;
    crc =
      T[7 * 256 + (a & 0xff)] ^ T[6 * 256 + ((a >>> 8) & 0xff)] ^ T[5 * 256 + ((a >>> 16) & 0xff)] ^ T[4 * 256 + (a >>> 24)] ^
      T[3 * 256 + buf[i + 4]] ^ T[2 * 256 + buf[i + 5]] ^ T[256 + buf[i + 6]] ^ T[buf[i + 7]];
    i += 8;
  }
  while (i < end) crc = T[(crc ^ buf[i++]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The masked CRC TFRecord stores (a plain CRC of data that embeds CRCs is weak, hence the rotation). */
export function maskedCrc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const c = crc32c(buf, start, end);
  return (((c >>> 15) | (c << 17)) + MASK_DELTA) >>> 0;
}
