import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ThrottlingProxy {
  endpoint: string;
  /** requests answered 503 SlowDown so far */
  throttled: number;
  /** make the next `n` requests fail with 503 SlowDown */
  throttleNext(n: number): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a local S3 server that answers chosen requests with S3's throttling
 * error (503 SlowDown) and forwards the rest unchanged: real HTTP failures for the SDK's retry logic.
 */
export async function startThrottlingProxy(target: string): Promise<ThrottlingProxy> {
  const upstream = new URL(target);
  let pending = 0;
  const state = { throttled: 0 };
  const server: Server = createServer((req, res) => {
    if (pending > 0) {
      pending--;
      state.throttled++;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
      );
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', (err) => res.destroy(err));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get throttled() {
      return state.throttled;
    },
    throttleNext(n: number) {
      pending = n;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
