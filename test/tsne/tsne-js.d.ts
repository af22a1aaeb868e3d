// Types for the untyped `tsne-js` package (exact O(N^2) t-SNE), used only as the reference in tests.
declare module 'tsne-js' {
  interface TsneJsOptions {
    dim?: number;
    perplexity?: number;
    earlyExaggeration?: number;
    learningRate?: number;
    nIter?: number;
    metric?: string;
  }
  export default class TSNE {
    constructor(opts: TsneJsOptions);
    init(input: { data: number[][]; type: 'dense' | 'sparse' }): void;
    run(): [number, number];
    getOutput(): number[][];
  }
}
