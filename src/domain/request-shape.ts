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

/**
 * What a request carries: the payload, and its JSON text when the caller has it (JSON.stringify of
 * it). `payload` is read only when the text will not do, so a stored delivery's may be parsed lazily.
 */
export interface PayloadSource {
  readonly payload: JsonObject;
  readonly payloadJson?: string | undefined;
}

export function shapeRequest(hook: HookRequestSettings, source: PayloadSource): ShapedRequest {
  const method = methods[hook.http_verb];
  if (method === 'GET') return { method, url: appendQuery(hook.uri, toQueryString(source.payload)) };
  if (hook.format === 'json') {
    // Kazoo pretty-prints (jiffy `pretty`); compact JSON is the same document to any JSON parser.
    return { method, url: hook.uri, contentType: 'application/json', body: source.payloadJson ?? JSON.stringify(source.payload) };
  }
  return { method, url: hook.uri, contentType: 'application/x-www-form-urlencoded', body: toQueryString(source.payload) };
}
