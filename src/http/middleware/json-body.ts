/**
 * Crossbar parses request bodies as JSON whatever the Content-Type says: curl's `-d` sends
 * `application/x-www-form-urlencoded`, and the docs' own examples rely on that. So every body is
 * read (DELETE included: Monster UI sends one) and parsed as JSON; a bad one is a 400 in Crossbar's
 * `json`/`invalid` shape.
 */
import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { nestingDepth } from '../../domain/json-limits.js';
import { PayloadTooLargeError, ValidationError } from '../../errors.js';
import type { AppState } from '../state.js';

function describeParseError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : 'invalid JSON';
  const position = /position (\d+)/.exec(message)?.[1] ?? String(text.length);
  return `${message.replace(/ in JSON at position \d+.*$/, '')} around ${position}`;
}

export function jsonBody(limitBytes: number, maxDepth: number): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS') return next();
    let text: string;
    try {
      text = await getRawBody(ctx.req, { limit: limitBytes, encoding: 'utf8' });
    } catch (error) {
      if ((error as { type?: string }).type === 'entity.too.large') throw new PayloadTooLargeError(limitBytes);
      throw error;
    }
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
