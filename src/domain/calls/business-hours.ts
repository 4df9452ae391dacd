/**
 * An account's weekly opening hours (`business_hours`, a callhook account field): day names to
 * lists of `"HH:MM-HH:MM"` ranges in the account's time zone, e.g.
 * `{"mon": ["09:00-12:00", "13:00-18:00"], "sat": ["09:00-13:00"]}`. A day not listed is closed;
 * `"00:00-24:00"` is the whole day.
 */
import { isJsonObject, type JsonValue } from '../json.js';
import { wallClock } from './zoned-time.js';

export const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const rangePattern = '^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** `worktime`/`offtime` at `ms`, or null when the account has no schedule. */
export function businessHoursAt(schedule: JsonValue | undefined, ms: number, timeZone: string): 'worktime' | 'offtime' | null {
  if (!isJsonObject(schedule)) return null;
  const clock = wallClock(ms, timeZone);
  const ranges = schedule[dayNames[clock.weekday] ?? ''];
  if (!Array.isArray(ranges)) return 'offtime';
  const now = clock.hour * 60 + clock.minute;
  const open = ranges.some((range) => {
    if (typeof range !== 'string' || !new RegExp(rangePattern).test(range)) return false;
    const [start, end] = range.split('-') as [string, string];
    return now >= minutes(start) && now < minutes(end);
  });
  return open ? 'worktime' : 'offtime';
}
