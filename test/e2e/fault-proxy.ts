import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fault does to one request that matches it. */
export type Fault =
  /** forwards the response headers and about half the body, then drops the connection */
  | { kind: 'cut-response' }
  /** answers 500 InternalError without forwarding */
  | { kind: 'internal-error' }
  /** answers 503 SlowDown without forwarding */
  | { kind: 'slow-down' }
  /** forwards the request after `ms` */
  | { kind: 'delay'; ms: number }
  /** holds the request until release() is called, then forwards it */
  | { kind: 'hold' };

export interface FaultRule {
  /** which requests: method and a test on the path with its query (e.g. /partNumber=2/) */
  method?: string;
  path?: RegExp;
  fault: Fault;
  /** how many matching requests it hits (default: every one) */
  times?: number;
}

export interface FaultProxy {
  endpoint: string;
  /** every request seen, as 'METHOD path?query', and how each was answered */
  log: { request: string; fault?: Fault['kind'] }[];
  /** replaces the rules; the first matching rule with hits left applies */
  setRules(rules: FaultRule[]): void;
  /** forwards every held request */
  release(): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a local S3 server that injects real transport faults into chosen
 * requests (a cut response body, 500s, 503 SlowDown, delays) and forwards the rest unchanged.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rules: (FaultRule & { left: number })[] = [];
  const log: FaultProxy['log'] = [];
  let held: (() => void)[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse, cut: boolean) => {
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (!cut) {
        up.pipe(res);
        return;
      }
      const total = Number(up.headers['content-length'] ?? 0);
      let sent = 0;
      up.on('data', (chunk: Buffer) => {
        if (res.destroyed) return;
        const room = Math.floor(total / 2) - sent;
        if (room > 0) res.write(chunk.subarray(0, room));
        sent += chunk.length;
        if (sent >= total / 2) {
          up.destroy();
          res.socket?.destroy();
        }
      });
    });
    out.on('error', (err) => res.destroy(err));
    req.pipe(out);
  };
  const server: Server = createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    const rule = rules.find((r) => r.left > 0 && (!r.method || r.method === req.method) && (!r.path || r.path.test(req.url ?? '')));
    log.push({ request: line, fault: rule?.fault.kind });
    if (!rule) return forward(req, res, false);
    rule.left--;
    const answer = (status: number, code: string) => {
      req.resume();
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>`);
    };
    switch (rule.fault.kind) {
      case 'cut-response': return forward(req, res, true);
      case 'internal-error': return answer(500, 'InternalError');
      case 'slow-down': return answer(503, 'SlowDown');
      case 'delay': {
        req.pause();
        setTimeout(() => forward(req, res, false), rule.fault.ms);
        return;
      }
      case 'hold': {
        req.pause();
        held.push(() => forward(req, res, false));
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    setRules(next) {
      rules = next.map((r) => ({ ...r, left: r.times ?? Infinity }));
    },
    release() {
      const waiting = held;
      held = [];
      for (const go of waiting) go();
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
