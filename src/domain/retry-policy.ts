/**
 * When to try a failed delivery again (pure: the random source is passed in).
 * A hook's `retries` is the number of retries after the first attempt. The wait before retry N
 * is entry N-1 of the schedule (the last entry repeats), with a small jitter so a burst of
 * failures does not come back as a burst. A receiver's Retry-After (429/503) is honoured up to a
 * cap, and never shortens the scheduled wait: an overloaded receiver gets at least the schedule.
 */

export interface AttemptResult {
  /** HTTP status when a response came back. */
  status?: number;
  /** Seconds, from a Retry-After header, when the receiver sent one. */
  retryAfterSeconds?: number;
}

export interface RetryInput {
  /** Attempts made so far, the failed one included (1 after the first attempt). */
  attemptsMade: number;
  retries: number;
  /** Delays in seconds between attempts. */
  schedule: readonly number[];
  /** No wait is shorter (a hook stored before the floor existed may still hold zeros). */
  minDelaySeconds?: number;
  result: AttemptResult;
  /** Uniform in [0, 1). */
  random: () => number;
  /** ± fraction of the delay. */
  jitter?: number;
  maxRetryAfterSeconds?: number;
}

export function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/** Delay in milliseconds before the next attempt, or null when no retry is left. */
export function nextRetryDelayMs(input: RetryInput): number | null {
  if (input.attemptsMade > input.retries || input.schedule.length === 0) return null;
  const index = Math.min(input.attemptsMade - 1, input.schedule.length - 1);
  const scheduled = Math.max(input.schedule[index] ?? 0, input.minDelaySeconds ?? 0);
  let seconds = scheduled;
  const { status, retryAfterSeconds } = input.result;
  if ((status === 429 || status === 503) && retryAfterSeconds !== undefined) {
    seconds = Math.max(scheduled, Math.min(retryAfterSeconds, input.maxRetryAfterSeconds ?? 3600));
  }
  const jitter = input.jitter ?? 0.1;
  const factor = 1 + jitter * (2 * input.random() - 1);
  return Math.max(0, Math.round(seconds * 1000 * factor));
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}
