/**
 * The benchmark's receiver: a keep-alive HTTP server on loopback. Per path it can answer at once
 * (the default), after a delay, or never (a hung receiver). For every JSON delivery it records the
 * latency from the moment the bench published the event (carried in the event as the
 * `Bench-Sent-At` channel variable) to its arrival, per path.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Behaviour {
  delayMs?: number;
  hang?: boolean;
}

interface PathStats {
  count: number;
  latenciesMs: number[];
}

export class Sink {
  private readonly paths = new Map<string, PathStats>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly hanging = new Set<ServerResponse>();
  private waiters: Array<{ path: string | undefined; target: number; resolve: () => void }> = [];
  private total = 0;
  private readonly server: Server;
  port = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const behaviour = this.behaviours.get(path) ?? {};
        this.record(path, Buffer.concat(chunks).toString('utf8'));
        if (behaviour.hang === true) {
          this.hanging.add(res);
          return;
        }
        const answer = (): void => {
          res.writeHead(200, { 'content-length': '0' });
          res.end();
        };
        if (behaviour.delayMs !== undefined) setTimeout(answer, behaviour.delayMs);
        else answer();
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

  behave(path: string, behaviour: Behaviour): void {
    this.behaviours.set(path, behaviour);
    if (behaviour.hang !== true) {
      for (const res of this.hanging) res.destroy();
      this.hanging.clear();
    }
  }

  /** Deliveries received at `path` (all paths when omitted). */
  count(path?: string): number {
    return path === undefined ? this.total : (this.paths.get(path)?.count ?? 0);
  }

  latencies(path: string): number[] {
    return this.paths.get(path)?.latenciesMs ?? [];
  }

  private record(path: string, body: string): void {
    this.total += 1;
    let stats = this.paths.get(path);
    if (stats === undefined) {
      stats = { count: 0, latenciesMs: [] };
      this.paths.set(path, stats);
    }
    stats.count += 1;
    const sent = /"Bench-Sent-At":"(\d+(?:\.\d+)?)"/.exec(body)?.[1];
    if (sent !== undefined) stats.latenciesMs.push(performance.timeOrigin + performance.now() - Number(sent));
    for (const waiter of this.waiters.filter((w) => this.count(w.path) >= w.target)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  reset(): void {
    this.total = 0;
    this.paths.clear();
  }

  /** Resolves true once `target` deliveries arrived (at `path`, or anywhere), false at the deadline. */
  waitFor(target: number, timeoutMs: number, path?: string): Promise<boolean> {
    if (this.count(path) >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({
        path,
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }

  close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
