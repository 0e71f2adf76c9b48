import type { ModelKind } from '../../core/model-kind';
import { TrainingConfigError } from '../errors';
import { conv1dAe } from './conv1d-ae';
import { denseAe } from './dense-ae';
import { denoisingAe } from './denoising-ae';
import { gain } from './gain';
import { lstmAe } from './lstm-ae';
import { pca } from './pca';
import { sparseAe } from './sparse-ae';
import { vae } from './vae';
import type { ModelDefinition } from './types';

/** Every kind but `auto` (an ensemble trained by models/auto/train-auto.ts, not a single ZooModel definition). */
const DEFINITIONS: Partial<Record<ModelKind, ModelDefinition>> = {
  'dense-ae': denseAe,
  'sparse-ae': sparseAe,
  'denoising-ae': denoisingAe,
  vae,
  'conv1d-ae': conv1dAe,
  'lstm-ae': lstmAe,
  gain,
  pca,
};

/** The definition of a model kind, or TrainingConfigError naming the kind. */
export function modelDefinition(kind: ModelKind): ModelDefinition {
  const def = DEFINITIONS[kind];
  if (!def) throw new TrainingConfigError(`model kind '${kind}' is not available; available: ${Object.keys(DEFINITIONS).join(', ')}`);
  return def;
}

export { sampleVae } from './vae';
export type { ModelDefinition, ZooModel, Batch, BuildContext, SampleShape, Layout, HeadHints } from './types';
