import type { SeriesOption } from 'echarts';
import type { ThresholdInfo } from '../core/manifest';
import { spans } from './score-bins';
import type { DetectData } from './detect-collector';
import { COLOURS, lineSeries, renderSvg, short } from './render-svg';

const rowAxis = (max: number) => ({
  type: 'value' as const,
  name: 'row',
  nameLocation: 'middle' as const,
  nameGap: 28,
  min: 1,
  max: Math.max(1, max),
});

/** Score over row order: per bin the max (line) and min (light band), threshold line, flagged (and labelled) stretches shaded. */
export function scoreOverRows(d: DetectData, threshold: number | null): string {
  const entries = d.bins.entries().filter((e) => e.bin.count > 0);
  const shaded = shadeRule(d);
  const maxLine = entries.map((e) => [e.bin.maxRow + 1, e.bin.max]);
  const minLine = entries.map((e) => [e.start + 1, e.bin.min]);
  const flagged = visible(spans(d.bins.entries().map((e) => ({ start: e.start, rows: e.rows, on: shaded(e.bin, e.rows) }))), d.rows);
  const labelled = d.labels
    ? visible(spans(d.bins.entries().map((e) => ({ start: e.start, rows: e.rows, on: e.bin.labelled > 0 }))), d.rows)
    : [];
  const area = (s: [number, number][], colour: string, name: string) => ({
    silent: true,
    itemStyle: { color: colour },
    label: { show: false },
    data: s.map(([a, b]): [{ xAxis: number; name: string }, { xAxis: number }] => [{ xAxis: a + 1, name }, { xAxis: b }]),
  });
  const series: SeriesOption[] = [
    {
      ...lineSeries('highest score per stretch', maxLine, COLOURS.score),
      markArea: area(flagged, COLOURS.flagged, 'flagged'),
      markLine:
        threshold === null
          ? undefined
          : {
              silent: true,
              symbol: 'none',
              data: [{ yAxis: threshold, name: 'threshold' }],
              lineStyle: { color: COLOURS.threshold, type: 'dashed', width: 2 },
              label: { formatter: `threshold ${short(threshold)}`, position: 'insideEndTop' },
            },
    },
    lineSeries('lowest score per stretch', minLine, COLOURS.band),
  ];
  if (labelled.length) {
    series.push({
      name: 'labelled anomalous',
      type: 'line',
      data: [],
      markArea: area(labelled, COLOURS.label, 'labelled'),
      itemStyle: { color: COLOURS.label },
    });
  }
  return renderSvg({
    legend: { top: 4 },
    grid: { left: 70, right: 30, top: 40, bottom: 45 },
    xAxis: rowAxis(d.rows),
    yAxis: { type: 'value', name: 'anomaly score', scale: true, axisLabel: { formatter: short } },
    series,
  });
}

/**
 * Which bins are shaded as flagged: every bin holding a flagged row, unless that would shade more than 30%
 * of the bins (flags everywhere carry no "where"); then only bins whose flagged share is 5× the file's.
 */
function shadeRule(d: DetectData): (bin: { flagged: number }, rows: number) => boolean {
  const entries = d.bins.entries();
  const any = entries.filter((e) => e.bin.flagged > 0).length;
  if (any <= 0.3 * entries.length) return (bin) => bin.flagged > 0;
  const rate = d.flagged / Math.max(1, d.rows);
  return (bin, rows) => bin.flagged / Math.max(1, rows) >= 5 * rate;
}

