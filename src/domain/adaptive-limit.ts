/**
 * How many requests one destination may have in flight, learnt from how it answers (in the spirit
 * of TCP congestion control, and of Netflix's concurrency-limits). Pure: the caller reports each
 * outcome with its round-trip time.
 *
 * - Slow start: while the destination answers well and work is waiting, the limit grows by one per
 *   answer, doubling per round trip, until the first sign of trouble.
 * - Then additive increase: one more per `limit` good answers (one per round trip), only while
 *   work is waiting (an idle destination gives no evidence it could take more).
 * - Multiplicative decrease: a timeout, a connection failure, a 5xx or a 429 halves it; answers
 *   that have become much slower than the fastest recent ones (three times as slow, and slower by
 *   more than `latencySlackMs`, so jitter and this process's own load are no signal) trim it by a
 *   tenth, at most once per round trip.
 * A dead or hung destination so ends at one request at a time, a fast one grows to the ceiling.
 */

export type LimitSignal = 'success' | 'failure' | 'neutral';

export interface AdaptiveLimitOptions {
  initial: number;
  min: number;
  max: number;
  /** Answers slower than this multiple of the fastest recent round trip count as congestion. */
  latencyTolerance?: number;
  /** Slower by less than this is never congestion, whatever the ratio. */
  latencySlackMs?: number;
  /** How many samples the fastest-recent round trip is kept over. */
  rttWindow?: number;
}

export class AdaptiveLimit {
  private value: number;
  private slowStart = true;
  private minRtt = Number.POSITIVE_INFINITY;
  private windowMin = Number.POSITIVE_INFINITY;
  private smoothedRtt: number | undefined;
  private samples = 0;
  private sinceDecrease = 0;
  private readonly tolerance: number;
  private readonly slackMs: number;
  private readonly window: number;

  constructor(private readonly options: AdaptiveLimitOptions) {
    this.value = Math.min(options.max, Math.max(options.min, options.initial));
    // Generous on purpose: a receiver three times slower, and by a quarter of a second, is
    // congested; less than that is as likely this process's own event-loop lag under load.
    this.tolerance = options.latencyTolerance ?? 3;
    this.slackMs = options.latencySlackMs ?? 250;
    this.window = options.rttWindow ?? 100;
  }

  /** Requests allowed in flight now. */
  get limit(): number {
    return Math.floor(this.value);
  }

  /**
   * @param waiting whether more work was waiting for this destination when the answer came (only
   *   then can a good answer justify a higher limit).
   */
  record(signal: LimitSignal, rttMs: number, waiting: boolean): void {
    if (signal === 'neutral') return;
    if (signal === 'failure') {
      this.decrease(0.5);
      return;
    }
    this.observeRtt(rttMs);
    this.sinceDecrease += 1;
    const smoothed = (this.smoothedRtt = this.smoothedRtt === undefined ? rttMs : this.smoothedRtt * 0.9 + rttMs * 0.1);
    const congested = smoothed > this.minRtt * this.tolerance && smoothed - this.minRtt > this.slackMs;
    if (congested) {
      // Congestion ends slow start at once; after that, one trim per round trip.
      if (this.slowStart || this.sinceDecrease >= this.value) this.decrease(0.9);
      return;
    }
    if (!waiting) return;
    this.value = Math.min(this.options.max, this.value + (this.slowStart ? 1 : 1 / this.value));
  }

  private decrease(factor: number): void {
    this.slowStart = false;
    this.sinceDecrease = 0;
    this.value = Math.max(this.options.min, this.value * factor);
  }

  /** The fastest round trip over the last `window` samples (so a changed baseline is learnt). */
  private observeRtt(rttMs: number): void {
    this.samples += 1;
    this.windowMin = Math.min(this.windowMin, rttMs);
    this.minRtt = Math.min(this.minRtt, rttMs);
    if (this.samples % this.window === 0) {
      this.minRtt = this.windowMin;
      this.windowMin = Number.POSITIVE_INFINITY;
    }
  }
}
