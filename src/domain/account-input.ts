/** Checks on account documents that JSON schema cannot express (pure). */
import type { ValidationDetails } from '../errors.js';
import { isTimeZone } from './calls/zoned-time.js';
import type { JsonObject } from './json.js';
import { parseCidr } from './networks.js';

/** Fields only the master account may set or change (they widen what an account may do). */
export const masterOnlyAccountFields = ['allowed_networks', 'trusted_event_source'] as const;

export function accountProblems(doc: JsonObject): ValidationDetails {
  const problems: ValidationDetails = {};
  const zone = doc['timezone'];
  if (typeof zone === 'string' && !isTimeZone(zone)) {
    problems['timezone'] = { enum: { message: 'Value is not a known IANA time zone', value: zone } };
  }
  const networks = doc['allowed_networks'];
  if (Array.isArray(networks)) {
    const bad = networks.filter((entry) => typeof entry === 'string' && parseCidr(entry) === null);
    if (bad.length > 0) {
      problems['allowed_networks'] = {
        format: {
          message: 'each entry must be an address range in CIDR notation, such as 10.20.0.0/16 or fd00::/8',
          value: bad[0] ?? null,
        },
      };
    }
  }
  return problems;
}
