import { parseNumber, type TableRow } from '../core/io';
import { cellOf } from '../core/evaluation/cell-of';
import { InputError } from '../core/errors';
import { Reservoir } from './adaptive-bins';

export const EMBED_SAMPLE = 5000;

export interface EmbedData {
  rows: number;
  dims: number;
  /** sampled rows: latent vector and the colour value (label or score; NaN when none) */
  sample: Reservoir<{ z: number[]; colour: number }>;
  colourBy: string | null;
  skipped: number;
}

/** Streams an embed-mode output (z0 … z{K-1}) into a seeded uniform sample for the latent scatter. */
export class EmbedCollector {
  private z: number[] = [];
  private colour = -1;
  readonly data: EmbedData;

  constructor(private readonly labelColumn: string | null) {
    this.data = { rows: 0, dims: 0, sample: new Reservoir(EMBED_SAMPLE, 16), colourBy: null, skipped: 0 };
  }

  begin(columns: readonly string[]): void {
    for (let k = 0; columns.includes(`z${k}`); k++) this.z.push(columns.indexOf(`z${k}`));
    if (!this.z.length) throw new InputError(`the scored file has no latent columns z0, z1, … (is it an embed-mode output?)`);
    this.data.dims = this.z.length;
    const by = this.labelColumn ?? (columns.includes('anomaly_score') ? 'anomaly_score' : null);
    if (this.labelColumn && !columns.includes(this.labelColumn))
      throw new InputError(`the scored file has no column '${this.labelColumn}'`);
    this.colour = by ? columns.indexOf(by) : -1;
    this.data.colourBy = by;
  }

  add(r: TableRow): void {
    this.data.rows++;
    const z = this.z.map((i) => parseNumber(cellOf(r, i) ?? '') ?? NaN);
    if (z.some((v) => !Number.isFinite(v))) {
      this.data.skipped++;
      return;
    }
    const c = this.colour >= 0 ? (parseNumber(cellOf(r, this.colour) ?? '') ?? NaN) : NaN;
    this.data.sample.add({ z, colour: c });
  }
}

/**
 * The sample's coordinates in 2-D: the latent itself when K ≤ 2, else its projection on the first two
 * principal components of the sample (covariance eigenvectors by power iteration with deflation).
 */
export function project2d(points: { z: number[] }[], dims: number): { xy: [number, number][]; axes: [string, string] } {
  if (dims === 1) return { xy: points.map((p, i) => [i, p.z[0]!]), axes: ['sample', 'z0'] };
  if (dims === 2) return { xy: points.map((p) => [p.z[0]!, p.z[1]!]), axes: ['z0', 'z1'] };
  const n = points.length;
  const mean = new Array<number>(dims).fill(0);
  for (const p of points) for (let j = 0; j < dims; j++) mean[j]! += p.z[j]! / n;
  const cov = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
  for (const p of points) {
    for (let a = 0; a < dims; a++)
      for (let b = 0; b < dims; b++) cov[a]![b]! += ((p.z[a]! - mean[a]!) * (p.z[b]! - mean[b]!)) / Math.max(1, n - 1);
  }
  const components: number[][] = [];
  for (let c = 0; c < 2; c++) {
    let v = Array.from({ length: dims }, (_, j) => 1 / Math.sqrt(dims) + j * 1e-3);
    let lambda = 0;
    for (let it = 0; it < 200; it++) {
      const w = cov.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
      const norm = Math.hypot(...w) || 1;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    components.push(v);
    for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) cov[a]![b]! -= lambda * v[a]! * v[b]!;
  }
  const dot = (p: number[], v: number[]) => p.reduce((s, x, j) => s + (x - mean[j]!) * v[j]!, 0);
  return { xy: points.map((p) => [dot(p.z, components[0]!), dot(p.z, components[1]!)]), axes: ['PC1 of the latent', 'PC2 of the latent'] };
}
