import { chooseLowpassHz, firTaps } from '../../core/signal/fir';
import { UNET_DEFAULT_FILTERS, UNET_DEFAULT_KERNEL } from './conv1d-unet';

/**
 * The model config auto gives a denoiser trained on noisy → clean windows (one rule for every recording): the
 * conv1d-ae U-Net (conv1d-unet.ts) run per lead; for a continuous signal (its sample rate known) with a filter
 * branch, a zero-phase low-pass FIR of about 0.2 s whose cut-off is the grid value (core/signal/fir.ts) that best
 * maps the training pairs' noisy rows to their clean rows. `override` (the user's --config) wins key by key.
 */
export function autoDenoiserConfig(
  noisy: Float32Array, clean: Float32Array, leads: number, sampleRate: number | null, override: Record<string, unknown> = {},
): Record<string, unknown> {
  const config: Record<string, unknown> = { skip: true, filters: UNET_DEFAULT_FILTERS, kernel: UNET_DEFAULT_KERNEL, per_lead: true };
  if (sampleRate !== null && override['lowpass'] === undefined && override['per_lead'] !== false) {
    const taps = firTaps(sampleRate);
    const hz = chooseLowpassHz(noisy, clean, leads, sampleRate, taps);
    if (hz !== null) Object.assign(config, { lowpass: hz / sampleRate, lowpass_taps: taps });
  }
  return { ...config, ...override };
}
