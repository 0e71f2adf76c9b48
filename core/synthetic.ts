import { Rng } from './rng';

export type InjectedKind = 'spike' | 'level-shift' | 'drift';

export interface SensorDataOptions {
  rows: number;
  sensors?: number;
  seed?: number;
  /** Inject anomalies (spikes, level shifts, drifts). Default false: clean training data. */
  anomalies?: boolean;
  /** First row where anomalies may start (default 0), so one series can hold a clean training stretch. */
  anomaliesFrom?: number;
  /** Fraction of rows that start a missing stretch in one sensor (cells become NaN; not anomalies). */
  missingStretchRate?: number;
  /** ISO time of the first row; rows are one minute apart. */
  start?: string;
}

export interface SensorData {
  columns: string[];
  /** timestamp (ISO) per row */
  timestamps: string[];
  /** rows × sensors, NaN where a cell is missing */
  values: Float64Array;
  sensors: number;
  /** 1 where the row carries an injected anomaly (the ground truth kept aside) */
  labels: Uint8Array;
  /** what was injected at each labelled row */
  kinds: (InjectedKind | null)[];
  /** true values of the cells that were blanked out (NaN elsewhere) */
  hidden: Float64Array;
}

const LATENT = 3;

/**
 * A seeded multi-sensor dataset: `sensors` channels mixed from three latent processes (daily and hourly
 * cycles, a slow AR(1) load) plus small independent noise, so channels are strongly correlated. Injected
 * anomalies break that correlation in one channel: spikes (one row, 6–9 σ), level shifts (20–60 rows,
 * 3–5 σ) and drifts (40–100 rows, ramping to 6 σ; rows count as anomalous once the drift passes 1.5 σ).
 * Missing stretches blank 5–30 cells of one channel; their true values are kept in `hidden`.
 */
export function generateSensorData(options: SensorDataOptions): SensorData {
  const { rows } = options;
  const sensors = options.sensors ?? 8;
  const rng = new Rng(options.seed ?? 1);
  const mixing = Array.from({ length: sensors }, () => Array.from({ length: LATENT }, () => rng.normal()));
  const offsets = Array.from({ length: sensors }, () => 10 + 40 * rng.next());
  const gains = Array.from({ length: sensors }, () => 1 + 4 * rng.next());
  const phase = rng.next() * 2 * Math.PI;
  const values = new Float64Array(rows * sensors);
  let ar = 0;
  for (let r = 0; r < rows; r++) {
    ar = 0.98 * ar + 0.2 * rng.normal();
    const latent = [Math.sin((2 * Math.PI * r) / 1440 + phase), Math.sin((2 * Math.PI * r) / 60), ar];
    for (let s = 0; s < sensors; s++) {
      let v = 0;
      for (let k = 0; k < LATENT; k++) v += mixing[s]![k]! * latent[k]!;
      values[r * sensors + s] = offsets[s]! + gains[s]! * (v + 0.05 * rng.normal());
    }
  }
  const sd = channelStd(values, rows, sensors);
  const labels = new Uint8Array(rows);
  const kinds: (InjectedKind | null)[] = new Array(rows).fill(null);
  if (options.anomalies) injectAnomalies(values, rows, sensors, sd, rng, labels, kinds, options.anomaliesFrom ?? 0);
  const hidden = new Float64Array(rows * sensors).fill(NaN);
  const missingRate = options.missingStretchRate ?? 0;
  for (let r = 0; r < rows; r++) {
    if (rng.next() >= missingRate) continue;
    const s = rng.int(sensors);
    const len = 5 + rng.int(26);
    for (let i = r; i < Math.min(rows, r + len); i++) {
      hidden[i * sensors + s] = values[i * sensors + s]!;
      values[i * sensors + s] = NaN;
    }
  }
  const t0 = Date.parse(options.start ?? '2026-01-01T00:00:00Z');
  const timestamps = Array.from({ length: rows }, (_, r) => new Date(t0 + r * 60_000).toISOString());
  const columns = ['timestamp', ...Array.from({ length: sensors }, (_, s) => `sensor_${s}`)];
  return { columns, timestamps, values, sensors, labels, kinds, hidden };
}

function injectAnomalies(
  values: Float64Array,
  rows: number,
  sensors: number,
  sd: number[],
  rng: Rng,
  labels: Uint8Array,
  kinds: (InjectedKind | null)[],
  from: number,
): void {
  let r = from + 50;
  while (r < rows - 120) {
    const s = rng.int(sensors);
    const sign = rng.next() < 0.5 ? -1 : 1;
    const roll = rng.next();
    if (roll < 0.4) {
      values[r * sensors + s]! += sign * (6 + 3 * rng.next()) * sd[s]!;
      labels[r] = 1;
      kinds[r] = 'spike';
      r += 1;
    } else if (roll < 0.7) {
      const len = 20 + rng.int(41);
      const shift = sign * (3 + 2 * rng.next()) * sd[s]!;
      for (let i = r; i < r + len; i++) {
        values[i * sensors + s]! += shift;
        labels[i] = 1;
        kinds[i] = 'level-shift';
      }
      r += len;
    } else {
      const len = 40 + rng.int(61);
      for (let i = 0; i < len; i++) {
        const offset = (6 * (i + 1)) / len;
        values[(r + i) * sensors + s]! += sign * offset * sd[s]!;
        if (offset >= 1.5) {
          labels[r + i] = 1;
          kinds[r + i] = 'drift';
        }
      }
      r += len;
    }
    r += 150 + rng.int(250);
  }
}

function channelStd(values: Float64Array, rows: number, sensors: number): number[] {
  return Array.from({ length: sensors }, (_, s) => {
    let sum = 0;
    let sq = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r * sensors + s]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / rows;
    return Math.sqrt(Math.max(sq / rows - mean * mean, 1e-12));
  });
}

/** Rows [start, end) of a dataset, as a dataset of its own. */
export function sliceSensorData(data: SensorData, start: number, end: number): SensorData {
  const s = data.sensors;
  return {
    columns: data.columns,
    timestamps: data.timestamps.slice(start, end),
    values: data.values.slice(start * s, end * s),
    sensors: s,
    labels: data.labels.slice(start, end),
    kinds: data.kinds.slice(start, end),
    hidden: data.hidden.slice(start * s, end * s),
  };
}

/** Renders the data as CSV text (header row; missing cells empty; values with 4 decimals). */
export function sensorDataToCsv(data: SensorData): string {
  const lines = [data.columns.join(',')];
  const rows = data.timestamps.length;
  for (let r = 0; r < rows; r++) {
    const cells = [data.timestamps[r]!];
    for (let s = 0; s < data.sensors; s++) {
      const v = data.values[r * data.sensors + s]!;
      cells.push(Number.isNaN(v) ? '' : v.toFixed(4));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
