import type { Manifest } from '../core/manifest';
import type { DetectData } from './detect-collector';
import { driftChart, featureHeatmap, probabilityOverRows, scoreHistogram, scoreOverRows } from './detect-charts';
import type { DenoiseData } from './denoise-collector';
import type { EmbedData } from './embed-collector';
import { explainThreshold } from './explain-threshold';
import type { Figure, ReportPage } from './html-page';
import type { ImputeData } from './impute-collector';
import { denoiseChart, imputeChart, latentScatter } from './mode-charts';
import { short } from './render-svg';

export interface ReportContext {
  scored: string;
  manifest: Manifest | null;
  /** threshold used: the manifest's, else the one in the scoring summary */
  threshold: number | null;
  rowsRejectedWhenScored: number | null;
  notes: string[];
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(a && a / b < 0.001 ? 3 : 2)}%` : 'n/a');
const modelLine = (m: Manifest | null) =>
  m
    ? `model '${m.name}' version ${m.version} (${m.kind}, ${m.features.length} features)`
    : 'the model (not given: pass --model for its threshold and calibration)';

export const DOWNSAMPLING_NOTE =
  'How large files are drawn: rows are read once, in order, and never held in memory. The score chart keeps the highest and lowest score ' +
  'of each stretch of consecutive rows (between 1,000 and 2,000 stretches; every row is its own stretch below 2,000 rows), so every peak ' +
  'and every flagged row is visible as the top of its stretch; a stretch is shaded when it holds any flagged row. The histogram is built ' +
  'from a uniform random sample of 20,000 scores scaled to the row count; the heatmap counts every flagged row in 40 to 80 stretches.';

export function detectPage(d: DetectData, ctx: ReportContext): ReportPage {
  const m = ctx.manifest;
  const cal = m?.threshold.calibration ?? null;
  const expectedRate = m?.metrics.validation['anomaly_rate'];
  const checked = [
    `${d.rows} rows of ${ctx.scored}, scored by ${modelLine(m)}.`,
    ctx.threshold !== null
      ? m
        ? `The model ${explainThreshold(m)}.`
        : `A row is flagged when its score is above ${short(ctx.threshold)}.`
      : 'No threshold is known; rows are flagged by the is_anomaly column.',
  ];
  if (d.labels) checked.push(`The flags were compared with the labels in column '${d.labels.column}'.`);
  const found = [
    `${d.flagged} of ${d.scoredRows} scored rows were flagged (${pct(d.flagged, d.scoredRows)}), ` +
      `in ${d.runs} run(s) of consecutive rows.`,
  ];
  if (expectedRate !== undefined)
    found.push(
      `On the model's validation data ${pct(expectedRate * 1e6, 1e6)} of rows were flagged; ` +
        (d.flagged / Math.max(1, d.scoredRows) > 3 * expectedRate
          ? 'this file has clearly more, which points to real anomalies or to data unlike the training data.'
          : 'this file is in the same range.'),
    );
  if (d.missingScore)
    found.push(
      `${d.missingScore} row(s) have no score (they could not be scored, e.g. a missing value in a window) and are left out of the charts.`,
    );
  if (d.labels) {
    const l = d.labels;
    const precision = l.tp + l.fp ? l.tp / (l.tp + l.fp) : 0;
    const recall = l.tp + l.fn ? l.tp / (l.tp + l.fn) : 0;
    found.push(
      `Against the labels: ${l.tp} of ${l.positives} labelled rows were flagged (recall ${recall.toFixed(3)}); ` +
        `${l.tp} of ${l.tp + l.fp} flagged rows are labelled (precision ${precision.toFixed(3)}); ` +
        `${l.eventsDetected} of ${l.events} labelled event(s) were caught. Run 'residual evaluate' for ROC-AUC and PR-AUC.`,
    );
  }
  const lookFirst: string[] = [];
  const top = d.top[0];
  if (top && d.flagged) {
    lookFirst.push(
      `Row ${top.row + 1} has the highest score (${short(top.score)}` +
        `${ctx.threshold ? `, ${short(top.score / ctx.threshold)}× the threshold` : ''})` +
        `${top.features ? `; its largest errors are in ${top.features.split(';').join(', ')}` : ''}.`,
    );
    const feats = [...d.featureCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    if (feats.length)
      lookFirst.push(`Across the flagged rows, the features most often to blame: ${feats.map(([f, c]) => `${f} (${c} rows)`).join(', ')}.`);
    const longest = d.longestRun;
    if (longest && longest[1] - longest[0] > 1) {
      const n = longest[1] - longest[0];
      lookFirst.push(`The longest run of flagged rows is rows ${longest[0] + 1}–${longest[1]} (${n} consecutive rows).`);
    }
  } else {
    lookFirst.push(
      'Nothing was flagged. Check the histogram: if all scores sit well below the threshold, the data looks like the training data.',
    );
  }
  const figures: Figure[] = [
    {
      title: 'Anomaly score over the rows',
      caption:
        'Dark line: the highest score in each stretch of rows; light line: the lowest. Red dashed line: the threshold. ' +
        `Red shading: stretches with flagged rows${d.labels ? '; green shading: rows labelled anomalous' : ''}.`,
      svg: scoreOverRows(d, ctx.threshold),
    },
  ];
  if (d.hasProbability)
    figures.push({
      title: 'Anomaly probability over the rows',
      caption: 'The anomaly_probability column, highest and lowest per stretch of rows.',
      svg: probabilityOverRows(d),
    });
  figures.push({
    title: 'How the scores are distributed',
    caption:
      'Number of rows per score range (log scale). Rows right of the red line are flagged. Grey dotted lines: the median and ' +
      '99th percentile of the scores the model gave its own validation data — a file like the training data piles up near them.',
    svg: scoreHistogram(d, ctx.threshold, cal),
  });
  const heat = featureHeatmap(d);
  if (heat)
    figures.push({
      title: 'Which features the flagged rows differ in',
      caption:
        'For the flagged rows: how often each feature is among the few with the largest reconstruction error ' +
        '(top_features), per stretch of rows. Dark = often.',
      svg: heat,
    });
  figures.push({
    title: 'Drift: mean score over the rows',
    caption:
      'The mean score per stretch of rows. A level that climbs away from the validation mean means the data is moving ' +
      'away from what the model was trained on.',
    svg: driftChart(d, cal),
  });
  const facts: [string, string][] = [
    ['rows read', String(d.rows)],
    ['rows scored', String(d.scoredRows)],
    ['rows without a score', String(d.missingScore)],
    ['rows flagged', String(d.flagged)],
    ['score range', `${short(d.minScore)} to ${short(d.maxScore)}`],
  ];
  if (ctx.rowsRejectedWhenScored !== null) facts.push(['rows rejected when scoring (not in the file)', String(ctx.rowsRejectedWhenScored)]);
  if (ctx.threshold !== null) facts.push(['threshold', short(ctx.threshold)]);
  return { title: `Anomaly report: ${ctx.scored}`, checked, found, lookFirst, figures, facts, notes: [...ctx.notes, DOWNSAMPLING_NOTE] };
}

