/**
 * Captures what the code under test writes to stderr, test by test: call it at the top of a file or a describe
 * block; `text()` is everything written during the current test (process.stderr.write is restored after each).
 */
export function captureStderr(): { text(): string } {
  let chunks: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  beforeEach(() => {
    chunks = [];
    process.stderr.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stderr.write = write;
  });
  return { text: () => chunks.join('') };
}
