/**
 * The hooks an event may fire (channel events and Kazoo's other hook types alike), looked up once
 * per turn of the event loop for all the events that ask for the same accounts in that turn: under
 * load, one query for dozens of events (on MongoDB a round trip saved per event), and the same
 * answer when idle. Nothing is cached: a lookup asked for after a hook changed is sent after the
 * change, so the change applies to the next event on every instance, as it always has.
 */
import type { Webhook } from '../../domain/webhook.js';
import type { Store } from '../../storage/store.js';

export interface LookupOptions {
  /** Hooks callhook disabled itself too (their events are kept for recover). */
  includeAutoDisabled?: boolean;
}

interface Waiting {
  accountIds: readonly string[];
  options: LookupOptions;
  waiters: Array<{ resolve: (hooks: Webhook[]) => void; reject: (error: unknown) => void }>;
}

export class HookLookup {
  private waiting = new Map<string, Waiting>();
  private scheduled = false;

  constructor(private readonly store: Pick<Store, 'listEnabledWebhooks'>) {}

  /** Enabled hooks of these accounts. */
  candidates(accountIds: readonly string[], options: LookupOptions = {}): Promise<Webhook[]> {
    const key = `${options.includeAutoDisabled === true ? '+' : '-'}${accountIds.join('\u0000')}`;
    return new Promise((resolve, reject) => {
      let entry = this.waiting.get(key);
      if (entry === undefined) {
        entry = { accountIds, options, waiters: [] };
        this.waiting.set(key, entry);
      }
      entry.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = new Map();
    for (const { accountIds, options, waiters } of batch.values()) {
      // Callers only read the hooks (filter, map), so one array can serve them all.
      this.store.listEnabledWebhooks(accountIds, options).then(
        (hooks) => waiters.forEach(({ resolve }) => resolve(hooks)),
        (error: unknown) => waiters.forEach(({ reject }) => reject(error)),
      );
    }
  }
}
