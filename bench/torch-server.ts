// The PyTorch side of `npm run bench:train`: bench/python/train_baselines.py kept running, so slices of its
// training steps can alternate with tfjs' on a shared machine.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The models with a PyTorch twin in train_baselines.py. */
export type TorchCase = 'dense' | 'lstm' | 'conv1d';

/** A persistent `train_baselines.py --serve` process: models stay warm, so slices can alternate with tfjs'. */
export class TorchServer {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;

  private constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const w = this.waiting;
      this.waiting = null;
      if (w) w(line);
      else this.lines.push(line);
    });
    proc.on('exit', () => this.waiting?.('{"exited": true}'));
  }

  private next(): Promise<string> {
    const line = this.lines.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => (this.waiting = resolve));
  }

  /** Starts the server; null with the reason when python3 or torch is missing. */
  static async start(): Promise<{ server: TorchServer | null; note: string }> {
    let proc: ChildProcessWithoutNullStreams;
    try {
      proc = spawn('python3', ['bench/python/train_baselines.py', '--serve']);
    } catch (err) {
      return { server: null, note: `PyTorch baselines skipped: python3 could not run (${String(err)})` };
    }
    const failed = new Promise<string>((resolve) => proc.on('error', (err) => resolve(`{"error": ${JSON.stringify(err.message)}}`)));
    const server = new TorchServer(proc);
    const hello = JSON.parse(await Promise.race([server.next(), failed])) as {
      ready?: boolean;
      missing?: string;
      error?: string;
      versions?: { torch: string; threads: number };
    };
    if (!hello.ready) {
      proc.kill();
      return {
        server: null,
        note: `PyTorch baselines skipped: ${
          hello.missing ? `torch is not installed (${hello.missing})` : `python3 could not run (${hello.error ?? 'no answer'})`
        }`,
      };
    }
    return {
      server,
      note: `PyTorch ${hello.versions!.torch}, ${hello.versions!.threads} thread, the same models, Adam, MSE, one fixed random batch`,
    };
  }

  /** Step times (ms) of `seconds` of training steps of one case. */
  async slice(name: TorchCase, seconds: number): Promise<number[]> {
    this.proc.stdin.write(`${name} ${seconds}\n`);
    const r = JSON.parse(await this.next()) as { times_ms?: number[] };
    if (!r.times_ms) throw new Error(`train_baselines.py --serve stopped answering (${JSON.stringify(r)})`);
    return r.times_ms;
  }

  close(): void {
    this.proc.stdin.end();
  }
}
