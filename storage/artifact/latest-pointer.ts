import { ModelArtifactError } from '../errors';

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Parses the text of a `LATEST` pointer: one version name (surrounding whitespace allowed). Anything else
 * (empty, `.`, `..`, a path such as `a/b`, inner whitespace) is refused at once, naming the file, so a
 * loader can never follow the pointer back to itself. The content is not echoed (only its length).
 */
export function parseLatestPointer(text: string, file: string): string {
  const version = text.trim();
  if (!VERSION.test(version)) {
    throw new ModelArtifactError(
      `${file} does not hold a version name (${version.length} characters; ` +
        `expected letters, digits, '.', '_' or '-', not starting with '.')`,
    );
  }
  return version;
}
