import { GraphBuilder, HEAD_INPUTS, HEAD_OUTPUTS } from '../../export';
import type { SeriesDetector } from './series-detector';

/**
 * What both auto-series graphs (the segment graph, export-series.ts, and the windows graph of older manifests,
 * export-series-windows.ts) start with: the builder, the x / mask inputs, the three output names reserved, and the
 * scaler's offset and scale as initializers.
 */
export function seriesGraphHead(det: SeriesDetector) {
  const g = new GraphBuilder();
  const x = g.reserve(HEAD_INPUTS.x);
  const mask = g.reserve(HEAD_INPUTS.mask);
  const names = [HEAD_OUTPUTS.reconstruction, HEAD_OUTPUTS.score, HEAD_OUTPUTS.featureError];
  const [recName, scoreName, feName] = names.map((n) => g.reserve(n)) as [string, string, string];
  const off = g.floatTensor(det.scaler.offset, [det.features], 'scaler_offset');
  const sc = g.floatTensor(det.scaler.scale, [det.features], 'scaler_scale');
  return { g, x, mask, recName, scoreName, feName, off, sc };
}
