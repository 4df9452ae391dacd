/**
 * Runs delivery jobs so that no receiver and no account can hold up the others.
 *
 * - Each hook has its own lane: a FIFO queue and an adaptive concurrency limit (domain/adaptive-
 *   limit.ts) that grows while its receiver answers well and shrinks when it times out, fails or
 *   slows down, so a dead receiver ends with one request in flight and a fast one gets many.
 * - A lane holds only a couple of seconds of the work its receiver is getting through; what does
 *   not fit is refused and waits in the store (the outbox parks it), so a hung receiver's backlog
 *   never fills memory nor the room intake waits for.
 * - Global in-flight slots are shared fairly: accounts with work take turns, and none holds more
 *   than its share while another waits. One account alone never takes the last eighth of them:
 *   slots held by hung receivers free up only at their timeout, so without that reserve another
 *   account's first delivery would wait for one.
 */
import { AdaptiveLimit, type LimitSignal } from '../../domain/adaptive-limit.js';
import type { DeliveryJob } from './ports.js';

/** Where a job runs: its lane (one per hook) and the account whose share it uses. */
export interface JobRoute {
  lane: string;
  account: string;
  /** The receiver's origin, for metrics and logs. */
  destination: string;
}

/** What an attempt tells the lane's limiter. */
export interface JobFeedback {
  signal: LimitSignal;
  rttMs: number;
}

export interface DispatcherOptions {
  /** Concurrent requests overall. */
  maxInFlight: number;
  /** Ceiling of a lane's adaptive limit. */
  maxPerLane: number;
  /** A lane's limit before it has learnt anything. */
  initialPerLane: number;
  /** Most jobs one lane keeps waiting in memory. */
  maxQueuedPerLane: number;
  /** A lane keeps about this much work waiting (at its current limit and round trip); the rest waits in the store. */
  queueHorizonMs: number;
  /** ...but never less room than this. */
  minQueuedPerLane: number;
}

export interface LaneStats {
  lane: string;
  account: string;
  destination: string;
  inFlight: number;
  queued: number;
  limit: number;
}

interface Lane<J> {
  route: JobRoute;
  queue: J[];
  active: number;
  limiter: AdaptiveLimit;
  /** Smoothed round trip of its requests, and when one last finished. */
  rttMs: number | undefined;
  lastDoneAt: number;
  /** It turned work away since it last had room: say so when it has room again. */
  refused: boolean;
}

interface AccountShare {
  inFlight: number;
  /** Its jobs waiting in lanes. */
  queued: number;
  /** Its lanes with queued jobs, taken in turn. */
  ready: string[];
}

const laneIdleMs = 60_000;
/** A new lane's round trip, until it has measured one. */
const assumedRttMs = 100;

/** Slots one account alone may not take: an eighth, at least one when there are two or more. */
function reserveOf(maxInFlight: number): number {
  return maxInFlight < 2 ? 0 : Math.max(1, Math.floor(maxInFlight / 8));
}

/** Per-destination lanes are keyed by hook (deliveries and pings alike); their origin names them in metrics. */
export function routeOf(job: Pick<DeliveryJob, 'hook'>): JobRoute {
  let destination = 'invalid';
  try {
    destination = new URL(job.hook.settings.uri).origin;
  } catch {
    // An unparsable URI fails at send; it still gets a lane of its own.
  }
  return { lane: job.hook.id, account: job.hook.accountId, destination };
}

export class Dispatcher<J> {
  private readonly lanes = new Map<string, Lane<J>>();
  private readonly accounts = new Map<string, AccountShare>();
  /** Accounts with queued jobs, in turn order. */
  private readonly turns: string[] = [];
  private inFlight = 0;
  private queued = 0;
  private idleWaiters: Array<() => void> = [];
  private roomWaiters: Array<() => void> = [];
  /** Since when the queued work has stayed at or over the high-water mark. */
  private overSince: number | undefined;
  private recheck: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private prunedAt = 0;
  /** A poller filled the queue and wants to hear when half of it is free. */
  private roomWanted = false;

