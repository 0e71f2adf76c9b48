import * as echarts from 'echarts';
import type { LineSeriesOption } from 'echarts';

/** Renders an ECharts option to an SVG string on the server (no DOM, no animation, fonts from the page). */
export function renderSvg(option: echarts.EChartsOption, width = 960, height = 320): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    // the server measures text with its own font metrics; a wide legend gap keeps the browser's wider glyphs apart
    const legend = option.legend && !Array.isArray(option.legend) ? { itemGap: 30, ...option.legend } : option.legend;
    chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option, legend });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** A line in one colour without point symbols (the legend's swatch takes the same colour). */
export function lineSeries(
  name: string, data: LineSeriesOption['data'], colour: string, line: { width?: number; type?: 'dashed' } = {},
): LineSeriesOption {
  return { name, type: 'line', symbol: 'none', data, itemStyle: { color: colour }, lineStyle: { width: 1, ...line, color: colour } };
}

export const COLOURS = {
  score: '#2f6db5',
  band: '#9bbbe0',
  threshold: '#c0392b',
  flagged: 'rgba(231, 76, 60, 0.18)',
  label: 'rgba(39, 174, 96, 0.22)',
  probability: '#8e44ad',
  noisy: '#b0b7c3',
  denoised: '#2f6db5',
  clean: '#27ae60',
  filled: '#e67e22',
};

/** Axis label numbers: short, no long decimals. */
export function short(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}
