import { chooseHighpassHz } from '../../core/signal/baseline';
import { chooseLowpassHz, firTaps, lowpassFir } from '../../core/signal/fir';
import { UNET_DEFAULT_FILTERS, UNET_DEFAULT_KERNEL } from './conv1d-unet';

/** What the filter branch's choice needs of a continuous signal: its sample rate and the scoring windows. */
export interface DenoiserSignal {
  sampleRate: number;
  /** Rows per window and between windows in the overlap-add (the high-pass is chosen as the windows apply it). */
  window: number;
  hop: number;
}

/**
 * The model config auto gives a denoiser trained on noisy → clean windows (one rule for every recording): the
 * conv1d-ae U-Net (conv1d-unet.ts) run per lead; for a continuous signal (its sample rate known) with a filter
 * branch: a zero-phase low-pass FIR of about 0.2 s whose cut-off is the grid value (core/signal/fir.ts) that best
 * maps the training pairs' noisy rows to their clean rows, then, given it, the high-pass (baseline removal inside
 * the window, core/signal/baseline.ts; none is a choice) that does. `override` (the user's --config) wins key by key.
 */
export function autoDenoiserConfig(
  noisy: Float32Array, clean: Float32Array, leads: number, signal: DenoiserSignal | null, override: Record<string, unknown> = {},
): Record<string, unknown> {
  const config: Record<string, unknown> = { skip: true, filters: UNET_DEFAULT_FILTERS, kernel: UNET_DEFAULT_KERNEL, per_lead: true };
  if (signal !== null && override['lowpass'] === undefined && override['per_lead'] !== false) {
    const fs = signal.sampleRate;
    const taps = firTaps(fs);
    const hz = chooseLowpassHz(noisy, clean, leads, fs, taps);
    if (hz !== null) {
      Object.assign(config, { lowpass: hz / fs, lowpass_taps: taps });
      const high = override['highpass'] === undefined
        ? chooseHighpassHz(noisy, clean, leads, fs, lowpassFir(hz / fs, taps), signal.window, signal.hop)
        : 0;
      if (high > 0) config['highpass'] = high / fs;
    }
  }
  return { ...config, ...override };
}
