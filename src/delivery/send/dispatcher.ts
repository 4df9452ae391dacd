/**
 * Runs delivery jobs with per-destination isolation: each destination (URL origin) has its own
 * FIFO queue and concurrency cap, under a global in-flight cap. A slow or dead receiver fills only
 * its own queue, so it never delays deliveries to other receivers, nor other hooks of the same event.
 * Queues are bounded: when one is full the caller leaves the job in the store for later.
 */
import type { DeliveryJob } from './ports.js';

/** Per-destination lanes are keyed by origin: one receiver host, whatever the path. */
export function destinationOf(job: DeliveryJob): string {
  try {
    return new URL(job.hook.settings.uri).origin;
  } catch {
    return 'invalid';
  }
}

export interface DispatcherOptions {
  /** Concurrent requests to one destination. */
  maxPerDestination: number;
  /** Jobs waiting for one destination before offers are refused. */
  maxQueuedPerDestination: number;
  /** Concurrent requests overall. */
  maxInFlight: number;
}

interface Lane<J> {
  queue: J[];
  active: number;
}

export class Dispatcher<J> {
  private readonly lanes = new Map<string, Lane<J>>();
  /** Lanes with queued work, in the order they became ready (fair across destinations). */
  private readonly ready: string[] = [];
  private inFlight = 0;
  private queued = 0;
  private idleWaiters: Array<() => void> = [];
  private roomWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly options: DispatcherOptions,
    private readonly destinationOf: (job: J) => string,
    private readonly run: (job: J) => Promise<void>,
    private readonly onError: (error: unknown, job: J) => void,
  ) {}

  /** Accepts the job unless its destination's queue is full or the dispatcher is stopping. */
  offer(job: J): boolean {
    if (this.stopped) return false;
    const key = this.destinationOf(job);
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = { queue: [], active: 0 };
      this.lanes.set(key, lane);
    }
    if (lane.queue.length >= this.options.maxQueuedPerDestination) return false;
    lane.queue.push(job);
    this.queued += 1;
    if (lane.queue.length === 1) this.ready.push(key);
    this.pump();
    return true;
  }

  /**
   * Resolves once the queued work is below the high-water mark (twice the in-flight cap). Intake
   * waits here before taking more events, so a burst stays in the broker's durable queue instead
   * of piling up in memory.
   */
  waitForRoom(): Promise<void> {
    if (this.stopped || this.queued < this.options.maxInFlight * 2) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Free room for new work overall, for pollers deciding how much to claim. */
  spareCapacity(): number {
    return Math.max(0, this.options.maxInFlight * 2 - this.inFlight - this.queued);
  }

  stats(): { inFlight: number; queued: number; destinations: number } {
    return { inFlight: this.inFlight, queued: this.queued, destinations: this.lanes.size };
  }

  private pump(): void {
    let scanned = 0;
    while (this.inFlight < this.options.maxInFlight && scanned < this.ready.length) {
      const key = this.ready.shift() as string;
      const lane = this.lanes.get(key);
      if (lane === undefined || lane.queue.length === 0) continue;
      if (lane.active >= this.options.maxPerDestination) {
        // Saturated destination: look at the others; it is re-queued when a slot frees.
        this.ready.push(key);
        scanned += 1;
        continue;
      }
      scanned = 0;
      const job = lane.queue.shift() as J;
      this.queued -= 1;
      lane.active += 1;
      this.inFlight += 1;
      if (lane.queue.length > 0) this.ready.push(key);
      void this.execute(key, lane, job);
    }
  }

  private async execute(key: string, lane: Lane<J>, job: J): Promise<void> {
    try {
      await this.run(job);
    } catch (error) {
      this.onError(error, job);
    } finally {
      lane.active -= 1;
      this.inFlight -= 1;
      if (lane.active === 0 && lane.queue.length === 0) this.lanes.delete(key);
      this.pump();
      if (this.roomWaiters.length > 0 && this.queued < this.options.maxInFlight * 2) {
        const waiters = this.roomWaiters;
        this.roomWaiters = [];
        for (const resolve of waiters) resolve();
      }
      if (this.inFlight === 0 && this.queued === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  /**
   * Stops taking work and drops what is queued (returned, so the caller can hand the leases back),
   * then waits for in-flight jobs to finish.
   */
  async stop(): Promise<J[]> {
    this.stopped = true;
    const dropped: J[] = [];
    for (const lane of this.lanes.values()) dropped.push(...lane.queue.splice(0));
    this.queued = 0;
    this.ready.length = 0;
    for (const resolve of this.roomWaiters.splice(0)) resolve();
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return dropped;
  }
}
