/**
 * What fan-out needs to know about an event's account (its ancestors and reseller), cached
 * briefly: account trees change rarely, and every event needs one. Hooks are NOT cached, so a
 * hook change through the API applies to the next event on every instance.
 */
import { isJsonObject, type JsonObject } from '../domain/json.js';
import { findReseller } from '../domain/reseller.js';
import type { Store } from '../storage/store.js';

export interface AccountFacts {
  id: string;
  /** Ancestors, root first. */
  tree: string[];
  resellerId: string;
  timezone?: string;
  /** The account's weekly `business_hours`, when it has them. */
  businessHours?: JsonObject;
}

interface Entry {
  facts: AccountFacts | null;
  expiresAt: number;
}

export class AccountDirectory {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 50_000,
  ) {}

  async lookup(accountId: string): Promise<AccountFacts | null> {
    const now = Date.now();
    const hit = this.cache.get(accountId);
    if (hit !== undefined && hit.expiresAt > now) return hit.facts;
    const facts = await this.load(accountId);
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(accountId, { facts, expiresAt: now + this.ttlMs });
    return facts;
  }

  /** Forgets what it knows of these accounts (they changed: moved, deleted, renamed). */
  forget(accountIds: readonly string[]): void {
    for (const id of accountIds) this.cache.delete(id);
  }

  /** Forgets everything (the whole tree was read again). */
  clear(): void {
    this.cache.clear();
  }

  private async load(accountId: string): Promise<AccountFacts | null> {
    const account = await this.store.getAccount(accountId);
    if (account === null) return null;
    const resellerId = await findReseller(account, (id) => this.store.getAccount(id));
    const timezone = account.doc['timezone'];
    const hours = account.doc['business_hours'];
    return {
      id: account.id,
      tree: account.tree,
      resellerId,
      ...(typeof timezone === 'string' ? { timezone } : {}),
      ...(isJsonObject(hours) ? { businessHours: hours } : {}),
    };
  }
}
