/**
 * Per-request basics: the request id (the client's X-Request-ID when it is sane, else a fresh one,
 * echoed in the response header and envelope), a child logger, the caller's token as sent, the
 * trailing slash some SDKs add (`…/webhooks/`) folded away before routing, and one log line per
 * request (with the body bytes read, when a route read them).
 */
import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../state.js';

const saneRequestId = /^[\w.:@-]{1,128}$/;

/** Probed every few seconds by orchestrators and scrapers: a line each would drown the log. */
const quietPaths = new Set(['/health', '/metrics']);

export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

// `[ \t]+` then `\S`: the two cannot match the same character, so nothing backtracks.
const bearerToken = /^Bearer[ \t]+(\S.*)$/i;

function tokenOf(header: string | undefined, query: unknown, authorization: string | undefined): string {
  if (header !== undefined && header !== '') return header;
  if (typeof query === 'string' && query !== '') return query;
  return (authorization === undefined ? undefined : bearerToken.exec(authorization)?.[1]) ?? '';
}

/**
 * `/webhooks///` → `/webhooks`, by walking back from the end: `/\/+$/` would be quadratic on a
 * path of thousands of slashes that does not end in one run of them.
 */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 0x2f) end -= 1;
  return path.slice(0, end);
}

export function requestContext(log: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-ID');
    ctx.state.requestId = saneRequestId.test(given) ? given : newRequestId();
    ctx.set('X-Request-ID', ctx.state.requestId);
    ctx.state.log = log.child({ request_id: ctx.state.requestId });
    ctx.state.authToken = tokenOf(ctx.get('X-Auth-Token') || undefined, ctx.query['auth_token'], ctx.get('Authorization') || undefined);
    if (ctx.path.length > 1 && ctx.path.endsWith('/')) ctx.path = withoutTrailingSlashes(ctx.path);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // Answered before its body came in (refused before it was read, or it never finished): close
      // the connection rather than drain a body nobody wants, which could be endless.
      const unread = !ctx.req.complete;
      if (unread) ctx.set('Connection', 'close');
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = quietPaths.has(ctx.path) && ctx.status < 500 ? 'debug' : 'info';
      ctx.state.log[level](
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
          ...(ctx.state.bodyBytes !== undefined ? { body_bytes: ctx.state.bodyBytes } : {}),
          ...(unread ? { body_unread: true } : {}),
        },
        'request',
      );
    }
  };
}
