/** Checks on account documents that JSON schema cannot express (pure). */
import type { ValidationDetails } from '../errors.js';
import { isTimeZone } from './calls/zoned-time.js';
import type { JsonObject } from './json.js';

export function accountProblems(doc: JsonObject): ValidationDetails {
  const zone = doc['timezone'];
  if (typeof zone === 'string' && !isTimeZone(zone)) {
    return { timezone: { enum: { message: 'Value is not a known IANA time zone', value: zone } } };
  }
  return {};
}
