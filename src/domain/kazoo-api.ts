/**
 * Kazoo's AMQP message check (`kz_api:validate/4`), which every webhooks module runs before it
 * fires (a message that fails it crashes the handler, so nothing is sent): the default headers
 * (App-Name, App-Version, Event-Category, Event-Name, Msg-ID) and the API's required headers must
 * be present, the listed headers must have one of their allowed values when present, and typed
 * headers must have their type when present. Pure; returns the first problem in words, or null.
 */
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

export const defaultHeaders = ['App-Name', 'App-Version', 'Event-Category', 'Event-Name', 'Msg-ID'] as const;

export type HeaderType = 'string' | 'object' | 'boolean' | 'objects';

export interface KazooApiSpec {
  required: readonly string[];
  values?: Readonly<Record<string, string | readonly string[]>>;
  types?: Readonly<Record<string, HeaderType>>;
}

const typeChecks: Readonly<Record<HeaderType, (value: JsonValue) => boolean>> = {
  string: (value) => typeof value === 'string',
  object: (value) => isJsonObject(value),
  // kz_term:is_boolean accepts the words too.
  boolean: (value) => typeof value === 'boolean' || value === 'true' || value === 'false',
  objects: (value) => Array.isArray(value) && value.every(isJsonObject),
};

function defined(message: JsonObject, header: string): boolean {
  const value = message[header];
  return value !== undefined && value !== null;
}

export function kazooApiProblem(message: JsonObject, spec: KazooApiSpec): string | null {
  const missing = [...defaultHeaders, ...spec.required].filter((header) => !defined(message, header));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  for (const [header, allowed] of Object.entries(spec.values ?? {})) {
    if (!defined(message, header)) continue;
    const value = message[header];
    const list: readonly string[] = typeof allowed === 'string' ? [allowed] : allowed;
    if (typeof value !== 'string' || !list.includes(value)) return `${header} is ${JSON.stringify(value)}, not ${list.join(' or ')}`;
  }
  for (const [header, type] of Object.entries(spec.types ?? {})) {
    const value = message[header];
    if (value === undefined || value === null) continue;
    if (!typeChecks[type](value)) {
      return `${header} is not ${type === 'objects' ? 'a list of objects' : `a${type === 'object' ? 'n' : ''} ${type}`}`;
    }
  }
  return null;
}

/** A header as a non-empty string (kz_json:get_ne_binary_value), else undefined. */
export function neString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** kz_json:get_binary_value: strings as they are, numbers and booleans as text. */
export function asText(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
