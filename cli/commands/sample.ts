import { createOnnxDecoder } from '../../scoring/adapters/onnx-decoder';
import { createOnnxGenerator } from '../../scoring/adapters/onnx-generator';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { sampleToStore, type SampleDependencies } from '../../training/sample-command';
import { commandOutput } from '../command-output';
import { parseCommandLine, type ParsedCommandLine } from '../flags/parse-command-line';
import { SAMPLE_SPEC } from '../specs/sample-spec';

/** `residual sample`: synthetic rows from a vae's decoder.onnx or a gan's generator.onnx (see training/sample-command.ts). */
export function runSample(cl: ParsedCommandLine): Promise<number> {
  return sampleCommand(cl, { storeForUri, createDecoder: createOnnxDecoder, createGenerator: createOnnxGenerator });
}

/** `residual sample` from its words, with the store and decoder given (tests pass their own). */
export function runSampleCommand(argv: readonly string[], deps: SampleDependencies): Promise<number> {
  return sampleCommand(parseCommandLine(SAMPLE_SPEC, argv), deps);
}

async function sampleCommand(cl: ParsedCommandLine, deps: SampleDependencies): Promise<number> {
  const out = commandOutput(cl);
  const options = {
    model: cl.required('model'), rows: cl.int('rows')!, output: cl.required('output'), seed: cl.int('seed')!,
    conditions: cl.list('condition') ?? [],
  };
  const r = await sampleToStore(options, deps);
  const what = r.windows === undefined ? `${r.rows} rows` : `${r.windows} windows (${r.rows} rows)`;
  out.note(`sampled ${what} from '${r.model.name}' version ${r.model.version} to ${r.output}\n`);
  if (out.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  return 0;
}
