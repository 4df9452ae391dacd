/**
 * Crossbar parses request bodies as JSON whatever the Content-Type says: curl's `-d` sends
 * `application/x-www-form-urlencoded`, and the docs' own examples rely on that. So every body is
 * read (DELETE included: Monster UI sends one) and parsed as JSON; a bad one is a 400 in Crossbar's
 * `json`/`invalid` shape.
 *
 * This is route middleware, placed after authentication (the `accountId` param handler runs before
 * it), so nobody without a valid token makes callhook read, scan or parse a byte of a body. A
 * client that sent `Expect: 100-continue` is only invited to send its body here.
 */
import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { nestingDepth } from '../../domain/json-limits.js';
import { BadRequestError, PayloadTooLargeError, ValidationError } from '../../errors.js';
import type { AppContext, AppState } from '../state.js';

function describeParseError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : 'invalid JSON';
  const position = /position (\d+)/.exec(message)?.[1] ?? String(text.length);
  return `${message.replace(/ in JSON at position \d+.*$/, '')} around ${position}`;
}

async function readText(ctx: AppContext, limitBytes: number): Promise<string> {
  if (ctx.get('Expect').toLowerCase() === '100-continue') ctx.res.writeContinue();
  try {
    return await getRawBody(ctx.req, { limit: limitBytes, encoding: 'utf8' });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw new PayloadTooLargeError(limitBytes);
    // The client went away or sent less than it announced: its fault, not a server error.
    if (type === 'request.aborted' || type === 'request.size.invalid') {
      throw new BadRequestError('request_aborted', { message: 'the request body ended before its announced length' });
    }
    throw error;
  }
}

export function jsonBody(limits: { bodyLimitBytes: number; jsonLimits: { maxDepth: number } }): Middleware<AppState> {
  const maxDepth = limits.jsonLimits.maxDepth;
  return async (ctx, next) => {
    const text = await readText(ctx, limits.bodyLimitBytes);
    ctx.state.bodyBytes = Buffer.byteLength(text);
    if (text.trim() !== '') {
      // Checked on the text, so no parser or validator ever walks an absurdly deep document.
      if (nestingDepth(text, maxDepth) > maxDepth) {
        throw ValidationError.single('json', 'invalid', { message: `nested more than ${maxDepth} levels deep`, target: 'body' });
      }
      try {
        ctx.state.body = JSON.parse(text) as unknown;
      } catch (error) {
        throw ValidationError.single('json', 'invalid', { message: describeParseError(error, text), target: 'body' });
      }
    }
    return next();
  };
}
