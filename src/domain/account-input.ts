/** Checks on account documents that JSON schema cannot express (pure). */
import type { ValidationDetails } from '../errors.js';
import type { JsonObject } from './json.js';

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function accountProblems(doc: JsonObject): ValidationDetails {
  const zone = doc['timezone'];
  if (typeof zone === 'string' && !isValidTimeZone(zone)) {
    return { timezone: { enum: { message: 'Value is not a known IANA time zone', value: zone } } };
  }
  return {};
}
