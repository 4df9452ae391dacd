/**
 * The only module that makes outbound HTTP requests. One undici Agent (keep-alive pools per
 * origin), and for every request: a hard deadline covering connect, headers and body; no
 * redirects (a 3xx is an answer, not an instruction); the destination checked against the address
 * policy at connect time; the response body read up to a cap for the attempts log and the rest
 * drained or the socket dropped, so a connection is never left half-read.
 */
import { isIP } from 'node:net';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import { isAddressAllowed, type Cidr } from '../../domain/networks.js';
import { BlockedAddressError, guardedLookup } from './guarded-lookup.js';

export interface HttpClientOptions {
  timeoutMs: number;
  allowedNetworks: readonly Cidr[];
  /** Bytes of response body kept for the attempts log. */
  responseBodyLimit: number;
  /** Sockets per origin (the dispatcher limits requests per hook; this only bounds sockets). */
  connectionsPerOrigin: number;
  userAgent: string;
}

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string; truncated: boolean; durationMs: number }
  | { kind: 'error'; error: string; durationMs: number }
  /** Cut short by shutdown: nothing is known about the receiver. */
  | { kind: 'interrupted'; durationMs: number };

/** Drain at most this much past the logged part before giving the socket up instead. */
const drainLimit = 1_048_576;

function connector(options: HttpClientOptions): buildConnector.connector {
  const connect = buildConnector({ timeout: options.timeoutMs, lookup: guardedLookup(options.allowedNetworks) });
  return (target, callback) => {
    // Literal addresses never reach `lookup`, so they are checked here.
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !isAddressAllowed(host, options.allowedNetworks)) {
      callback(new BlockedAddressError(host, [host]), null);
      return;
    }
    connect(target, callback);
  };
}

/** Kazoo's attempt log names transport failures like `failed_connect: econnrefused`; keep that vocabulary. */
export function describeError(error: unknown): string {
  const err = error as { code?: string; name?: string; message?: string; cause?: unknown };
  if (
    err.name === 'TimeoutError' ||
    err.code === 'UND_ERR_CONNECT_TIMEOUT' ||
    err.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    err.code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return 'timeout';
  }
  if (err.code === 'EBLOCKED') return `blocked_address: ${err.message ?? ''}`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'failed_connect: nxdomain';
  if (err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') {
    return `failed_connect: ${err.code.toLowerCase()}`;
  }
  if (err.code === 'ECONNRESET' || err.code === 'UND_ERR_SOCKET') return 'socket_closed';
  if (err.code === 'ERR_INVALID_URL' || err.code === 'UND_ERR_INVALID_ARG') return `malformed_url: ${err.message ?? ''}`;
  if (err.cause !== undefined && err.cause !== error) return describeError(err.cause);
  return err.code !== undefined ? `${err.code.toLowerCase()}: ${err.message ?? ''}` : (err.message ?? 'unknown error');
}

async function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - size));
      truncated = true;
      break;
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  if (truncated) await body.dump({ limit: drainLimit }).catch(() => undefined);
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}

export class HttpClient {
  private readonly agent: Agent;
  /** Requests in flight, so shutdown can cut them short. */
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: HttpClientOptions) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin,
      pipelining: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: connector(options),
    });
  }

  async send(outbound: OutboundRequest): Promise<HttpOutcome> {
    const started = performance.now();
    const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
    const interrupt = new AbortController();
    this.inFlight.add(interrupt);
    try {
      const response = await request(outbound.url, {
        method: outbound.method,
        headers: { 'user-agent': this.options.userAgent, ...outbound.headers },
        body: outbound.body ?? null,
        dispatcher: this.agent,
        // A fresh deadline per request (a shared signal would collect listeners), and shutdown's.
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), interrupt.signal]),
      });
      const { text, truncated } = await readCapped(response.body, this.options.responseBodyLimit);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { kind: 'response', status: response.statusCode, headers, body: text, truncated, durationMs: elapsed() };
    } catch (error) {
      if (interrupt.signal.aborted) return { kind: 'interrupted', durationMs: elapsed() };
      return { kind: 'error', error: describeError(error), durationMs: elapsed() };
    } finally {
      this.inFlight.delete(interrupt);
    }
  }

  /** Cuts every request in flight short (shutdown); each resolves as `interrupted`. */
  interruptAll(): number {
    for (const request of this.inFlight) request.abort();
    return this.inFlight.size;
  }

  async close(): Promise<void> {
    this.interruptAll();
    await this.agent.destroy();
  }
}
