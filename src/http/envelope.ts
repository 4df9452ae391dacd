/**
 * Crossbar's response envelope, written in one place. The Content-Type is exactly
 * `application/json` (no charset): Monster UI only parses error bodies with that exact value.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { JsonValue } from '../domain/json.js';
import type { AppContext } from './state.js';

export interface EnvelopeSettings {
  version: string;
  /** Opaque node id, as Kazoo's base64url(md5(node name)). */
  node: string;
}

export function nodeId(name = hostname()): string {
  return createHash('md5').update(name).digest('base64url');
}

export interface PageFields {
  pageSize?: number;
  startKey?: string;
  nextStartKey?: string;
}

/** Seconds-precision UTC, as Crossbar prints it. */
function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function send(ctx: AppContext, status: number, body: Record<string, unknown> | JsonValue): void {
  ctx.status = status;
  ctx.set('Content-Type', 'application/json');
  ctx.body = JSON.stringify(body);
}

/** Another Crossbar's answer (Kazoo's, in integrated mode) passed on as it came: its status and body. */
export function writeForwarded(ctx: AppContext, status: number, body: JsonValue): void {
  send(ctx, status, body);
}

export function writeSuccess(
  ctx: AppContext,
  settings: EnvelopeSettings,
  data: JsonValue,
  options: { status?: number; revision?: string; page?: PageFields } = {},
): void {
  const revision =
    options.revision ??
    (Array.isArray(data) && data.length === 0 ? undefined : createHash('md5').update(JSON.stringify(data)).digest('hex'));
  const body: Record<string, unknown> = {
    auth_token: ctx.state.authToken,
    status: 'success',
    request_id: ctx.state.requestId,
    node: settings.node,
    version: settings.version,
    timestamp: timestamp(),
  };
  if (revision !== undefined) {
    body['revision'] = revision;
    ctx.set('ETag', `"${revision}"`);
  }
  const page = options.page;
  if (page?.pageSize !== undefined) body['page_size'] = page.pageSize;
  if (page?.startKey !== undefined) body['start_key'] = page.startKey;
  if (page?.nextStartKey !== undefined) body['next_start_key'] = page.nextStartKey;
  body['data'] = data;
  send(ctx, options.status ?? 200, body);
}

export interface ErrorFields {
  status: number;
  /** Crossbar's error token (`invalid_credentials`, `too_many_requests` …). */
  message: string;
  data: unknown;
  requestId: string;
  authToken: string;
}

/** Crossbar's error envelope; also written raw for requests Node refuses before Koa sees them. */
export function errorBody(settings: EnvelopeSettings, fields: ErrorFields): Record<string, unknown> {
  return {
    auth_token: fields.authToken,
    request_id: fields.requestId,
    node: settings.node,
    version: settings.version,
    timestamp: timestamp(),
    status: 'error',
    message: fields.message,
    error: String(fields.status),
    data: fields.data,
  };
}

export function writeError(ctx: AppContext, settings: EnvelopeSettings, status: number, message: string, data: unknown): void {
  send(ctx, status, errorBody(settings, { status, message, data, requestId: ctx.state.requestId, authToken: ctx.state.authToken ?? '' }));
}
