/**
 * Payload → `application/x-www-form-urlencoded` text, in the bracket style Kazoo uses
 * (`kz_http_util:json_to_querystring`): pairs in the payload's key order, `k[a]=1` for objects,
 * `k[]=x` for lists of scalars, values with bytes [A-Za-z0-9._~-] kept, space as `+`, every other
 * UTF-8 byte as upper-case `%XX`, booleans as `true`/`false`.
 *
 * Where Kazoo 4.3 is wrong, callhook differs:
 * - keys are percent-encoded like values (Kazoo sends them raw); the brackets stay literal;
 * - floats are written as JavaScript prints them (`1234.5`; Kazoo truncates its scientific
 *   notation, `1234.5` → `1.23`);
 * - `null` is sent as an empty value, `k=` (Kazoo's encoder crashes and the hook is not sent);
 * - an empty object or empty list is left out (Kazoo emits an empty segment: `a=1&&b=2`);
 * - a list holding objects or lists is indexed, `k[0][a]=1&k[0][b]=2`, `k[1][]=x` (Kazoo crashes);
 *   lists of scalars keep Kazoo's `k[]=x`.
 */
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/** What encodeURIComponent leaves alone but Kazoo's encoder escapes. */
const alsoEscaped = /[!'()*]/g;
const escapeOne = (char: string): string => `%${char.charCodeAt(0).toString(16).toUpperCase()}`;

/**
 * encodeURIComponent already writes UTF-8 bytes as upper-case %XX and keeps [A-Za-z0-9_.~-] and
 * !'()*; Kazoo's set is the same minus those five, and space as `+`. Native and linear: a megabyte
 * of text costs a few megabytes while it is encoded, where a character-by-character loop cost tens.
 * A lone surrogate (not UTF-8 encodable) becomes U+FFFD first, as a TextEncoder would write it.
 */
export function formEncode(text: string): string {
  // String#toWellFormed is in Node 20 (ES2024), ahead of the ES2023 library the project targets.
  const wellFormed = (text as string & { toWellFormed(): string }).toWellFormed();
  return encodeURIComponent(wellFormed).replace(alsoEscaped, escapeOne).replace(/%20/g, '+');
}

function scalarText(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'string') return formEncode(value);
  // String(number) is JavaScript's shortest round-trip form: 1234.5, 1e+21 (the `+` gets encoded).
  return formEncode(String(value));
}

function isScalar(value: JsonValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

/** Appends `name=value` pairs for one value under an already encoded key path. */
function encodeValue(path: string, value: JsonValue, pairs: string[]): void {
  if (isScalar(value)) {
    pairs.push(`${path}=${scalarText(value)}`);
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) encodeValue(`${path}[${formEncode(key)}]`, item, pairs);
  } else if (value.every(isScalar)) {
    for (const item of value) encodeValue(`${path}[]`, item, pairs);
  } else {
    value.forEach((item, index) => encodeValue(`${path}[${index}]`, item, pairs));
  }
}

export function toQueryString(payload: JsonObject): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(payload)) encodeValue(formEncode(key), value, pairs);
  return pairs.join('&');
}