/** Widens each span to at least 1/300 of the rows (so one flagged row still shows) and merges overlaps. */
function visible(s: [number, number][], rows: number): [number, number][] {
  const min = rows / 300;
  const out: [number, number][] = [];
  for (const [a, b] of s) {
    const pad = Math.max(0, (min - (b - a)) / 2);
    const span: [number, number] = [Math.max(0, a - pad), Math.min(rows, b + pad)];
    const last = out[out.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push(span);
  }
  return out;
}

/** anomaly_probability over row order (per bin min and max). */
export function probabilityOverRows(d: DetectData): string {
  const entries = d.bins.entries().filter((e) => Number.isFinite(e.bin.probMax));
  return renderSvg(
    {
      legend: { top: 4 },
      grid: { left: 70, right: 30, top: 40, bottom: 45 },
      xAxis: rowAxis(d.rows),
      yAxis: { type: 'value', name: 'probability', min: 0, max: 1 },
      series: [
        lineSeries('highest probability per stretch', entries.map((e) => [e.start + 1, e.bin.probMax]), COLOURS.probability),
        lineSeries('lowest', entries.map((e) => [e.start + 1, e.bin.probMin]), COLOURS.band),
      ],
    },
    960,
    220,
  );
}

/** Histogram of a uniform sample of the scores (scaled to the row count), threshold and validation quantiles marked. */
export function scoreHistogram(d: DetectData, threshold: number | null, calibration: ThresholdInfo['calibration'] | null): string {
  const rawLo = Math.min(d.minScore, threshold ?? Infinity);
  const rawHi = Math.max(d.maxScore, threshold ?? -Infinity);
  // scores of reconstruction models are positive and heavy-tailed: bin them on a log scale when they span > 2 decades
  const log = rawLo > 0 && rawHi / rawLo > 100;
  const t = (v: number) => (log ? Math.log10(v) : v);
  const sample = log ? d.sample.items.map(Math.log10) : d.sample.items;
  const lo = t(rawLo);
  const hi = t(rawHi);
  const nBins = 60;
  const width = hi > lo ? (hi - lo) / nBins : 1;
  const counts = new Array<number>(nBins).fill(0);
  const scale = d.sample.seen / Math.max(1, sample.length);
  for (const s of sample) counts[Math.min(nBins - 1, Math.floor((s - lo) / width))]! += scale;
  const marks: { xAxis: number; name: string; lineStyle?: object }[] = [];
  if (threshold !== null)
    marks.push({
      xAxis: t(threshold),
      name: `threshold ${short(threshold)}`,
      lineStyle: { color: COLOURS.threshold, type: 'dashed', width: 2 },
    });
  if (calibration) {
    for (const q of ['0.5', '0.99']) {
      const v = calibration.quantiles[q];
      if (v !== undefined && v > 0)
        marks.push({ xAxis: t(v), name: `validation p${Number(q) * 100}`, lineStyle: { color: '#7f8c8d', type: 'dotted', width: 1.5 } });
    }
  }
  return renderSvg({
    grid: { left: 70, right: 40, top: 30, bottom: 45 },
    xAxis: {
      type: 'value',
      name: log ? 'anomaly score (log scale)' : 'anomaly score',
      nameLocation: 'middle',
      nameGap: 28,
      min: lo,
      max: hi + width,
      axisLabel: { formatter: (v: number) => short(log ? 10 ** v : v), showMaxLabel: false },
    },
    yAxis: { type: 'log', name: 'rows (log scale)', min: 0.5, logBase: 10 },
    series: [
      {
        // a bar of one row has no height on a log axis; barMinHeight keeps single outliers visible
        type: 'bar',
        barWidth: '95%',
        barMinHeight: 4,
        itemStyle: { color: COLOURS.score },
        data: counts.map((c, i) => [lo + (i + 0.5) * width, c > 0 ? c : null]),
        markLine: { silent: true, symbol: 'none', data: marks, label: { formatter: '{b}', position: 'insideEndTop', fontSize: 11 } },
      },
    ],
  });
}

/** Heatmap: how often each feature is named in top_features of the flagged rows, per stretch of rows. */
export function featureHeatmap(d: DetectData, maxFeatures = 15): string | null {
  const features = [...d.featureCounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxFeatures)
    .map(([f]) => f);
  if (!features.length) return null;
  const entries = d.heat.entries();
  const data: [number, number, number][] = [];
  let max = 0;
  entries.forEach((e, x) =>
    features.forEach((f, y) => {
      const v = e.bin.get(f) ?? 0;
      max = Math.max(max, v);
      if (v) data.push([x, y, v]);
    }),
  );
  return renderSvg(
    {
      grid: { left: 130, right: 90, top: 20, bottom: 60 },
      xAxis: {
        type: 'category',
        name: 'rows',
        nameLocation: 'middle',
        nameGap: 40,
        data: entries.map((e) => `${e.start + 1}–${e.start + e.rows}`),
        axisLabel: { interval: Math.max(0, Math.ceil(entries.length / 8) - 1), fontSize: 10 },
      },
      yAxis: { type: 'category', data: features, inverse: true },
      visualMap: {
        min: 0,
        max: Math.max(1, max),
        calculable: false,
        orient: 'vertical',
        right: 10,
        top: 'middle',
        itemHeight: 120,
        text: ['often', 'never'],
        inRange: { color: ['#fdf2e9', '#e67e22', '#922b21'] },
      },
      series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
    },
    960,
    Math.max(180, 60 + 26 * features.length),
  );
}

/** Drift: the mean score per stretch of rows against the validation mean and 99th percentile. */
export function driftChart(d: DetectData, calibration: ThresholdInfo['calibration'] | null): string {
  const groups = d.heat.entries().map((e) => ({ start: e.start, rows: e.rows, sum: 0, count: 0 }));
  const width = d.heat.binWidth;
  for (const e of d.bins.entries()) {
    const g = groups[Math.min(groups.length - 1, Math.floor(e.start / width))];
    if (g) {
      g.sum += e.bin.sum;
      g.count += e.bin.count;
    }
  }
  const marks = calibration
    ? [
        { yAxis: calibration.mean, name: `validation mean ${short(calibration.mean)}` },
        ...(calibration.quantiles['0.99'] !== undefined ? [{ yAxis: calibration.quantiles['0.99'], name: 'validation p99' }] : []),
      ]
    : [];
  return renderSvg(
    {
      grid: { left: 70, right: 30, top: 30, bottom: 45 },
      xAxis: rowAxis(d.rows),
      yAxis: { type: 'value', name: 'mean score', scale: true, axisLabel: { formatter: short } },
      series: [
        {
          type: 'line',
          step: 'end',
          symbol: 'none',
          data: groups.filter((g) => g.count).map((g) => [g.start + 1, g.sum / g.count]),
          itemStyle: { color: COLOURS.score },
          lineStyle: { color: COLOURS.score },
          markLine: {
            silent: true,
            symbol: 'none',
            data: marks,
            lineStyle: { color: '#7f8c8d', type: 'dotted' },
            label: { formatter: '{b}', position: 'insideStartTop' },
          },
        },
      ],
    },
    960,
    240,
  );
}
