import type { ModelKind } from '../../core/model-kind';
import { TrainingConfigError } from '../errors';
import { denseAe } from './dense-ae';
import type { ModelDefinition } from './types';

const DEFINITIONS: Partial<Record<ModelKind, ModelDefinition>> = {
  'dense-ae': denseAe,
};

/** The definition of a model kind, or TrainingConfigError naming the kind. */
export function modelDefinition(kind: ModelKind): ModelDefinition {
  const def = DEFINITIONS[kind];
  if (!def) throw new TrainingConfigError(`model kind '${kind}' is not available; available: ${Object.keys(DEFINITIONS).join(', ')}`);
  return def;
}

export type { ModelDefinition, ZooModel, Batch, BuildContext, SampleShape, Layout, HeadHints } from './types';
