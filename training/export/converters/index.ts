import { registerConvolutionConverters } from './convolution';
import { registerCoreConverters } from './core';
import { registerCustomConverters } from './custom';
import { registerMergeConverters } from './merge';
import { registerNormalizationConverters } from './normalization';
import { registerPoolingConverters } from './pooling';
import { registerRecurrentConverters } from './recurrent';
import { registerShapeConverters } from './shape';
import { registerWrapperConverters } from './wrappers';

let registered = false;

/** Registers every built-in converter once. Later registerLayerConverter calls override built-ins. */
export function registerBuiltinConverters(): void {
  if (registered) return;
  registered = true;
  registerCoreConverters();
  registerMergeConverters();
  registerShapeConverters();
  registerNormalizationConverters();
  registerConvolutionConverters();
  registerPoolingConverters();
  registerRecurrentConverters();
  registerWrapperConverters();
  registerCustomConverters();
}
