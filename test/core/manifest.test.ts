import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestError, SchemaMismatchError } from '../../core/errors';
import { parseManifest, parseManifestJson, resolveFeatureColumns } from '../../core/manifest';

const example = () => JSON.parse(readFileSync(join(__dirname, '../../models/sensors/manifest.json'), 'utf8'));

describe('manifest', () => {
  test('the example model manifest validates and round-trips through JSON unchanged', () => {
    const m = parseManifest(example());
    expect(parseManifestJson(JSON.stringify(m))).toEqual(m);
  });

  test('every problem is listed with its path', () => {
    const bad = example();
    bad.kind = 'forest';
    bad.scaler.scale = [1];
    bad.threshold.value = 'high';
    try {
      parseManifest(bad);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ManifestError);
      const issues = (err as ManifestError).issues.join('\n');
      expect(issues).toMatch(/^kind:/m);
      expect(issues).toMatch(/^threshold\.value:/m);
    }
  });

  test('a scaler whose length differs from the features is refused', () => {
    const bad = example();
    bad.scaler.scale = [1];
    expect(() => parseManifest(bad)).toThrow(/scaler has \d+\/1 entries for 8 features/);
  });

  test('a windowed layout without a window is refused', () => {
    const bad = example();
    bad.layout = 'windows';
    expect(() => parseManifest(bad)).toThrow(/layout 'windows' needs a window/);
  });

  test('malformed JSON is a ManifestError, not a SyntaxError', () => {
    expect(() => parseManifestJson('{"name":')).toThrow(ManifestError);
  });

  test('feature columns resolve by name whatever their order, extra columns allowed', () => {
    expect(resolveFeatureColumns({ features: ['b', 'a'] }, ['ts', 'a', 'b'])).toEqual([2, 1]);
  });

  test('missing and (in strict mode) extra columns are named', () => {
    expect(() => resolveFeatureColumns({ features: ['a', 'b', 'c'] }, ['a'])).toThrow(SchemaMismatchError);
    expect(() => resolveFeatureColumns({ features: ['a'] }, ['a', 'zz'], true)).toThrow(/unexpected column\(s\) 'zz'/);
    expect(() => resolveFeatureColumns({ features: ['a', 'b', 'c'] }, ['a'])).toThrow(/missing column\(s\) 'b', 'c'/);
  });
});
