import type { CommandSpec } from '../flags/flag-spec';
import { TRAIN_BACKENDS } from './train-spec';
import { HELP_FLAG } from './shared-flags';

export const DEMO_SPEC: CommandSpec = {
  name: 'demo',
  synopsis: '[flags]',
  summary: 'runs the whole pipeline on this machine: a local S3 server, a trained dense-ae, ONNX, the scoring handler',
  // the defaults are cli/demo/demo-pipeline.ts's, which applies them
  flags: [
    { name: 'dir', short: 'd', kind: 'string', value: '<dir>', default: '.demo', description: 'working folder (data, model, local S3)' },
    {
      name: 'train-rows', kind: 'integer', value: '<N>', min: 100, description: 'rows of synthetic training data',
      defaultText: '6000',
    },
    {
      name: 'test-rows', kind: 'integer', value: '<N>', min: 100, description: 'rows scored by the handler',
      defaultText: '3000',
    },
    { name: 'epochs', kind: 'integer', value: '<N>', description: 'training epochs', defaultText: '60' },
    { name: 'seed', kind: 'integer', value: '<N>', min: 0, description: 'random seed', defaultText: '7' },
    { name: 'backend', kind: 'choice', choices: TRAIN_BACKENDS, default: 'auto', description: 'tfjs backend for training' },
    HELP_FLAG,
  ],
};
