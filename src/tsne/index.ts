// Public surface of the t-SNE module.
export { tsne, resolvedLearningRate, DEFAULT_PERPLEXITY, DEFAULT_ITERATIONS, DEFAULT_SEED, DEFAULT_PCA_DIMS } from './tsne.js';
export type { TsneOptions, TsneProgress, TsneResult, TsnePhase } from './tsne.js';
export { runTsneInWorker } from './run-in-worker.js';
export { pca, type PcaResult } from './pca.js';
export { exactKnn, type Neighbours } from './knn.js';
export { trustworthiness } from './trustworthiness.js';
export { stratifiedSubsample, DEFAULT_TSNE_CAP } from './subsample.js';
export { matrixFromNdArray, takeRows, type DenseMatrix } from './matrix.js';
export {
  embedFeatures, embedFeaturesInWorker, embedInputFromArrays, prepareFeatures, DOMAIN_SOURCE, DOMAIN_TARGET,
  type EmbedInput, type EmbedOptions, type DomainFeatures, type FeatureEmbedding, type DrawnEmbedding,
} from './embed-features.js';
