/**
 * The one place errors become responses. AppErrors carry their status and Crossbar code; anything
 * else is a bug or an outage: logged with the request id, answered as a bare 500 that leaks nothing.
 */
import type { Middleware } from 'koa';
import { AppError } from '../errors.js';
import { writeError, type EnvelopeSettings } from './envelope.js';
import type { AppState } from './state.js';

export function errorMiddleware(settings: EnvelopeSettings): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof AppError) {
        if (error.status >= 500) ctx.state.log.error({ err: error }, 'request failed');
        else ctx.state.log.debug({ code: error.code, reason: error.message }, 'request refused');
        if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
        writeError(ctx, settings, error.status, error.code, error.details);
        return;
      }
      // Everything an operator needs to find the request again; the query string is left out as it
      // may carry the caller's auth_token.
      ctx.state.log.error(
        { err: error, method: ctx.method, path: ctx.path, account_id: ctx.state.account?.id ?? ctx.state.auth?.accountId },
        'unhandled error',
      );
      writeError(ctx, settings, 500, 'internal_server_error', { message: 'internal server error' });
    }
  };
}
