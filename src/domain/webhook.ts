/**
 * A webhook as the API stores it: Kazoo's public fields with schema defaults applied, plus any
 * unknown properties the client sent (Kazoo keeps them). `schemas/webhooks.json` is the source of
 * truth for the rules; test/domain/webhook-schema.test.ts checks this type's keys against it.
 */
import type { JsonObject } from './json.js';

export type HttpVerb = 'get' | 'post' | 'put';
export type BodyFormat = 'form-data' | 'json';

export interface WebhookDoc extends JsonObject {
  name: string;
  uri: string;
  hook: string;
  http_verb: HttpVerb;
  format: BodyFormat;
  retries: number;
  enabled: boolean;
  include_internal_legs: boolean;
}

/** What delivery needs to know about one hook (a stored record, flattened). */
export interface Webhook {
  id: string;
  accountId: string;
  doc: WebhookDoc;
  disabledReason: string | null;
}

/** Optional fields read through these accessors so absent values get Kazoo's meaning. */
export function includeSubaccounts(doc: JsonObject): boolean {
  return doc['include_subaccounts'] === true;
}

export function customData(doc: JsonObject): Record<string, string> {
  const value = doc['custom_data'];
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') out[key] = item;
  }
  return out;
}
