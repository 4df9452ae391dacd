/**
 * A hook and a payload → the exact request to send: Kazoo's shape (verb, encoding), Kazoo's
 * headers, the delivery id, and signatures when the hook has secrets. Shared by deliveries and
 * pings so both look the same to a receiver.
 */
import { attemptDoc } from '../../domain/attempt-log.js';
import { customRequestHeaders } from '../../domain/request-headers.js';
import { type PayloadSource, shapeRequest } from '../../domain/request-shape.js';
import { signatureHeaders } from '../../domain/signature.js';
import type { Webhook } from '../../domain/webhook.js';
import { liveSecrets } from '../../domain/webhook-secrets.js';
import { newTimeOrderedId } from '../../ids.js';
import type { AttemptRecord } from '../../storage/store.js';
import type { HttpOutcome, OutboundRequest } from './http-client.js';

export interface BuiltRequest {
  request: OutboundRequest;
  /** The body as signed and logged: the query string for GET. */
  loggedBody: string;
}

/** A JSON hook sends the source's text as it is, when it has one. */
export function buildOutboundRequest(hook: Webhook, source: PayloadSource, deliveryId: string, nowMs: number): BuiltRequest {
  const shaped = shapeRequest(hook.settings, source);
  const loggedBody = shaped.method === 'GET' ? new URL(shaped.url).search.slice(1) : (shaped.body ?? '');
  const headers: Record<string, string> = {
    // The hook's own headers first: none may name a header set below (see request-headers.ts).
    ...customRequestHeaders(hook.settings.custom_request_headers),
    'X-Hook-ID': hook.id,
    'X-Account-ID': hook.accountId,
    'webhook-id': deliveryId,
    ...(shaped.contentType !== undefined ? { 'Content-Type': shaped.contentType } : {}),
    ...signatureHeaders({
      id: deliveryId,
      timestampSeconds: Math.floor(nowMs / 1000),
      body: loggedBody,
      secrets: liveSecrets(hook.secrets, nowMs),
    }),
  };
  return {
    request: { method: shaped.method, url: shaped.url, headers, ...(shaped.body !== undefined ? { body: shaped.body } : {}) },
    loggedBody,
  };
}

const methods = { get: 'GET', post: 'POST', put: 'PUT' } as const;

/** What the attempts log shows for a request that was never built (its payload was refused). */
export function unbuiltRequest(hook: Webhook): BuiltRequest {
  return { request: { method: methods[hook.settings.http_verb], url: hook.settings.uri, headers: {} }, loggedBody: '' };
}

export interface AttemptContext {
  hookEvent: string;
  deliveryId: string;
  attempt: number;
  succeeded: boolean;
  retriesLeft: number;
  nextAttemptAt: Date | null;
  nowMs: number;
}

/** The attempts-log record of one request sent with buildOutboundRequest. */
export function attemptRecordFor(hook: Webhook, built: BuiltRequest, outcome: HttpOutcome, context: AttemptContext): AttemptRecord {
  return {
    id: newTimeOrderedId(context.nowMs),
    accountId: hook.accountId,
    hookId: hook.id,
    createdAt: new Date(context.nowMs),
    doc: attemptDoc({
      hookId: hook.id,
      hookEvent: context.hookEvent,
      deliveryId: context.deliveryId,
      attempt: context.attempt,
      // Kazoo logs the hook's uri without the GET query; the query is the request's body here.
      request: { method: built.request.method, uri: hook.settings.uri, headers: built.request.headers, body: built.loggedBody },
      response: outcome,
      succeeded: context.succeeded,
      retriesLeft: context.retriesLeft,
      nextAttemptAt: context.nextAttemptAt,
    }),
  };
}
