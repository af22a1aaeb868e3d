// The one dense matrix type: rows x cols, row-major over a flat typed array. The evaluation engine holds float32
// (features and logits as dumped: evaluate/matrix.ts Matrix), PCA, kNN and t-SNE take either (tsne/matrix.ts).

export interface DenseMatrix<D extends Float32Array | Float64Array = Float32Array | Float64Array> {
  rows: number;
  cols: number;
  data: D;
}
