/**
 * The model kinds residual trains (names fixed by SPEC.md). `auto` (the CLI default) is an ensemble that
 * configures itself from the training data (training/models/auto). `gan` generates rows
 * (training/gan) and scores nothing.
 */
export const MODEL_KINDS = ['dense-ae', 'sparse-ae', 'denoising-ae', 'vae', 'conv1d-ae', 'lstm-ae', 'gain', 'pca', 'auto', 'gan'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export function isModelKind(value: string): value is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(value);
}
