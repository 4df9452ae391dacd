/**
 * This instance's heartbeat in the store, and the takeover of instances that stopped beating: their
 * delivery and call leases are released, so the work a crashed (kill -9) instance had claimed goes
 * out again within seconds rather than after CALLHOOK_LEASE_S. Every instance checks; the store
 * makes the takeover happen once.
 */
import type { Logger } from 'pino';
import { PollLoop } from '../../lib/poll-loop.js';
import type { Store } from '../../storage/store.js';

export interface LivenessOptions {
  owner: string;
  heartbeatMs: number;
  /** Missed beats after which an instance counts as dead. */
  missedBeats: number;
}

export class InstanceLiveness {
  private readonly loop: PollLoop;

  constructor(
    private readonly store: Store,
    private readonly options: LivenessOptions,
    private readonly log: Logger,
  ) {
    this.loop = new PollLoop(() => this.tick(), options.heartbeatMs, log, 'instance heartbeat');
  }

  /** Beats once before the loop starts, so no other instance mistakes a starting one for dead. */
  async start(): Promise<void> {
    await this.store.heartbeat(this.options.owner, new Date());
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** After this instance handed its leases back: it is gone, not dead. */
  async leave(): Promise<void> {
    await this.store.removeInstance(this.options.owner);
  }

  async tick(): Promise<boolean> {
    const now = Date.now();
    await this.store.heartbeat(this.options.owner, new Date(now));
    const taken = await this.store.takeOverStaleLeases(new Date(now - this.options.heartbeatMs * this.options.missedBeats));
    if (taken.owners.length > 0) {
      this.log.warn(
        { instances: taken.owners, deliveries: taken.deliveries, calls: taken.calls },
        'took over the leases of instances that stopped answering',
      );
    }
    return false;
  }
}
