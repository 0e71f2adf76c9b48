import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { parseManifestJson } from '../../core/manifest';

const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');

/** `residual train` without --model trains kind 'auto', prints what it chose, and its artifact scores through the CLI. */
describe('residual train default model', () => {
  it('is auto: it trains, says what it chose and scores with is_anomaly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-auto-'));
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await main(['train', '--data', SAMPLE, '--exclude', 'timestamp', '--out', join(dir, 'm'), '--backend', 'cpu']);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const manifest = parseManifestJson(await readFile(join(dir, 'm', 'manifest.json'), 'utf8'));
    expect(manifest.kind).toBe('auto');
    const printed = err.join('');
    expect(printed).toMatch(/trained auto/);
    expect(printed).toMatch(/auto chose: members knn\+knn_small\+pca\+iforest; scaler robust/);
    expect(printed).toMatch(/members_reason table rows: kNN at two k, PCA and an isolation forest/);
    expect(printed).not.toMatch(/validation loss undefined/);
    const out = join(dir, 'scored.csv');
    expect(await main(['score', '--model', join(dir, 'm'), '--input', SAMPLE, '--output', out])).toBe(0);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toMatch(/anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors$/);
    const flags = lines.slice(1).map((l) => l.split(',').at(-3));
    expect(flags.every((f) => f === '0' || f === '1')).toBe(true);
  });
});