export function embedPage(d: EmbedData, ctx: ReportContext): ReportPage {
  return {
    title: `Latent space report: ${ctx.scored}`,
    checked: [`${d.rows} rows of ${ctx.scored}, embedded by ${modelLine(ctx.manifest)} into ${d.dims} latent dimension(s).`],
    found: [
      `${d.sample.items.length} rows drawn (a uniform sample of ${d.sample.seen}).`,
      d.dims > 2
        ? 'The latent has more than two dimensions; it is shown on its first two principal components.'
        : 'The latent is shown as it is.',
      ...(d.skipped ? [`${d.skipped} row(s) without a latent vector were left out.`] : []),
    ],
    lookFirst: [
      d.colourBy
        ? `Points are coloured by '${d.colourBy}': look for clusters of one colour away from the main cloud.`
        : 'Look for small groups of points away from the main cloud: rows unlike the rest. Pass --label-column to colour by a label.',
    ],
    figures: [
      {
        title: 'Latent space in 2-D',
        caption: 'Each point is one row; rows the model sees as similar lie close together.',
        svg: latentScatter(d),
      },
    ],
    facts: [
      ['rows read', String(d.rows)],
      ['latent dimensions', String(d.dims)],
      ['rows drawn', String(d.sample.items.length)],
    ],
    notes: [...ctx.notes, `Up to 5,000 rows are drawn, chosen uniformly at random in one pass (reservoir sampling, fixed seed).`],
  };
}

export function imputePage(d: ImputeData, ctx: ReportContext): ReportPage {
  const ranked = [...d.perFeature].sort((a, b) => b.filled - a.filled).filter((f) => f.filled > 0);
  return {
    title: `Imputation report: ${ctx.scored}`,
    checked: [`${d.rows} rows of ${ctx.scored}, filled in by ${modelLine(ctx.manifest)}, compared cell by cell with the input.`],
    found: [
      `${d.filledCells} empty cell(s) were filled in ${ranked.length} feature(s).`,
      ...(d.stillMissing ? [`${d.stillMissing} cell(s) are still empty in the output.`] : []),
    ],
    lookFirst: ranked.length
      ? [
          `Most filled: ${ranked
            .slice(0, 3)
            .map((f) => `${f.name} (${f.filled} cells)`)
            .join(', ')}. Check that the orange points follow the line around them.`,
        ]
      : ['No cell was empty in the input, so nothing was filled.'],
    figures: ranked.slice(0, 4).map((f) => ({
      title: `${f.name}: values after filling, filled cells marked`,
      caption:
        'Blue: the column after filling (mean per stretch of rows). ' +
        'Orange: cells that were empty in the input and were filled by the model.',
      svg: imputeChart(f, d.rows),
    })),
    facts: [
      ['rows read', String(d.rows)],
      ['cells filled', String(d.filledCells)],
      ['cells still empty', String(d.stillMissing)],
    ],
    notes: [
      ...ctx.notes,
      'The line is the mean of each stretch of rows (400 to 800 stretches); ' +
        'up to 1,500 filled cells per feature are marked, a uniform random sample.',
    ],
  };
}

export function denoisePage(d: DenoiseData, ctx: ReportContext): ReportPage {
  return {
    title: `Denoising report: ${ctx.scored}`,
    checked: [
      `${d.rows} rows of ${ctx.scored}, denoised by ${modelLine(ctx.manifest)}, ` +
        `compared with the noisy input${d.series[0]?.clean ? ' and the clean reference' : ''}.`,
    ],
    found: d.features.map((f, j) => `${f}: denoising changed values by ${short(d.meanChange[j]!)} on average.`).slice(0, 6),
    lookFirst: [
      'In each chart the blue line should follow the shape of the grey one without its jitter' +
        (d.series[0]?.clean ? ', close to the green dashed clean signal.' : '.'),
    ],
    figures: d.series.map((s) => ({
      title: `${s.name}: noisy and denoised`,
      caption:
        `The first ${s.noisy.length} rows, every row shown. Grey: noisy input; ` +
        `blue: denoised${s.clean ? '; green dashed: clean reference' : ''}.`,
      svg: denoiseChart(s),
    })),
    facts: [
      ['rows read', String(d.rows)],
      ['features', d.features.join(', ')],
    ],
    notes: [...ctx.notes, 'The overlay shows the first 1,000 rows exactly; the averages above cover every row.'],
  };
}
