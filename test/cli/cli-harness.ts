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

/** Runs main in this process and returns its exit code with what it wrote to stdout and stderr. */
export async function runMain(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = require('../../cli/main') as typeof import('../../cli/main');
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += c.toString()), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += c.toString()), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
