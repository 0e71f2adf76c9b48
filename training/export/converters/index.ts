import type { LayerConverter } from '../converter-registry';
import { registerConvolutionConverters } from './convolution';
import { registerCoreConverters } from './core';
import { registerCustomConverters } from './custom';
import { registerMergeConverters } from './merge';
import { registerNormalizationConverters } from './normalization';
import { registerPoolingConverters } from './pooling';
import { registerRecurrentConverters } from './recurrent';
import { registerShapeConverters } from './shape';
import { registerWrapperConverters } from './wrappers';

/** Every built-in converter by layer class name, frozen: built once, shared by every registry, never changed. */
export const BUILTIN_CONVERTERS: Readonly<Record<string, LayerConverter>> = buildBuiltins();

function buildBuiltins(): Readonly<Record<string, LayerConverter>> {
  const table: Record<string, LayerConverter> = Object.create(null) as Record<string, LayerConverter>;
  const register = (className: string, converter: LayerConverter): void => {
    if (className in table) throw new Error(`built-in converter for '${className}' is defined twice`);
    table[className] = converter;
  };
  for (const add of [
    registerCoreConverters, registerMergeConverters, registerShapeConverters, registerNormalizationConverters,
    registerConvolutionConverters, registerPoolingConverters, registerRecurrentConverters, registerWrapperConverters,
    registerCustomConverters,
  ]) {
    add(register);
  }
  return Object.freeze(table);
}
