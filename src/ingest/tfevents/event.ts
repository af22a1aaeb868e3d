// Decodes one serialized tensorflow.Event into the parts dann-doctor uses: time, step, restarts and scalar values.
import { ProtoCursor, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT, readRepeated } from './protobuf.js';

/** tensorflow DataType enum values we can turn into one number. */
export const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, INT64: 9, BFLOAT16: 14, HALF: 19 } as const;
/** SummaryMetadata.data_class SCALAR */
const DATA_CLASS_SCALAR = 1;
/** SessionLog.status START: TensorBoard purges later steps when it sees one (a restarted job). */
const SESSION_START = 1;

export interface DecodedValue {
  tag: string;
  /** legacy float32 scalar */
  simpleValue?: number;
  /** numbers of a TensorProto (typed field first, else tensor_content), with its rank */
  tensor?: { dtype: number; rank: number; numbers: number[] };
  /** metadata.plugin_data.plugin_name, when this value carries metadata */
  plugin?: string;
  scalarDataClass?: boolean;
}

export interface DecodedEvent {
  wallTime?: number;
  step: number;
  fileVersion?: string;
  sessionStart?: boolean;
  values: DecodedValue[];
}

export function decodeEvent(buf: Buffer, start: number, end: number): DecodedEvent {
  const c = new ProtoCursor(buf, start, end);
  const ev: DecodedEvent = { step: 0, values: [] };
  while (c.next()) {
    const { no, wire } = c;
    if (no === 1 && wire === WIRE_I64) ev.wallTime = c.double();
    else if (no === 2 && wire === WIRE_VARINT) ev.step = c.varint();
    else if (no === 3 && wire === WIRE_LEN) ev.fileVersion = c.string();
    else if (no === 5 && wire === WIRE_LEN) decodeSummary(c.sub(), ev.values);
    else if (no === 7 && wire === WIRE_LEN) ev.sessionStart = decodeSessionStatus(c.sub()) === SESSION_START;
    else c.skip(wire);
  }
  return ev;
}

function decodeSessionStatus(c: ProtoCursor): number {
  let status = 0;
  while (c.next()) {
    const { no, wire } = c;
    if (no === 1 && wire === WIRE_VARINT) status = c.varint();
    else c.skip(wire);
  }
  return status;
}

function decodeSummary(c: ProtoCursor, out: DecodedValue[]): void {
  while (c.next()) {
    const { no, wire } = c;
    if (no === 1 && wire === WIRE_LEN) out.push(decodeValue(c.sub()));
    else c.skip(wire);
  }
}

function decodeValue(c: ProtoCursor): DecodedValue {
  const v: DecodedValue = { tag: '' };
  while (c.next()) {
    const { no, wire } = c;
    if (no === 1 && wire === WIRE_LEN) v.tag = c.string();
    else if (no === 2 && wire === WIRE_I32) v.simpleValue = c.float();
    else if (no === 8 && wire === WIRE_LEN) v.tensor = decodeTensor(c.sub());
    else if (no === 9 && wire === WIRE_LEN) decodeMetadata(c.sub(), v);
    else c.skip(wire);
  }
  return v;
}

function decodeMetadata(c: ProtoCursor, v: DecodedValue): void {
  while (c.next()) {
    const { no, wire } = c;
    if (no === 1 && wire === WIRE_LEN) {
      const pd = c.sub();
      while (pd.next()) {
        if (pd.no === 1 && pd.wire === WIRE_LEN) v.plugin = pd.string();
        else pd.skip(pd.wire);
      }
    } else if (no === 4 && wire === WIRE_VARINT) v.scalarDataClass = c.varint() === DATA_CLASS_SCALAR;
    else c.skip(wire);
  }
}

function decodeTensor(c: ProtoCursor): { dtype: number; rank: number; numbers: number[] } {
  let dtype = 0;
  let rank = 0;
  let content: [number, number] | undefined;
  const typed: number[] = [];
  while (c.next()) {
    const { no, wire } = c;
    if (no === 1 && wire === WIRE_VARINT) dtype = c.varint();
    else if (no === 2 && wire === WIRE_LEN) rank = shapeRank(c.sub());
    else if (no === 4 && wire === WIRE_LEN) content = c.bytes();
    else if (no === 5) readRepeated(c, wire, WIRE_I32, (s) => s.float(), typed);
    else if (no === 6) readRepeated(c, wire, WIRE_I64, (s) => s.double(), typed);
    else if (no === 7 || no === 10) readRepeated(c, wire, WIRE_VARINT, (s) => s.varint(), typed);
    else if (no === 13) readRepeated(c, wire, WIRE_VARINT, (s) => (dtype === DT.BFLOAT16 ? bf16ToFloat(s.varint()) : halfToFloat(s.varint())), typed);
    else c.skip(wire);
  }
  const numbers = typed.length > 0 ? typed : content ? decodeContent(c.buf, content, dtype) : [];
  return { dtype, rank, numbers };
}

function shapeRank(c: ProtoCursor): number {
  let dims = 0;
  while (c.next()) {
    const { no, wire } = c;
    if (no === 2 && wire === WIRE_LEN) { dims++; c.skip(wire); }
    else c.skip(wire);
  }
  return dims;
}

/** tensor_content: raw little-endian elements of the dtype (TF2 `tf.summary.scalar` often writes this). */
function decodeContent(buf: Buffer, [s, e]: [number, number], dtype: number): number[] {
  const dv = new DataView(buf.buffer, buf.byteOffset + s, e - s);
  const out: number[] = [];
  const n = e - s;
  if (dtype === DT.FLOAT) for (let i = 0; i + 4 <= n; i += 4) out.push(dv.getFloat32(i, true));
  else if (dtype === DT.DOUBLE) for (let i = 0; i + 8 <= n; i += 8) out.push(dv.getFloat64(i, true));
  else if (dtype === DT.INT32) for (let i = 0; i + 4 <= n; i += 4) out.push(dv.getInt32(i, true));
  else if (dtype === DT.INT64) for (let i = 0; i + 8 <= n; i += 8) out.push(Number(dv.getBigInt64(i, true)));
  else if (dtype === DT.HALF) for (let i = 0; i + 2 <= n; i += 2) out.push(halfToFloat(dv.getUint16(i, true)));
  else if (dtype === DT.BFLOAT16) for (let i = 0; i + 2 <= n; i += 2) out.push(bf16ToFloat(dv.getUint16(i, true)));
  return out;
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bf16ToFloat(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/** dtypes whose single element is a scalar metric */
export function isNumericDtype(dtype: number): boolean {
  return dtype === DT.FLOAT || dtype === DT.DOUBLE || dtype === DT.INT32 || dtype === DT.INT64 || dtype === DT.HALF || dtype === DT.BFLOAT16;
}
