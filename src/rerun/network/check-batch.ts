// The checks every engine makes on an ImageBatch before running it (one message per mistake, naming the numbers).
import type { ImageBatch } from '../types.js';
import type { NetworkIR } from './ir.js';

export function checkBatch(ir: NetworkIR, b: ImageBatch): void {
  if (b.channels !== ir.input.channels) throw new Error(`${ir.architecture} takes ${ir.input.channels}-channel images, the batch has ${b.channels}`);
  if (ir.input.height !== undefined && (b.height !== ir.input.height || b.width !== ir.input.width)) {
    throw new Error(`${ir.architecture} was rebuilt for ${ir.input.height}x${ir.input.width} inputs, the batch is ${b.height}x${b.width}`);
  }
  const want = b.n * b.channels * b.height * b.width;
  if (b.data.length !== want) throw new Error(`batch data has ${b.data.length} values, ${b.n}x${b.channels}x${b.height}x${b.width} needs ${want}`);
}
