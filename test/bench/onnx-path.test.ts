import { Rng } from '../../core/rng';
import { scoreRows, trainArtifact } from '../../bench/quality/onnx-path';

/** A small low-rank table: 3 latent factors mixed into 6 features, plus a little noise. */
function lowRank(rows: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const mix = Array.from({ length: 3 * 6 }, () => rng.normal());
  const out = new Float64Array(rows * 6);
  for (let r = 0; r < rows; r++) {
    const z = [rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < 6; j++) out[r * 6 + j] = z[0]! * mix[j]! + z[1]! * mix[6 + j]! + z[2]! * mix[12 + j]! + 0.01 * rng.normal();
  }
  return out;
}

describe('the bench scoring path (trainModel → ONNX → scoreTable)', () => {
  const features = ['a', 'b', 'c', 'd', 'e', 'f'];
  const data = lowRank(300, 1);
  let artifact: Awaited<ReturnType<typeof trainArtifact>>;

  beforeAll(async () => {
    artifact = await trainArtifact('pca', features, data, { seed: 1, modelConfig: { components: 3 } });
  });

  it('leaves observed cells as they were in impute mode', async () => {
    const input = data.slice(0, 60);
    input[3] = NaN;
    const out = await scoreRows(artifact, input, 'impute');
    expect(out.values[0]).toBe(input[0]);
  });

  it('fills a missing cell closer to the truth than the column mean', async () => {
    const input = data.slice(0, 60);
    input[3] = NaN;
    const out = await scoreRows(artifact, input, 'impute');
    let mean = 0;
    for (let r = 0; r < 300; r++) mean += data[r * 6 + 3]! / 300;
    expect(Math.abs(out.values[3]! - data[3]!)).toBeLessThan(Math.abs(mean - data[3]!));
  });

  it('scores an off-manifold row higher than on-manifold rows in detect mode', async () => {
    const input = data.slice(0, 60);
    for (let j = 0; j < 6; j++) input[j] = j % 2 ? 3 : -3;
    const out = await scoreRows(artifact, input, 'detect');
    expect(out.scores[0]).toBeGreaterThan(Math.max(...out.scores.subarray(1)));
  });

  it('returns one result per input row across several chunks', async () => {
    const out = await scoreRows(artifact, data, 'detect', 64);
    expect(out.scores.length).toBe(300);
    expect(out.scores.every((s) => Number.isFinite(s))).toBe(true);
  });
});
