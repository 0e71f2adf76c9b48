import { registerCoreConverters } from './core';
import { registerMergeConverters } from './merge';

let registered = false;

/** Registers every built-in converter once. Later registerLayerConverter calls override built-ins. */
export function registerBuiltinConverters(): void {
  if (registered) return;
  registered = true;
  registerCoreConverters();
  registerMergeConverters();
}
