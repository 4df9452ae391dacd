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

function tokenOf(header: string | undefined, query: unknown, authorization: string | undefined): string {
  if (header !== undefined && header !== '') return header;
  if (typeof query === 'string' && query !== '') return query;
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i);
  return bearer?.[1] ?? '';
}

export function requestContext(log: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-ID');
    ctx.state.requestId = saneRequestId.test(given) ? given : randomBytes(16).toString('hex');
    ctx.set('X-Request-ID', ctx.state.requestId);
    ctx.state.log = log.child({ request_id: ctx.state.requestId });
    ctx.state.authToken = tokenOf(ctx.get('X-Auth-Token') || undefined, ctx.query['auth_token'], ctx.get('Authorization') || undefined);
    if (ctx.path.length > 1 && ctx.path.endsWith('/')) ctx.path = ctx.path.replace(/\/+$/, '') || '/';
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // Answered before its body came in (refused before it was read, or it never finished): close
      // the connection rather than drain a body nobody wants, which could be endless.
      const unread = !ctx.req.complete;
      if (unread) ctx.set('Connection', 'close');
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info(
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
