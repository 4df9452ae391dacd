/** What middleware leaves on `ctx.state` for the handlers after it. */
import type { Logger } from 'pino';
import type { ParameterizedContext } from 'koa';
import type { RouterContext } from '@koa/router';
import type { JsonObject } from '../domain/json.js';
import type { AuthContext } from '../services/auth-service.js';
import type { AccountRecord } from '../storage/store.js';

export interface AppState {
  requestId: string;
  log: Logger;
  /** The token as sent (header or query), '' when none; echoed in every envelope. */
  authToken: string;
  /** The parsed JSON body, undefined when the request had none. */
  body?: unknown;
  /** Bytes of body read; undefined until the route's body middleware has read it (after authentication). */
  bodyBytes?: number;
  auth?: AuthContext;
  /** The account named in the path, after authorisation. */
  account?: AccountRecord;
}

export type AppContext = ParameterizedContext<AppState>;
export type RouteContext = RouterContext<AppState>;

/** Crossbar reads only the envelope's `data`; a body without one means no fields. */
export function requestData(ctx: { state: AppState }): JsonObject {
  // A route that forgot its body middleware would otherwise see every request as empty.
  if (ctx.state.bodyBytes === undefined) throw new Error('request data read on a route without the jsonBody middleware');
  const body = ctx.state.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const data = (body as JsonObject)['data'];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  return data;
}

/** The authenticated caller; a route reaching this without the auth middleware is a wiring bug. */
export function authOf(ctx: { state: AppState }): AuthContext {
  const auth = ctx.state.auth;
  if (auth === undefined) throw new Error('route without authentication');
  return auth;
}
