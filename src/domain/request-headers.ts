/**
 * `custom_request_headers` (Monster UI's webhooks app 5.4.2+ writes it; Kazoo 4.3 has no such
 * field, so its rules are callhook's): a flat object of header names to values sent with every
 * delivery and ping. Names must be HTTP tokens, values printable ASCII (no CR/LF or other control
 * characters), a bounded count and size, and none may replace a header callhook sets itself
 * (framing, routing, Kazoo's X-Hook-ID / X-Account-ID, the signatures). Pure.
 */
import type { ValidationDetails } from '../errors.js';
import { isJsonObject, type JsonValue } from './json.js';

export const maxCustomHeaders = 20;
export const maxCustomHeaderNameLength = 64;
export const maxCustomHeaderValueLength = 1024;
/** Names and values together, in characters (all ASCII, so bytes too). */
export const maxCustomHeadersSize = 8192;

/** Lower-cased names a hook may not set: callhook writes them, or HTTP framing depends on them. */
export const deniedRequestHeaders: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'x-hook-id',
  'x-account-id',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-webhook-signature',
]);

// RFC 9110 token characters; a leading `$` is refused too (document keys, as everywhere else).
const namePattern = /^[!#%&'*+.^_`|~0-9A-Za-z-][!#$%&'*+.^_`|~0-9A-Za-z-]*$/;
// Printable ASCII and horizontal tab: no CR, LF, NUL or other control characters.
const valuePattern = /^[\t\x20-\x7e]*$/;

function nameProblem(name: string): Record<string, Record<string, unknown>> | null {
  if (name.length === 0 || name.length > maxCustomHeaderNameLength || !namePattern.test(name)) {
    return {
      pattern: {
        message: `header names are 1 to ${maxCustomHeaderNameLength} HTTP token characters (letters, digits, !#$%&'*+-.^_\`|~)`,
        value: name,
      },
    };
  }
  if (deniedRequestHeaders.has(name.toLowerCase())) {
    return { forbidden: { message: 'callhook sets this header itself; it cannot be overridden', value: name } };
  }
  return null;
}

function valueProblem(value: JsonValue | undefined): Record<string, Record<string, unknown>> | null {
  if (typeof value !== 'string') {
    return { type: { message: 'Value did not match type(s): string', target: 'string', value: value ?? null } };
  }
  if (value.length > maxCustomHeaderValueLength) {
    return {
      maxLength: {
        message: `String must not be more than ${maxCustomHeaderValueLength} characters`,
        target: maxCustomHeaderValueLength,
      },
    };
  }
  if (!valuePattern.test(value)) {
    return { pattern: { message: 'header values are printable ASCII: no CR, LF or other control characters', value } };
  }
  return null;
}

/** Write-time check of a hook document's `custom_request_headers`, keyed like schema errors. */
export function customHeaderProblems(value: JsonValue | undefined): ValidationDetails {
  if (value === undefined) return {};
  const field = 'custom_request_headers';
  if (!isJsonObject(value)) {
    return { [field]: { type: { message: 'Value did not match type(s): object', target: 'object', value } } };
  }
  const problems: ValidationDetails = {};
  const entries = Object.entries(value);
  if (entries.length > maxCustomHeaders) {
    problems[field] = { maxProperties: { message: `at most ${maxCustomHeaders} headers`, target: maxCustomHeaders } };
  }
  const seen = new Set<string>();
  let size = 0;
  for (const [name, headerValue] of entries) {
    const key = `${field}.${name.replace(/\./g, '%2E')}`;
    const problem = nameProblem(name) ?? valueProblem(headerValue);
    if (problem !== null) {
      problems[key] = problem;
      continue;
    }
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      problems[key] = { unique: { message: 'the same header name appears twice (names are case-insensitive)', value: name } };
    }
    seen.add(lower);
    size += name.length + String(headerValue).length;
  }
  if (size > maxCustomHeadersSize) {
    problems[field] = {
      ...(problems[field] ?? {}),
      maxSize: { message: `header names and values add up to more than ${maxCustomHeadersSize} characters`, target: maxCustomHeadersSize },
    };
  }
  return problems;
}

/**
 * The headers to send. Write-time checks keep bad ones out of new hooks; a document stored before
 * those checks (or written around the API) may still hold one, so anything that would not pass
 * them is left out here rather than sent or allowed to break the request.
 */
export function customRequestHeaders(value: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  const seen = new Set<string>();
  let size = 0;
  for (const [name, headerValue] of Object.entries(value)) {
    if (typeof headerValue !== 'string' || nameProblem(name) !== null || valueProblem(headerValue) !== null) continue;
    const lower = name.toLowerCase();
    size += name.length + headerValue.length;
    if (seen.has(lower) || seen.size >= maxCustomHeaders || size > maxCustomHeadersSize) continue;
    seen.add(lower);
    out[name] = headerValue;
  }
  return out;
}
