/**
 * Times in query parameters: Kazoo's Gregorian seconds (`63911462400`), as Crossbar takes them, or
 * ISO 8601 with a date, an optional time and a zone (`2026-01-30`, `2026-01-30T14:05:00Z`,
 * `2026-01-30T14:05:00.250-03:00`). A time without a zone is refused rather than guessed.
 * Pure: returns milliseconds since the epoch with the precision the text carries.
 */
import { gregorianToUnixMs, unixMsToGregorian } from './call-event.js';

/** A refusal says whether the value was no time at all, or a time before or after the range. */
export type TimeParam =
  | { ok: true; ms: number; precision: 'second' | 'millisecond' }
  | { ok: false; problem: string; bound?: { side: 'minimum' | 'maximum'; gregorian: number } };

const iso = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Year 2000 to 2999: far enough either way for a delivery log, and it catches unit mistakes. */
const earliestMs = Date.UTC(2000, 0, 1);
const latestMs = Date.UTC(3000, 0, 1);

export const timeParamHelp = 'Gregorian seconds, or ISO 8601 like 2026-01-30 or 2026-01-30T14:05:00Z';

export function parseTimeParam(text: string): TimeParam {
  let ms: number;
  let precision: 'second' | 'millisecond' = 'second';
  if (/^-?\d{1,30}$/.test(text)) {
    ms = gregorianToUnixMs(Number(text));
  } else {
    const match = iso.exec(text);
    if (match === null) return { ok: false, problem: `not a time: expected ${timeParamHelp}` };
    const [, year, month, day, hour, , , fraction, zone] = match;
    if (hour !== undefined && zone === undefined) {
      return { ok: false, problem: 'the time has no zone: add Z or an offset such as -03:00' };
    }
    const normalised = hour === undefined ? `${text}T00:00:00Z` : text;
    ms = Date.parse(normalised);
    // Date.parse rolls 2026-02-31 over to March: a day past the month's last is not a date.
    const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
    if (Number.isNaN(ms) || Number(day) < 1 || Number(day) > daysInMonth) {
      return { ok: false, problem: `not a valid date or time: ${text}` };
    }
    if (fraction !== undefined) precision = 'millisecond';
  }
  if (ms < earliestMs) {
    const gregorian = unixMsToGregorian(earliestMs);
    return {
      ok: false,
      problem: `out of range: between the years 2000 and 2999 (at least ${gregorian})`,
      bound: { side: 'minimum', gregorian },
    };
  }
  if (ms >= latestMs) {
    const gregorian = unixMsToGregorian(latestMs) - 1;
    return {
      ok: false,
      problem: `out of range: between the years 2000 and 2999 (at most ${gregorian})`,
      bound: { side: 'maximum', gregorian },
    };
  }
  return { ok: true, ms, precision };
}
