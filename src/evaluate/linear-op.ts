// A matMul whose gradient uses explicit transposes: tfjs-wasm's transposed matMul kernels are 7-20x slower than plain ones.
import type { Tf } from './backend.js';

type T2 = ReturnType<Tf['tensor2d']>;

/**
 * Measured here (tfjs-wasm 4.22, 64x1024 @ 1024x1024): plain 28 ms, transposeB 204 ms, transposeA 679 ms, while
 * tf.transpose + plain matMul takes 33-55 ms. tf.matMul's built-in gradient uses transposeA/transposeB, which made
 * training 8x slower than it needs to be; this op computes the same values and gradients with explicit transposes.
 * On other backends the extra transpose is a cheap copy.
 */
export function matMulWithFastGrad(tf: Tf): (a: T2, b: T2) => T2 {
  const op = tf.customGrad((...args: unknown[]) => {
    const [a, b, save] = args as [T2, T2, (ts: T2[]) => void];
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: unknown, saved: unknown) => {
        const [sa, sb] = saved as [T2, T2];
        const g = dy as T2;
        return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
      },
    };
  });
  return (a, b) => op(a, b) as T2;
}
