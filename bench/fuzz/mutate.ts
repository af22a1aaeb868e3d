// Byte- and line-level mutations of real files, driven by a seeded PRNG so every run of the fuzzer is reproducible.

export { mulberry32 } from '../../src/evaluate/rng.js';

const INTERESTING = ['nan', 'inf', '-inf', '1e308', '-0', '', '\r', '\u0000', '\uFFFD', '99999999999999999999', '(', ')', '[', '\t', 'Traceback (most recent call last):', 'Epoch: [', ' * Acc@1 ', '|', ','];
const INTERESTING_INTS = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0xffffffff, 0x7fffffff];

/** One mutant of `seed`; `other` is a second seed for splicing. */
export function mutate(seed: Buffer, other: Buffer, rnd: () => number): Buffer {
  const pick = (n: number) => Math.floor(rnd() * n);
  const b = Buffer.from(seed);
  const ops = 1 + pick(4);
  let out = b;
  for (let k = 0; k < ops; k++) {
    const len = out.length;
    switch (pick(9)) {
      case 0: // flip bits
        if (len) for (let i = 0, n = 1 + pick(8); i < n; i++) out[pick(len)] ^= 1 << pick(8);
        break;
      case 1: // truncate (a job killed mid-write)
        out = out.subarray(0, pick(len + 1));
        break;
      case 2: { // insert random bytes
        const at = pick(len + 1);
        const ins = Buffer.alloc(1 + pick(64));
        for (let i = 0; i < ins.length; i++) ins[i] = pick(256);
        out = Buffer.concat([out.subarray(0, at), ins, out.subarray(at)]);
        break;
      }
      case 3: { // duplicate a chunk
        const a = pick(len + 1), l = pick(Math.min(4096, len - a + 1));
        out = Buffer.concat([out.subarray(0, a + l), out.subarray(a, a + l), out.subarray(a + l)]);
        break;
      }
      case 4: { // delete a chunk
        const a = pick(len + 1), l = pick(Math.min(4096, len - a + 1));
        out = Buffer.concat([out.subarray(0, a), out.subarray(a + l)]);
        break;
      }
      case 5: { // overwrite with an interesting little-endian integer (sizes, lengths, memo indexes)
        if (len >= 4) out.writeUInt32LE(INTERESTING_INTS[pick(INTERESTING_INTS.length)] >>> 0, pick(len - 3));
        break;
      }
      case 6: { // insert an interesting token
        const at = pick(len + 1);
        out = Buffer.concat([out.subarray(0, at), Buffer.from(INTERESTING[pick(INTERESTING.length)]), out.subarray(at)]);
        break;
      }
      case 7: { // splice with another real file
        const a = pick(len + 1), o = pick(other.length + 1);
        out = Buffer.concat([out.subarray(0, a), other.subarray(o)]);
        break;
      }
      case 8: { // a very long line
        const at = pick(len + 1);
        out = Buffer.concat([out.subarray(0, at), Buffer.alloc(pick(200_000), 0x41 + pick(26)), out.subarray(at)]);
        break;
      }
    }
  }
  return out;
}
