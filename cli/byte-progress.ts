/**
 * Passes bytes through unchanged and, when stderr is a terminal and the total is known, shows how much
 * has been read, the rate and the ETA (at most a few redraws a second).
 */
export async function* byteProgress(
  source: AsyncIterable<Uint8Array>,
  total: number | undefined,
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): AsyncGenerator<Uint8Array> {
  const show = Boolean(stream.isTTY) && total !== undefined && total > 8 << 20;
  const started = performance.now();
  let done = 0;
  let last = 0;
  for await (const chunk of source) {
    done += chunk.length;
    const now = performance.now();
    if (show && now - last > 250) {
      last = now;
      const rate = done / 1e6 / ((now - started) / 1000);
      const eta = rate > 0 ? (total! - done) / 1e6 / rate : 0;
      const percent = ((100 * done) / total!).toFixed(0).padStart(3);
      const mb = `${(done / 1e6).toFixed(0)}/${(total! / 1e6).toFixed(0)} MB`;
      stream.write(`\r${label} ${percent}% ${mb} ${rate.toFixed(1)} MB/s ETA ${eta.toFixed(0)} s `);
    }
    yield chunk;
  }
  if (show) stream.write('\r\x1b[K');
}
