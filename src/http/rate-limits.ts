/**
 * Per-account rate limits on what one request can make callhook do a lot of: posting events
 * (fan-out to every matching hook), pinging a hook (an outbound request), recovering a hook (up to
 * 10,000 deliveries again). Keyed by the token's account, so sub-accounts add no allowance, and
 * counted in this instance's memory: with N instances behind a balancer an account gets up to N
 * times the allowance. rate-limiter-flexible's memory limiters count each key in a fixed window
 * that starts at its first request; events get a per-second rate plus a per-minute burst on top.
 *
 * The master account is exempt from the events limit: it is the operator's ingest path (a PBX
 * posting for every account). Its pings and recovers are limited like anyone's.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors.js';
import type { AuthContext } from '../services/auth-service.js';

export type LimitName = 'events' | 'pings' | 'recovers';

export interface RateLimitSettings {
  /** 0: no limit. */
  eventsPerSecond: number;
  /** Events per minute above the rate. */
  eventsBurst: number;
  /** 0: no limit. */
  pingsPerMinute: number;
  /** 0: no limit. */
  recoversPerMinute: number;
}

interface Limiter {
  consume(key: string, points: number): Promise<RateLimiterRes>;
}

function perWindow(name: string, points: number, seconds: number): RateLimiterMemory | undefined {
  return points > 0 ? new RateLimiterMemory({ keyPrefix: name, points, duration: seconds }) : undefined;
}

/**
 * The rate, and the burst when the rate is spent: the library's BurstyRateLimiter, except that a
 * refusal says when this request could pass. It reports the sooner of the two windows, but the
 * next second does not help a batch larger than the per-second rate; only the burst's refill does.
 */
class RateWithBurst implements Limiter {
  constructor(
    private readonly rate: RateLimiterMemory,
    private readonly burst: RateLimiterMemory,
  ) {}

  async consume(key: string, points: number): Promise<RateLimiterRes> {
    try {
      return await this.rate.consume(key, points);
    } catch (rateRefusal) {
      if (!(rateRefusal instanceof RateLimiterRes)) throw rateRefusal;
      try {
        return await this.burst.consume(key, points);
      } catch (burstRefusal) {
        if (!(burstRefusal instanceof RateLimiterRes) || points > this.rate.points) throw burstRefusal;
        throw rateRefusal.msBeforeNext <= burstRefusal.msBeforeNext ? rateRefusal : burstRefusal;
      }
    }
  }
}

export class RateLimits {
  private readonly limiters: Readonly<Record<LimitName, Limiter | undefined>>;
  private readonly eventsPerRequest: number | undefined;

  constructor(
    settings: RateLimitSettings,
    private readonly onLimited: (limit: LimitName) => void = () => undefined,
  ) {
    const rate = perWindow('events', settings.eventsPerSecond, 1);
    const burst = rate === undefined ? undefined : perWindow('events-burst', settings.eventsBurst, 60);
    this.limiters = {
      events: rate !== undefined && burst !== undefined ? new RateWithBurst(rate, burst) : rate,
      pings: perWindow('pings', settings.pingsPerMinute, 60),
      recovers: perWindow('recovers', settings.recoversPerMinute, 60),
    };
    this.eventsPerRequest =
      rate === undefined ? undefined : Math.max(settings.eventsPerSecond, burst === undefined ? 0 : settings.eventsBurst);
  }

  private exempt(limit: LimitName, auth: AuthContext): boolean {
    return limit === 'events' && auth.isMaster;
  }

  /**
   * The most events one request of this token can carry and ever pass (the larger of the rate
   * and the burst); undefined when there is no limit. Waiting would not help a larger one.
   */
  eventBatchLimit(auth: AuthContext): number | undefined {
    return this.exempt('events', auth) ? undefined : this.eventsPerRequest;
  }

  /** Takes `count` from the allowance of the token's account, or throws RateLimitedError. */
  async take(limit: LimitName, auth: AuthContext, count = 1): Promise<void> {
    const limiter = this.limiters[limit];
    if (limiter === undefined || this.exempt(limit, auth)) return;
    try {
      await limiter.consume(auth.accountId, count);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      this.onLimited(limit);
      throw new RateLimitedError(limit, Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    }
  }
}
