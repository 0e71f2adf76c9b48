import type { EChartsOption, SeriesOption } from 'echarts';
import { project2d, type EmbedData } from './embed-collector';
import type { ImputeData } from './impute-collector';
import type { DenoiseData } from './denoise-collector';
import { COLOURS, lineSeries, renderSvg, short } from './render-svg';

/** Latent 2-D scatter of a uniform sample of rows, coloured by label or score when there is one. */
export function latentScatter(d: EmbedData): string {
  const points = d.sample.items;
  const { xy, axes } = project2d(points, d.dims);
  const coloured = points.some((p) => Number.isFinite(p.colour));
  const data = xy.map((p, i) => [p[0], p[1], points[i]!.colour]);
  const values = points.map((p) => p.colour).filter(Number.isFinite);
  const option: EChartsOption = {
    grid: { left: 70, right: coloured ? 110 : 30, top: 20, bottom: 50 },
    xAxis: { type: 'value', name: axes[0], nameLocation: 'middle', nameGap: 28, scale: true, axisLabel: { formatter: short } },
    yAxis: { type: 'value', name: axes[1], scale: true, axisLabel: { formatter: short } },
    series: [{ type: 'scatter', symbolSize: 4, data, itemStyle: { color: COLOURS.score, opacity: 0.7 } }],
  };
  if (coloured) {
    option.visualMap = {
      dimension: 2,
      min: Math.min(...values),
      max: Math.max(...values),
      right: 10,
      top: 'middle',
      text: [String(d.colourBy), ''],
      calculable: false,
      inRange: { color: ['#2f6db5', '#f1c40f', '#c0392b'] },
    };
  }
  return renderSvg(option, 720, 480);
}

/** One feature of an impute output: the mean per stretch of rows, with a sample of the filled cells marked. */
export function imputeChart(f: ImputeData['perFeature'][number], rows: number): string {
  const line = f.bins
    .entries()
    .filter((e) => e.bin.count > 0)
    .map((e) => [e.start + 1, e.bin.sum / e.bin.count]);
  return renderSvg(
    {
      legend: { top: 4 },
      grid: { left: 70, right: 30, top: 40, bottom: 45 },
      xAxis: { type: 'value', name: 'row', nameLocation: 'middle', nameGap: 28, min: 1, max: Math.max(1, rows) },
      yAxis: { type: 'value', name: f.name, scale: true, axisLabel: { formatter: short } },
      series: [
        lineSeries(`${f.name} after filling (mean per stretch)`, line, COLOURS.score),
        {
          name: `filled cells (${f.filled}${f.filledSample.items.length < f.filled ? `, ${f.filledSample.items.length} shown` : ''})`,
          type: 'scatter',
          symbolSize: 5,
          data: f.filledSample.items.map(([r, v]) => [r + 1, v]),
          itemStyle: { color: COLOURS.filled },
        },
      ],
    },
    960,
    260,
  );
}

/** Noisy input, denoised output and (if given) clean reference of one feature over the first rows. */
export function denoiseChart(s: DenoiseData['series'][number]): string {
  const pts = (a: number[]) => a.map((v, i) => [i + 1, Number.isFinite(v) ? v : null]);
  const series: SeriesOption[] = [
    lineSeries('noisy input', pts(s.noisy), COLOURS.noisy),
    lineSeries('denoised', pts(s.denoised), COLOURS.denoised, { width: 1.5 }),
  ];
  if (s.clean)
    series.push(lineSeries('clean reference', pts(s.clean), COLOURS.clean, { type: 'dashed' }));
  return renderSvg(
    {
      legend: { top: 4 },
      grid: { left: 70, right: 30, top: 40, bottom: 45 },
      xAxis: { type: 'value', name: 'row', nameLocation: 'middle', nameGap: 28, min: 1, max: Math.max(1, s.noisy.length) },
      yAxis: { type: 'value', name: s.name, scale: true, axisLabel: { formatter: short } },
      series,
    },
    960,
    260,
  );
}
