/**
 * Wall-clock time in an IANA time zone with Intl (no time zone database of our own): ISO 8601
 * with milliseconds and the zone's offset at that instant, and the weekday and minute of day
 * business hours are judged by.
 */

/**
 * UTC, the default zone, is read without Intl: the first Intl time-zone formatter maps ICU's zone
 * and locale data (about 6 MB resident, for the life of the process), which a deployment that
 * never formats a time in another zone need not carry.
 */
const utc = 'UTC';

export function isTimeZone(name: string): boolean {
  if (name === utc) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function utcWallClock(ms: number): WallClock {
  const at = new Date(ms);
  return {
    year: at.getUTCFullYear(),
    month: at.getUTCMonth() + 1,
    day: at.getUTCDate(),
    hour: at.getUTCHours(),
    minute: at.getUTCMinutes(),
    second: at.getUTCSeconds(),
    weekday: at.getUTCDay(),
    offsetMinutes: 0,
  };
}

export function wallClock(ms: number, timeZone: string): WallClock {
  if (timeZone === utc) return utcWallClock(ms);
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const clock = {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
    weekday: weekdays.indexOf(parts['weekday'] ?? ''),
  };
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  const offsetMinutes = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  return { ...clock, offsetMinutes };
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** `2011-01-01T01:11:00.000-02:00` */
export function isoInZone(ms: number, timeZone: string): string {
  const c = wallClock(ms, timeZone);
  const sign = c.offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.trunc(Math.abs(c.offsetMinutes) / 60))}:${pad(Math.abs(c.offsetMinutes) % 60)}`;
  const millis = pad(((ms % 1000) + 1000) % 1000, 3);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}T${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}.${millis}${offset}`;
}
