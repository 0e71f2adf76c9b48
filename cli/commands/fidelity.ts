import { InputError } from '../../core/errors';
import { fidelityReport, type FidelityReport } from '../../core/fidelity/fidelity-report';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { readTrainingData } from '../../training/read-training-data';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';

export interface FidelityOptions {
  real: string;
  synthetic: string;
  train?: string;
  labelColumn?: string;
  exclude?: string[];
  maxRows: number;
  seed: number;
}

/**
 * `residual fidelity`: reads --real (numeric columns, less --exclude; the label column kept when named),
 * then exactly those columns from --synthetic and --train, and computes core/fidelity's report.
 * Rows with a non-numeric cell in a compared column are skipped and counted (`skipped`).
 */
export async function fidelityFromFiles(o: FidelityOptions): Promise<FidelityReport & { skipped: Record<string, number> }> {
  const read = (uri: string, sel: { columns?: string[]; exclude?: string[]; append?: string[] }) => {
    const s = storeForUri(uri);
    return readTrainingData(s.store, s.location, sel);
  };
  const exclude = o.exclude ?? [];
  // the label (when named) is read last, in the same pass that chooses the features
  const real = await read(o.real, { exclude, ...(o.labelColumn ? { append: [o.labelColumn] } : {}) });
  const columns = real.features;
  const synthetic = await read(o.synthetic, { columns });
  const train = o.train ? await read(o.train, { columns }) : null;
  if (real.values.length === 0 || synthetic.values.length === 0) throw new InputError('--real and --synthetic need at least one row each');
  const report = fidelityReport({
    columns,
    real: real.values,
    synthetic: synthetic.values,
    ...(train ? { train: train.values } : {}),
    ...(o.labelColumn ? { label: columns.length - 1 } : {}),
    seed: o.seed,
    maxRows: o.maxRows,
  });
  const skipped = { real: real.rejectedRows, synthetic: synthetic.rejectedRows, ...(train ? { train: train.rejectedRows } : {}) };
  return { ...report, skipped };
}

export async function runFidelity(cl: ParsedCommandLine): Promise<number> {
  const out = commandOutput(cl);
  const label = cl.string('label-column');
  const train = cl.string('train');
  const exclude = cl.list('exclude');
  const r = await fidelityFromFiles({
    real: cl.required('real'),
    synthetic: cl.required('synthetic'),
    ...(train ? { train } : {}),
    ...(label ? { labelColumn: label } : {}),
    ...(exclude ? { exclude } : {}),
    maxRows: cl.int('max-rows')!,
    seed: cl.int('seed')!,
  });
  const lines = [
    `fidelity of ${r.rows.synthetic} synthetic rows against ${r.rows.real} real rows (${r.columns.length} columns)`,
    `  C2ST ROC-AUC ${r.c2st.auc.toFixed(3)} (0.5 = indistinguishable; ` +
      `${r.c2st.fold_aucs.length}-fold, ${r.c2st.rows_per_side} rows per side)`,
    `  KS mean ${r.ks_mean.toFixed(3)}, W1/sd mean ${r.wasserstein_normalized_mean.toFixed(3)}, ` +
      `correlation |Δρ| mean ${r.correlation.mean_abs.toFixed(3)} max ${r.correlation.max_abs.toFixed(3)}`,
    ...r.columns.map((c) => `    ${c.name}: KS ${c.ks.toFixed(3)} W1/sd ${c.wasserstein_normalized.toFixed(3)}`),
  ];
  if (r.utility) {
    const trtr = r.utility.trtr_accuracy === null ? '' : `, train-on-real ${r.utility.trtr_accuracy.toFixed(3)}`;
    lines.push(`  utility (${r.utility.label}): train-on-synthetic-test-on-real accuracy ${r.utility.tstr_accuracy.toFixed(3)}${trtr}`);
  }
  if (r.privacy) {
    lines.push(
      `  privacy: near copies ${(100 * r.privacy.near_copy_share).toFixed(1)} % ` +
        `(holdout's own ${(100 * r.privacy.holdout_near_copy_share).toFixed(1)} %, ` +
        `excess ${(100 * r.privacy.near_copy_excess).toFixed(1)} points) ` +
        `(exact ${(100 * r.privacy.exact_copy_share).toFixed(1)} %), ` +
        `DCR median synthetic ${r.privacy.dcr_synthetic_median.toFixed(3)} vs holdout ${r.privacy.dcr_holdout_median.toFixed(3)}`,
    );
  }
  const skipped = Object.entries(r.skipped).filter(([, n]) => n > 0);
  if (skipped.length) out.warn(`fidelity: skipped rows with non-numeric cells: ${skipped.map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  out.result(`${lines.join('\n')}\n`, r);
  return 0;
}
