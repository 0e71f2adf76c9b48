import type { RegisterConverter } from '../converter-registry';

/**
 * Converters for residual's own custom layers, keyed by their class names:
 * - `VaeSampling` ([z_mean, z_log_var] -> z): exports as its mean path, output = z_mean (inputs[0]).
 * - `ActivityRegularization` / `L1ActivityRegularization`: identity at inference (the penalty is a loss term).
 */
export function registerCustomConverters(register: RegisterConverter): void {
  register('VaeSampling', (_ctx, call) => {
    if (call.inputs.length < 1) call.unsupported('inputs', 'expected [z_mean, z_log_var]');
    return call.inputs[0]!;
  });
  for (const name of ['ActivityRegularization', 'L1ActivityRegularization']) {
    register(name, (_ctx, call) => {
      if (call.inputs.length !== 1) call.unsupported('inputs', `expected 1 input, got ${call.inputs.length}`);
      return call.inputs[0]!;
    });
  }
}
