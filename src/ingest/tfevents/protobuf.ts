// A minimal protobuf wire-format cursor: enough to walk tfevents messages without a schema compiler.
export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** Thrown on malformed bytes; the caller turns it into a note naming the file and record offset. */
export class ProtoError extends Error {}

/** Reads fields from `buf[pos, end)`; sub-messages are read by making a cursor over their byte range. */
export class ProtoCursor {
  pos: number;
  constructor(readonly buf: Buffer, start = 0, readonly end = buf.length) {
    this.pos = start;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  /** Varint as a JS number; exact below 2^53, and negative int64 values (10-byte varints) come back negative. */
  varint(): number {
    const start = this.pos;
    let v = 0;
    let mul = 1;
    let b: number;
    do {
      if (this.pos >= this.end) throw new ProtoError('varint runs past the end');
      if (this.pos - start >= 10) throw new ProtoError('varint longer than 10 bytes');
      b = this.buf[this.pos++];
      v += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    // beyond 8 bytes the double loses bits: redo exactly as a signed 64-bit integer (negative steps are 10 bytes)
    if (this.pos - start > 8) {
      let big = 0n;
      for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf[i] & 0x7f);
      return Number(BigInt.asIntN(64, big));
    }
    return v;
  }
  /** Field number and wire type of the last key read by next() (fields, not a returned object: no allocation). */
  no = 0;
  wire = 0;
  /** Reads the next field key; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const b = this.buf[this.pos];
    // one-byte keys (field numbers below 16) are nearly all of them
    if (b < 0x80) { this.pos++; this.no = b >>> 3; this.wire = b & 7; return true; }
    const k = this.varint();
    this.no = Math.floor(k / 8);
    this.wire = k & 7;
    return true;
  }
  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  float(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }
  /** Byte range [start, end) of a length-delimited field. */
  bytes(): [number, number] {
    const len = this.varint();
    this.need(len);
    const s = this.pos;
    this.pos += len;
    return [s, s + len];
  }
  string(): string {
    const [s, e] = this.bytes();
    return this.buf.toString('utf8', s, e);
  }
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_I64) { this.need(8); this.pos += 8; }
    else if (wire === WIRE_LEN) this.bytes();
    else if (wire === WIRE_I32) { this.need(4); this.pos += 4; }
    else throw new ProtoError(`unsupported wire type ${wire}`);
  }
  sub(): ProtoCursor {
    const [s, e] = this.bytes();
    return new ProtoCursor(this.buf, s, e);
  }
  private need(n: number): void {
    if (this.pos + n > this.end) throw new ProtoError('field runs past the end of its message');
  }
}

/** Repeated numeric field, packed (wire 2) or not: `read` decodes one element from a cursor. */
export function readRepeated(c: ProtoCursor, wire: number, elemWire: number, read: (c: ProtoCursor) => number, out: number[]): void {
  if (wire === WIRE_LEN) {
    const sub = c.sub();
    while (!sub.done) out.push(read(sub));
  } else if (wire === elemWire) out.push(read(c));
  else c.skip(wire);
}
