/**
 * The numeric headers of a Kazoo call event that callhook computes with, and the range each must
 * fall in. The schema only says "an integer, or digits in a string" (Kazoo 3.x sent numbers as
 * strings); a value far outside these ranges (a Timestamp in the year 30,000) would make dates
 * invalid deep in the pipeline, so it is refused where the event comes in, with the field named.
 */
import type { ValidationDetails } from '../errors.js';
import { toInteger } from './call-event.js';
import type { JsonObject } from './json.js';

/** Gregorian seconds of 1970-01-01 and of 3000-01-01. */
const gregorian1970 = 62_167_219_200;
const gregorian3000 = gregorian1970 + 32_503_680_000;
const yearSeconds = 31_536_000;

const ranges: ReadonlyArray<readonly [string, number, number]> = [
  ['Timestamp', gregorian1970, gregorian3000],
  // Unix microseconds, 1970 to the largest exact number (the year 2255).
  ['Channel-Created-Time', 0, Number.MAX_SAFE_INTEGER],
  ['Duration-Seconds', 0, yearSeconds],
  ['Billing-Seconds', 0, yearSeconds],
  ['Ringing-Seconds', 0, yearSeconds],
  // Milliseconds of a recording, and a DTMF tone's duration: a day is plenty.
  ['Length', 0, 86_400_000],
  ['DTMF-Duration', 0, 86_400_000],
];

export function eventRangeProblems(message: JsonObject): ValidationDetails {
  const problems: ValidationDetails = {};
  for (const [field, minimum, maximum] of ranges) {
    const raw = message[field];
    if (raw === undefined || raw === null) continue;
    const value = toInteger(raw);
    if (value === undefined || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
      const keyword = value !== undefined && value < minimum ? 'minimum' : 'maximum';
      const limit = keyword === 'minimum' ? minimum : maximum;
      problems[field] = {
        [keyword]: { message: `Value must be ${keyword === 'minimum' ? 'at least' : 'at most'} ${limit}`, target: limit, value: raw },
      };
    }
  }
  return problems;
}
