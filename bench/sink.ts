/**
 * The benchmark's receiver: a keep-alive HTTP server on loopback that answers 200 at once and
 * records, for every JSON delivery, the latency from the moment the bench published the event
 * (carried in the event as the `Bench-Sent-At` channel variable) to its arrival.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class Sink {
  count = 0;
  latenciesMs: number[] = [];
  private waiters: Array<{ target: number; resolve: () => void }> = [];

  private readonly server: Server;
  port = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(200, { 'content-length': '0' });
        res.end();
        this.record(Buffer.concat(chunks).toString('utf8'));
      });
    });
    this.server.keepAliveTimeout = 30_000;
  }

  static async start(): Promise<Sink> {
    const sink = new Sink();
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    sink.port = (sink.server.address() as AddressInfo).port;
    return sink;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  private record(body: string): void {
    this.count += 1;
    const sent = /"Bench-Sent-At":"(\d+(?:\.\d+)?)"/.exec(body)?.[1];
    if (sent !== undefined) this.latenciesMs.push(performance.timeOrigin + performance.now() - Number(sent));
    for (const waiter of this.waiters.filter((w) => this.count >= w.target)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  reset(): void {
    this.count = 0;
    this.latenciesMs = [];
  }

  waitFor(target: number, timeoutMs: number): Promise<boolean> {
    if (this.count >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
