/**
 * A hook's verb and format → the HTTP request Kazoo's `webhooks_util:do_fire` would make.
 * Despite its name, `form-data` is URL-encoded (as in Kazoo), never multipart.
 */
import type { WebhookSettings } from './webhook.js';
import { toQueryString } from './form-encoding.js';
import type { JsonObject } from './json.js';

export type HookRequestSettings = Pick<WebhookSettings, 'uri' | 'http_verb' | 'format'>;

export interface ShapedRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  contentType?: string;
  body?: string;
}

const methods: Readonly<Record<WebhookSettings['http_verb'], ShapedRequest['method']>> = { get: 'GET', post: 'POST', put: 'PUT' };

/**
 * Adds the query to a URI that may already have one (Kazoo appends `?` blindly and produces
 * `…?a=1?b=2`). The query goes before any `#fragment`, which stays where it was.
 */
export function appendQuery(uri: string, query: string): string {
  if (query === '') return uri;
  const hashAt = uri.indexOf('#');
  const base = hashAt === -1 ? uri : uri.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : uri.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${query}${fragment}`;
}

/** `payloadJson`: the payload already serialized (JSON.stringify of it), when the caller has it. */
export function shapeRequest(hook: HookRequestSettings, payload: JsonObject, payloadJson?: string): ShapedRequest {
  const method = methods[hook.http_verb];
  if (method === 'GET') return { method, url: appendQuery(hook.uri, toQueryString(payload)) };
  if (hook.format === 'json') {
    // Kazoo pretty-prints (jiffy `pretty`); compact JSON is the same document to any JSON parser.
    return { method, url: hook.uri, contentType: 'application/json', body: payloadJson ?? JSON.stringify(payload) };
  }
  return { method, url: hook.uri, contentType: 'application/x-www-form-urlencoded', body: toQueryString(payload) };
}