  constructor(
    private readonly options: DispatcherOptions,
    private readonly routeOf: (job: J) => JobRoute,
    private readonly run: (job: J) => Promise<JobFeedback>,
    private readonly onError: (error: unknown, job: J) => void,
    /** A lane that turned work away has room again. */
    private readonly onRoom: () => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Takes the job unless its lane has no room, its account already has its share of the queued
   * work waiting, or the dispatcher is stopping.
   */
  offer(job: J): boolean {
    if (this.stopped) return false;
    const route = this.routeOf(job);
    const lane = this.laneFor(route);
    const share = this.shareOf(route.account);
    if (lane.queue.length >= this.roomOf(lane) || share.queued >= this.accountRoom(share)) {
      lane.refused = true;
      return false;
    }
    lane.queue.push(job);
    this.queued += 1;
    share.queued += 1;
    if (lane.queue.length === 1) this.markReady(lane);
    this.pump();
    return true;
  }

  /**
   * Resolves once the queued work is below the high-water mark (twice the in-flight cap). Intake
   * waits here before taking more events, so a burst to fast receivers stays in the broker's
   * durable queue instead of piling up in memory.
   *
   * Unless the work has stayed over the mark for a whole horizon: then it is waiting on receivers
   * that do not answer, not on callhook, and holding intake would stall every account behind the
   * broker's one queue (events of all tenants come through it in order). Intake then goes on;
   * what lanes and account shares cannot take waits in the store.
   */
  waitForRoom(): Promise<void> {
    if (this.stopped || this.hasRoom()) return Promise.resolve();
    return new Promise((resolve) => {
      this.roomWaiters.push(resolve);
      this.recheckLater();
    });
  }

  notifyWhenRoom(): void {
    this.roomWanted = true;
  }

  /** Free room for new work overall, for pollers deciding how much to claim. */
  spareCapacity(): number {
    const spare = Math.max(0, this.options.maxInFlight * 2 - this.inFlight - this.queued);
    // Stuck behind silent receivers: still claim a little, for the accounts under their share
    // (the lanes of the others are left out of the claim as saturated).
    return this.isStuck() ? Math.max(spare, this.options.minQueuedPerLane) : spare;
  }

  /** Lanes that should not be fed from the store now: at least half their room is taken, or their account's share. */
  saturatedLanes(): string[] {
    const out: string[] = [];
    for (const [key, lane] of this.lanes) {
      const share = this.accounts.get(lane.route.account);
      const accountFull = share !== undefined && share.queued >= this.accountRoom(share);
      if (accountFull || lane.queue.length * 2 >= this.roomOf(lane)) out.push(key);
    }
    return out;
  }

  /** An account's share of the high-water mark, among the accounts with work waiting. */
  private accountRoom(share: AccountShare): number {
    const accounts = this.turns.length + (share.ready.length === 0 ? 1 : 0);
    return Math.max(this.options.minQueuedPerLane, Math.floor((this.options.maxInFlight * 2) / Math.max(1, accounts)));
  }

  private hasRoom(): boolean {
    if (this.queued < this.options.maxInFlight * 2) {
      this.overSince = undefined;
      return true;
    }
    this.overSince ??= this.now();
    return this.isStuck();
  }

  private isStuck(): boolean {
    return this.overSince !== undefined && this.now() - this.overSince >= this.options.queueHorizonMs;
  }

  /** Waiters are looked at again while nothing finishes (silent receivers), so a stall is noticed. */
  private recheckLater(): void {
    if (this.recheck !== undefined) return;
    this.recheck = setTimeout(
      () => {
        this.recheck = undefined;
        this.wake();
        if (this.roomWaiters.length > 0) this.recheckLater();
      },
      Math.max(50, this.options.queueHorizonMs / 4),
    );
    this.recheck.unref();
  }

  stats(): { inFlight: number; queued: number; lanes: LaneStats[] } {
    const lanes = [...this.lanes.values()].map((lane) => ({
      ...lane.route,
      inFlight: lane.active,
      queued: lane.queue.length,
      limit: lane.limiter.limit,
    }));
    return { inFlight: this.inFlight, queued: this.queued, lanes };
  }

  /**
   * How many jobs the lane may keep waiting: what it gets through in `queueHorizonMs` at its
   * current limit and round trip. A lane whose requests have been out longer than its round trip
   * (a receiver that stopped answering) loses its room as the silence grows.
   */
  private roomOf(lane: Lane<J>): number {
    const { minQueuedPerLane, maxQueuedPerLane, queueHorizonMs } = this.options;
    const silence = lane.active > 0 ? this.now() - lane.lastDoneAt : 0;
    const rtt = Math.max(lane.rttMs ?? assumedRttMs, silence, 1);
    return Math.min(maxQueuedPerLane, Math.max(minQueuedPerLane, Math.floor((lane.limiter.limit * queueHorizonMs) / rtt)));
  }

  private laneFor(route: JobRoute): Lane<J> {
    let lane = this.lanes.get(route.lane);
    if (lane === undefined) {
      lane = {
        route,
        queue: [],
        active: 0,
        limiter: new AdaptiveLimit({ initial: this.options.initialPerLane, min: 1, max: this.options.maxPerLane }),
        rttMs: undefined,
        lastDoneAt: this.now(),
        refused: false,
      };
      this.lanes.set(route.lane, lane);
    }
    return lane;
  }

  private shareOf(account: string): AccountShare {
    let share = this.accounts.get(account);
    if (share === undefined) {
      share = { inFlight: 0, queued: 0, ready: [] };
      this.accounts.set(account, share);
    }
    return share;
  }

  private markReady(lane: Lane<J>): void {
    const share = this.shareOf(lane.route.account);
    share.ready.push(lane.route.lane);
    if (share.ready.length === 1) this.turns.push(lane.route.account);
  }

  /**
   * Starts jobs while there are free slots, accounts taking turns, one job per turn. First no
   * account goes past its fair share while another waits; when that leaves slots idle (the waiting
   * accounts' lanes are all at their limits), the slots go to whoever can use them.
   */
  private pump(): void {
    const ceiling = this.options.maxInFlight - reserveOf(this.options.maxInFlight);
    let fairOnly = true;
    let idleTurns = 0;
    while (this.inFlight < this.options.maxInFlight && this.turns.length > 0) {
      if (idleTurns >= this.turns.length) {
        if (!fairOnly) return;
        fairOnly = false;
        idleTurns = 0;
      }
      const account = this.turns.shift() as string;
      const share = this.shareOf(account);
      const waiting = this.turns.length + 1;
      const fair = Math.max(1, Math.floor(this.options.maxInFlight / waiting));
      const within = share.inFlight < ceiling && (!fairOnly || waiting === 1 || share.inFlight < fair);
      const taken = within ? this.takeFrom(share) : undefined;
      if (share.ready.length > 0) this.turns.push(account);
      if (taken === undefined) {
        idleTurns += 1;
        continue;
      }
      idleTurns = 0;
      void this.execute(taken);
    }
  }

  /** The next job of the account's lanes, in turn, from the first lane under its limit. */
  private takeFrom(share: AccountShare): { lane: Lane<J>; job: J } | undefined {
    const count = share.ready.length;
    for (let i = 0; i < count; i += 1) {
      const key = share.ready.shift() as string;
      const lane = this.lanes.get(key);
      if (lane === undefined || lane.queue.length === 0) continue;
      if (lane.active >= lane.limiter.limit) {
        share.ready.push(key);
        continue;
      }
      const job = lane.queue.shift() as J;
      this.queued -= 1;
      share.queued -= 1;
      if (lane.queue.length > 0) share.ready.push(key);
      return { lane, job };
    }
    return undefined;
  }

  private async execute({ lane, job }: { lane: Lane<J>; job: J }): Promise<void> {
    const share = this.shareOf(lane.route.account);
    lane.active += 1;
    share.inFlight += 1;
    this.inFlight += 1;
    try {
      const feedback = await this.run(job);
      lane.limiter.record(feedback.signal, feedback.rttMs, lane.queue.length > 0);
      if (feedback.signal !== 'neutral') lane.rttMs = lane.rttMs === undefined ? feedback.rttMs : lane.rttMs * 0.8 + feedback.rttMs * 0.2;
    } catch (error) {
      this.onError(error, job);
    } finally {
      const now = this.now();
      lane.lastDoneAt = now;
      lane.active -= 1;
      share.inFlight -= 1;
      this.inFlight -= 1;
      if (share.inFlight === 0 && share.ready.length === 0) this.accounts.delete(lane.route.account);
      if (lane.refused && lane.queue.length * 2 < this.roomOf(lane)) {
        // What it turned away waits in the store: have it claimed now rather than at the next poll.
        lane.refused = false;
        this.onRoom();
      } else if (this.roomWanted && this.inFlight + this.queued <= this.options.maxInFlight) {
        // A backlog in the store drains at the speed of the lanes, not one claim per poll.
        this.roomWanted = false;
        this.onRoom();
      }
      this.prune(now);
      this.pump();
      this.wake();
    }
  }

  /** Idle lanes are kept a minute, since what they learnt about their receiver is worth keeping. */
  private prune(now: number): void {
    if (now - this.prunedAt < laneIdleMs) return;
    this.prunedAt = now;
    for (const [key, lane] of this.lanes) {
      if (lane.active === 0 && lane.queue.length === 0 && now - lane.lastDoneAt > laneIdleMs) this.lanes.delete(key);
    }
  }

  private wake(): void {
    if (this.roomWaiters.length > 0 && this.hasRoom()) {
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

  /**
   * Stops taking work and drops what is queued (returned, so the caller can hand the leases back),
   * then waits for in-flight jobs to finish.
   */
  async stop(): Promise<J[]> {
    this.stopped = true;
    const dropped: J[] = [];
    for (const lane of this.lanes.values()) dropped.push(...lane.queue.splice(0));
    this.queued = 0;
    this.turns.length = 0;
    for (const share of this.accounts.values()) {
      share.ready.length = 0;
      share.queued = 0;
    }
    if (this.recheck !== undefined) clearTimeout(this.recheck);
    for (const resolve of this.roomWaiters.splice(0)) resolve();
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return dropped;
  }
}
