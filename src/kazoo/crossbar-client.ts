/**
 * The one way callhook talks to Kazoo's Crossbar (integrated mode). Requests go only to the
 * configured base URL, never to a hook receiver, so the receivers' address policy does not apply
 * (Crossbar usually lives on a private network); the rest of a careful client does: a deadline per
 * request covering connect, headers and body, no redirects, a cap on the answer's size, and every
 * body read to the end or dropped. A transport failure (refused, reset, timeout, too big) is a
 * KazooUnavailableError; any HTTP answer is returned for the caller to interpret.
 */
import { Agent, request } from 'undici';
import { KazooUnavailableError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../domain/json.js';

export interface CrossbarClientOptions {
  /** Crossbar's base URL with its version, e.g. `http://kazoo:8000/v2`. */
  baseUrl: string;
  timeoutMs: number;
  /** Largest answer read (the descendants of a big tree come in pages). */
  maxResponseBytes?: number;
  userAgent: string;
}

export interface CrossbarReply {
  status: number;
  /** The parsed JSON answer; null when it was not JSON. */
  body: JsonValue | null;
}

export interface CrossbarRequest {
  token?: string;
  /** Sent as Crossbar's envelope `{"data": …}`. */
  data?: JsonValue;
  query?: Readonly<Record<string, string>>;
}

const defaultMaxBytes = 8 * 1024 * 1024;

function describe(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: unknown };
  if (
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    err.code === 'UND_ERR_CONNECT_TIMEOUT' ||
    err.code === 'UND_ERR_HEADERS_TIMEOUT'
  ) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (typeof err.code === 'string' && err.code.startsWith('E')) return `${err.code.toLowerCase()}${err.message ? ` (${err.message})` : ''}`;
  if (err.cause !== undefined && err.cause !== error) return describe(err.cause, timeoutMs);
  return err.message ?? String(error);
}

/** Crossbar's error envelope `message` (or the status) for logs and errors. */
export function replyMessage(reply: CrossbarReply): string {
  const body = reply.body;
  if (isJsonObject(body) && typeof body['message'] === 'string') return `${reply.status} ${body['message']}`;
  return String(reply.status);
}

/** The envelope's `data` when it is an object. */
export function replyData(reply: CrossbarReply): JsonObject | null {
  return isJsonObject(reply.body) && isJsonObject(reply.body['data']) ? reply.body['data'] : null;
}

export class CrossbarClient {
  private readonly agent: Agent;
  private readonly base: string;
  private readonly maxBytes: number;

  constructor(private readonly options: CrossbarClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.maxBytes = options.maxResponseBytes ?? defaultMaxBytes;
    this.agent = new Agent({
      connections: 16,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /** `path` is relative to the base URL (`/auth/tokeninfo`); its segments must already be safe. */
  async request(method: 'GET' | 'PUT' | 'POST', path: string, options: CrossbarRequest = {}): Promise<CrossbarReply> {
    const url = new URL(`${this.base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, accept: 'application/json' };
    if (options.token !== undefined) headers['x-auth-token'] = options.token;
    let body: string | undefined;
    if (options.data !== undefined) {
      body = JSON.stringify({ data: options.data });
      headers['content-type'] = 'application/json';
    }
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await request(url, { method, headers, body: body ?? null, dispatcher: this.agent, signal });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBytes) {
          response.body.destroy();
          throw new KazooUnavailableError(`${method} ${path} answered more than ${this.maxBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: JsonValue | null = null;
      try {
        parsed = text === '' ? null : (JSON.parse(text) as JsonValue);
      } catch {
        parsed = null;
      }
      return { status: response.statusCode, body: parsed };
    } catch (error) {
      if (error instanceof KazooUnavailableError) throw error;
      throw new KazooUnavailableError(`${method} ${path}: ${describe(error, this.options.timeoutMs)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
