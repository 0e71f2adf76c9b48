import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetFormatError, DatasetMissingError } from './errors';

/** A dense numeric table: row-major values [rows × columns] with column names. */
export interface Matrix {
  columns: string[];
  rows: number;
  values: Float64Array;
}

/** The dataset root: the option, else RESIDUAL_DATASETS, else ../shared/datasets (absolute). */
export function datasetRoot(option?: string): string {
  return resolve(option ?? process.env['RESIDUAL_DATASETS'] ?? '../shared/datasets');
}

function readText(root: string, relative: string): { path: string; text: string } {
  const path = join(root, relative);
  if (!existsSync(path)) throw new DatasetMissingError(path, root);
  return { path, text: readFileSync(path, 'utf8') };
}

/** A CSV with a header row and numeric cells only (the GAIN and ADBench files). */
export function readNumericCsv(root: string, relative: string): Matrix {
  const { path, text } = readText(root, relative);
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length < 2) throw new DatasetFormatError(path, 'needs a header line and at least one row');
  const columns = lines[0]!.split(',').map((c) => c.trim());
  const values = new Float64Array((lines.length - 1) * columns.length);
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r]!.split(',');
    if (cells.length !== columns.length)
      throw new DatasetFormatError(path, `line ${r + 1} has ${cells.length} fields, the header has ${columns.length}`);
    for (let j = 0; j < cells.length; j++) {
      const v = Number(cells[j]);
      if (!Number.isFinite(v)) throw new DatasetFormatError(path, `line ${r + 1} column '${columns[j]}' is not a number: '${cells[j]}'`);
      values[(r - 1) * columns.length + j] = v;
    }
  }
  return { columns, rows: lines.length - 1, values };
}

/** Labelled beats: values [rows × 140] and one label per row. */
export interface LabelledRows {
  features: string[];
  rows: number;
  values: Float64Array;
  labels: Int32Array;
}

/** ECG5000_TRAIN.txt: whitespace-separated, column 0 = class 1..5, then 140 samples. */
export function readEcgTrain(root: string): LabelledRows {
  const { path, text } = readText(root, 'ecg5000/ECG5000_TRAIN.txt');
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const width = 140;
  const values = new Float64Array(lines.length * width);
  const labels = new Int32Array(lines.length);
  lines.forEach((line, r) => {
    const cells = line.split(/\s+/).map(Number);
    if (cells.length !== width + 1 || cells.some((v) => !Number.isFinite(v)))
      throw new DatasetFormatError(path, `line ${r + 1} must hold a class and ${width} numbers, got ${cells.length} fields`);
    labels[r] = Math.round(cells[0]!);
    values.set(cells.slice(1), r * width);
  });
  return { features: Array.from({ length: width }, (_, i) => `t${i}`), rows: lines.length, values, labels };
}

/** ECG5000_TEST_binary.csv: t0..t139 then `label` (1 = normal, 0 = abnormal). */
export function readEcgTestBinary(root: string): LabelledRows {
  const m = readNumericCsv(root, 'ecg5000/ECG5000_TEST_binary.csv');
  return splitLabelColumn(m, 'label', join(root, 'ecg5000/ECG5000_TEST_binary.csv'));
}

/** An ADBench CSV (`x0..x{d-1},y`, y = 1 anomaly). */
export function readAdbench(root: string, file: string): LabelledRows {
  return splitLabelColumn(readNumericCsv(root, `adbench_small/${file}`), 'y', join(root, 'adbench_small', file));
}

function splitLabelColumn(m: Matrix, label: string, path: string): LabelledRows {
  const at = m.columns.indexOf(label);
  if (at < 0) throw new DatasetFormatError(path, `has no '${label}' column (columns: ${m.columns.slice(0, 5).join(', ')}, ...)`);
  const width = m.columns.length - 1;
  const values = new Float64Array(m.rows * width);
  const labels = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let k = 0;
    for (let j = 0; j < m.columns.length; j++) {
      const v = m.values[r * m.columns.length + j]!;
      if (j === at) labels[r] = Math.round(v);
      else values[r * width + k++] = v;
    }
  }
  return { features: m.columns.filter((_, j) => j !== at), rows: m.rows, values, labels };
}
