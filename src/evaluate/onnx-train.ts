// placeholder: filled in below
import type { DiscriminatorTrainer } from './measure.js';
export async function onnxDiscriminatorTrainer(): Promise<DiscriminatorTrainer | null> {
  return null;
}
