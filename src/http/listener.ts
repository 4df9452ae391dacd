/**
 * The Node HTTP server around the Koa app. Slow clients cannot hold sockets: the headers must
 * arrive within the headers timeout and the whole request within the request timeout, and idle
 * keep-alive connections are closed. Node enforces the first two on a timer (every 30 s by
 * default, so a 10 s limit could hold for 40 s); here it looks at least once a second.
 *
 * Requests Node refuses before Koa sees them (headers too large, not HTTP, too slow) still get
 * Crossbar's error envelope, and `Expect: 100-continue` is left to the body reader, so a client
 * is invited to send its body only once its token has been checked.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { errorBody, type EnvelopeSettings } from './envelope.js';
import { newRequestId } from './middleware/request-context.js';

export interface ServerTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

interface Refusal {
  status: number;
  message: string;
  reason: string;
}

/** Node's parser and timeout error codes → what the client is told. */
const refusals: Readonly<Record<string, Refusal>> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'request_header_fields_too_large', reason: 'the request line and headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'request_timeout', reason: 'the request did not arrive in time' },
};
const malformed: Refusal = { status: 400, message: 'bad_request', reason: 'the request is not valid HTTP' };

function rawResponse(settings: EnvelopeSettings, refusal: Refusal): string {
  const body = JSON.stringify(
    errorBody(settings, {
      status: refusal.status,
      message: refusal.message,
      data: { message: refusal.reason },
      requestId: newRequestId(),
      authToken: '',
    }),
  );
  const head = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

/** Koa's `app.callback()`: it answers its own errors, so its promise never rejects. */
type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createHttpServer(koa: Handler, timeouts: ServerTimeouts, settings: EnvelopeSettings, log: Logger): Server {
  const handler = (req: IncomingMessage, res: ServerResponse): void => void koa(req, res);
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
    },
    handler,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  // With a listener, Node no longer answers 100 Continue by itself: the body reader does.
  server.on('checkContinue', handler);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code ?? '';
    log.debug({ code, reason: error.message }, 'request refused before routing');
    // As Node's own handler does: answer only when nothing of a response has gone out yet, so a
    // half-written answer is never corrupted.
    const inFlight = (socket as { _httpMessage?: ServerResponse })._httpMessage;
    if (code !== 'ECONNRESET' && socket.writable && inFlight?.headersSent !== true) {
      socket.write(rawResponse(settings, refusals[code] ?? malformed));
    }
    socket.destroy();
  });
  return server;
}
