// A minimal protobuf writer for the ONNX messages dann-doctor builds in memory (varint and length-delimited wire types).
export type Bytes = Uint8Array;
export function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) { out.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); }
  out.push(v);
  return out;
}
export const cat = (parts: Bytes[]): Bytes => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
export const intField = (field: number, v: number): Bytes => Uint8Array.from([...varint(field << 3), ...varint(v)]);
export const bytesField = (field: number, b: Bytes): Bytes => cat([Uint8Array.from([...varint((field << 3) | 2), ...varint(b.length)]), b]);
export const strField = (field: number, s: string): Bytes => bytesField(field, new TextEncoder().encode(s));
export const msg = (field: number, parts: Bytes[]): Bytes => bytesField(field, cat(parts));

