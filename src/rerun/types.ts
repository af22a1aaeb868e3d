// Re-running a checkpoint on the run's own images (issue 18): the contract between the two halves —
// the network rebuilt from a state_dict (network/) and the images read and transformed as tllib's validation
// transform does (data/). The pipeline turns their outputs into the same named arrays a features.npz holds
// (`source_features`, `target_logits`, ...), so every consumer of a dump works from a re-run unchanged.
import type { Matrix } from '../evaluate/matrix.js';

/** Preprocessed images, NCHW float32 in row-major order: exactly the tensor PyTorch's model receives. */
export interface ImageBatch {
  n: number;
  channels: number;
  height: number;
  width: number;
  data: Float32Array;
}

/** One row per image: what tllib's Classifier computes on the way to its predictions. */
export interface ForwardOutputs {
  /** backbone + pool (before the bottleneck) */
  backbone: Matrix;
  /** bottleneck output: the features tllib's analysis (t-SNE, A-distance) uses */
  features: Matrix;
  logits: Matrix;
}

/** Where a rebuilt network runs. */
export type RerunEngine = 'onnxruntime' | 'tfjs';

export interface RebuiltNetwork {
  /** what the state_dict was recognised as, e.g. 'resnet50', 'lenet', 'dtn' */
  architecture: string;
  /** input channels; height/width when a flatten layer fixes them (LeNet, DTN), absent when pooled (ResNet) */
  input: { channels: number; height?: number; width?: number };
  numClasses: number;
  /** the engine and, for TF.js, the backend it runs on (for notes and the bench) */
  engine: string;
  /** choices made while rebuilding that a reader should see (solved conv padding, ignored keys, engine fallback) */
  notes?: string[];
  forward(batch: ImageBatch, signal?: AbortSignal): Promise<ForwardOutputs>;
  dispose(): Promise<void>;
}

export interface RebuildOptions {
  engine?: 'auto' | RerunEngine;
  /** the input size the run's validation transform produces; sizes flatten layers and checks the layout */
  inputSize?: { height: number; width: number };
  /** `--no-pool` in the run's Namespace: no AdaptiveAvgPool between backbone and bottleneck */
  noPool?: boolean;
}

/** tllib's validation transform (formats.md section 8.2), resolved from the run's Namespace. */
export interface ValTransform {
  /** ResizeImage(size): exact square resize, aspect not kept; null = none */
  resize: number | null;
  /** CenterCrop(size) after the resize; null = none */
  centerCrop: number | null;
  /** 1 for tllib's digit datasets in mode L, else 3 (RGB) */
  channels: 1 | 3;
  mean: number[];
  std: number[];
}

/** One image of a dataset list: path as resolved on disk, label, and where it was listed (for notes). */
export interface ListedImage {
  path: string;
  label: number;
  listFile: string;
  line: number;
}
