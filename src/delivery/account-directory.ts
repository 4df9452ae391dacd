/**
 * What fan-out and the sender need to know about an account (its ancestors, reseller, and the
 * private ranges its hooks may reach), cached briefly: account trees change rarely, and every
 * event needs one. So a change to an account (its `allowed_networks` too) reaches deliveries and
 * pings within `ttlMs` on every instance. Hooks are NOT cached, so a hook change through the API
 * applies to the next event on every instance.
 */
import { isJsonObject, type JsonObject } from '../domain/json.js';
import { accountNetworkPolicy, networkPolicy, type NetworkPolicy } from '../domain/network-policy.js';
import type { Cidr } from '../domain/networks.js';
import { findReseller } from '../domain/reseller.js';
import { lineageDocs, readLineage } from '../storage/account-lineage.js';
import type { Store } from '../storage/store.js';

export interface AccountFacts {
  id: string;
  /** Ancestors, root first. */
  tree: string[];
  resellerId: string;
  timezone?: string;
  /** The account's weekly `business_hours`, when it has them. */
  businessHours?: JsonObject;
  /** Private ranges its hooks may reach: the global ones, its own and its ancestors' `allowed_networks`. */
  networks: NetworkPolicy;
}

interface Entry {
  facts: AccountFacts | null;
  expiresAt: number;
}

export class AccountDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly globalPolicy: NetworkPolicy;

  constructor(
    private readonly store: Store,
    private readonly globalNetworks: readonly Cidr[] = [],
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 50_000,
  ) {
    this.globalPolicy = networkPolicy(globalNetworks);
  }

  async lookup(accountId: string): Promise<AccountFacts | null> {
    const now = Date.now();
    const hit = this.cache.get(accountId);
    if (hit !== undefined && hit.expiresAt > now) return hit.facts;
    const facts = await this.load(accountId);
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(accountId, { facts, expiresAt: now + this.ttlMs });
    return facts;
  }

  /** The private ranges the account's hooks may reach; the global ones for an account that is gone. */
  async networksOf(accountId: string): Promise<NetworkPolicy> {
    return (await this.lookup(accountId))?.networks ?? this.globalPolicy;
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
    const lineage = await readLineage(this.store, accountId);
    if (lineage === null) return null;
    const { account, ancestors } = lineage;
    const byId = new Map(ancestors.map((ancestor) => [ancestor.id, ancestor]));
    const resellerId = await findReseller(account, (id) => Promise.resolve(byId.get(id) ?? null));
    const timezone = account.doc['timezone'];
    const hours = account.doc['business_hours'];
    return {
      id: account.id,
      tree: account.tree,
      resellerId,
      ...(typeof timezone === 'string' ? { timezone } : {}),
      ...(isJsonObject(hours) ? { businessHours: hours } : {}),
      networks: accountNetworkPolicy(this.globalNetworks, lineageDocs(lineage)),
    };
  }
}
