/**
 * Kazoo's accounts as callhook's (integrated mode). The whole tree is read at start and every
 * CALLHOOK_KAZOO_RESYNC_S from `GET /v2/accounts/{MASTER}/descendants` (paginated, master token),
 * and kept current in between from the `configuration` exchange's account document events, which
 * carry no document: the account and its parents are read from Crossbar. The store then holds
 * Kazoo's master as the root and every account with Kazoo's tree, so fan-out, authorisation and
 * `include_subaccounts` work unchanged; an account Kazoo no longer has is deleted with its hooks.
 *
 * Only ids of 32 lower-case hex characters (Kazoo's) are accepted from Kazoo; names and realms are
 * bounded. All writes go through one queue, so a resync and an event never interleave.
 */
import type { Logger } from 'pino';
import { KazooUnavailableError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../domain/json.js';
import { Gate } from '../lib/gate.js';
import { PollLoop } from '../lib/poll-loop.js';
import { hashApiKey } from '../domain/api-key.js';
import { newApiKey } from '../ids.js';
import type { AccountRecord, Store } from '../storage/store.js';
import { replyData, replyMessage, type CrossbarClient, type CrossbarReply } from './crossbar-client.js';
import type { MasterSession } from './master-session.js';

export interface AccountMirrorOptions {
  resyncMs: number;
  /** callhook's own key for the master account (CALLHOOK_MASTER_API_KEY), when configured. */
  masterApiKey?: string;
  pageSize?: number;
  /** A tree larger than this is refused rather than mirrored. */
  maxAccounts?: number;
  /** How soon to try again after Kazoo could not be read. */
  retryMs?: number;
}

export interface MirrorState {
  status: 'up' | 'down' | 'connecting';
  detail?: string;
  lastSyncAt?: Date;
}

interface KazooAccount {
  id: string;
  /** Ancestors, master first. */
  tree: string[];
  fields: JsonObject;
}

const accountId = /^[0-9a-f]{32}$/;
const maxText = 256;

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value.length <= maxText ? value : undefined;
}

/** The fields callhook keeps from Kazoo's account: name and realm, and the time zone when given. */
function fieldsOf(item: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of ['name', 'realm', 'timezone'] as const) {
    const value = text(item[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function sameAccount(record: AccountRecord, want: { parentId: string | null; tree: string[]; doc: JsonObject }): boolean {
  return (
    record.parentId === want.parentId &&
    JSON.stringify(record.tree) === JSON.stringify(want.tree) &&
    JSON.stringify(record.doc) === JSON.stringify(want.doc)
  );
}

export class AccountMirror {
  private readonly queue = new Gate(1);
  private readonly loop: PollLoop;
  private readonly misses = new Map<string, number>();
  private current: MirrorState = { status: 'connecting' };
  private masterId: string | undefined;
  private lastAttempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly client: CrossbarClient,
    private readonly session: MasterSession,
    private readonly options: AccountMirrorOptions,
    /** Called after the stored tree changed (fan-out's account cache is dropped). */
    private readonly onChange: () => void,
    private readonly log: Logger,
  ) {
    this.loop = new PollLoop(() => this.tick(), options.resyncMs, log, 'kazoo account resync');
  }

  state(): MirrorState {
    return this.current;
  }

  /** Reads the tree once (a failure is logged and retried soon), then keeps resyncing in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.attempt('initial account sync failed; callhook keeps the accounts it has and tries again');
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    await this.loop.stop();
    await this.attempting;
  }

  /** The whole tree from Kazoo into the store. */
  async sync(): Promise<{ accounts: number; removed: number }> {
    const result = await this.queue.run(() => this.syncNow());
    this.current = { status: 'up', lastSyncAt: new Date() };
    return result;
  }

  /**
   * An account document changed in Kazoo (`doc_created|doc_edited|doc_deleted.accounts.account.<id>`).
   * Kazoo being unreachable is not the message's fault: the change is picked up by a resync, soon.
   */
  async accountChanged(id: string, action: string): Promise<void> {
    if (!accountId.test(id)) return;
    try {
      await this.queue.run(() => (action === 'doc_deleted' ? this.remove(id) : this.refresh(id)));
    } catch (error) {
      if (!(error instanceof KazooUnavailableError)) throw error;
      this.failed(error, 'could not read a changed account from Kazoo; a resync will pick it up');
      this.retrySoon();
    }
  }

  /**
   * An account callhook does not know yet (a token's, or one in a URL): read from Kazoo now, in
   * case it was created since the last event. Unknown in Kazoo is remembered for half a minute.
   */
  async ensure(id: string): Promise<AccountRecord | null> {
    const known = await this.store.getAccount(id);
    if (known !== null || !accountId.test(id)) return known;
    const missedAt = this.misses.get(id);
    if (missedAt !== undefined && Date.now() - missedAt < 30_000) return null;
    await this.queue.run(() => this.refresh(id));
    const found = await this.store.getAccount(id);
    if (found === null) {
      if (this.misses.size > 10_000) this.misses.clear();
      this.misses.set(id, Date.now());
    }
    return found;
  }

  private async tick(): Promise<boolean> {
    // The loop's first tick comes right after start() synced; a retry may have just run too.
    if (Date.now() - this.lastAttempt >= this.options.resyncMs / 2) await this.attempt('account resync failed');
    return false;
  }

  /** One sync; when Kazoo cannot be read, another one sooner than the full period. */
  private async attempt(message: string): Promise<void> {
    this.lastAttempt = Date.now();
    const running = this.sync().then(
      () => undefined,
      (error: unknown) => {
        this.failed(error, message);
        this.retrySoon();
      },
    );
    this.attempting = running;
    await running;
  }

  private retrySoon(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) void this.attempt('account resync failed');
    }, this.options.retryMs ?? 30_000);
    this.retryTimer.unref();
  }

  private failed(error: unknown, message: string): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.current = { ...this.current, status: 'down', detail };
    this.log.error({ err: error }, message);
  }

  private async read(path: string, query?: Record<string, string>): Promise<CrossbarReply> {
    return this.session.call((token) => this.client.request('GET', path, { token, ...(query !== undefined ? { query } : {}) }));
  }

  private async descendants(masterId: string): Promise<KazooAccount[]> {
    const pageSize = this.options.pageSize ?? 500;
    const limit = this.options.maxAccounts ?? 200_000;
    const found: KazooAccount[] = [];
    let startKey: string | undefined;
    for (let page = 0; ; page += 1) {
      const reply = await this.read(`/accounts/${masterId}/descendants`, {
        page_size: String(pageSize),
        ...(startKey !== undefined ? { start_key: startKey } : {}),
      });
      const body = reply.body;
      if (reply.status !== 200 || !isJsonObject(body) || !Array.isArray(body['data'])) {
        throw new KazooUnavailableError(`GET /accounts/{master}/descendants answered ${replyMessage(reply)}`);
      }
      for (const item of body['data']) {
        const account = isJsonObject(item) ? this.descendant(item, masterId) : null;
        if (account === null) {
          this.log.warn({ item }, 'kazoo descendant left out: not an account id with a tree under the master');
          continue;
        }
        found.push(account);
      }
      if (found.length > limit) throw new KazooUnavailableError(`the account tree has more than ${limit} accounts`);
      const next = body['next_start_key'];
      if (typeof next !== 'string' && typeof next !== 'number') return found;
      if (String(next) === startKey || page > limit / Math.max(1, pageSize) + 10) {
        throw new KazooUnavailableError('descendants paging did not end');
      }
      startKey = String(next);
    }
  }

  private descendant(item: JsonObject, masterId: string): KazooAccount | null {
    const id = item['id'];
    const tree = item['tree'];
    if (typeof id !== 'string' || !accountId.test(id) || !Array.isArray(tree) || tree.length === 0 || tree.length > 64) return null;
    if (!tree.every((a): a is string => typeof a === 'string' && accountId.test(a)) || tree[0] !== masterId || tree.includes(id)) {
      return null;
    }
    return { id, tree, fields: fieldsOf(item) };
  }

  private async syncNow(): Promise<{ accounts: number; removed: number }> {
    const master = await this.session.token();
    this.masterId = master.accountId;
    const accounts = await this.descendants(master.accountId);
    const oldRoot = await this.store.getMasterAccount();
    await this.placeMaster(master.accountId, master.accountName, oldRoot);
    // Parents before children, so a tree is never written below an account that is not there yet.
    accounts.sort((a, b) => a.tree.length - b.tree.length);
    let changed = 0;
    for (const account of accounts) if (await this.put(account)) changed += 1;
    const keep = new Set([master.accountId, ...accounts.map((a) => a.id)]);
    const stored = new Set(await this.store.listDescendantIds(master.accountId));
    if (oldRoot !== null && oldRoot.id !== master.accountId) {
      for (const id of await this.store.listDescendantIds(oldRoot.id)) stored.add(id);
    }
    let removed = 0;
    for (const id of stored) {
      if (keep.has(id)) continue;
      removed += (await this.store.deleteAccountTree(id)).length;
    }
    if (changed > 0 || removed > 0) this.onChange();
    this.log.info({ accounts: accounts.length + 1, changed, removed }, 'kazoo account tree mirrored');
    return { accounts: accounts.length + 1, removed };
  }

  /** Kazoo's master is the root; callhook's own master key (if configured) stays on it. */
  private async placeMaster(id: string, name: string, oldRoot: AccountRecord | null): Promise<void> {
    const doc = { ...(oldRoot?.id === id ? oldRoot.doc : {}), ...(name !== '' ? { name } : {}) };
    let root = oldRoot;
    if (oldRoot === null || oldRoot.id !== id || JSON.stringify(oldRoot.doc) !== JSON.stringify(doc)) {
      if (oldRoot !== null && oldRoot.id !== id) {
        this.log.warn({ old_root: oldRoot.id, master: id }, 'the store’s root is not Kazoo’s master: Kazoo’s master becomes the root');
      }
      root = await this.store.replaceRoot({ id, apiKeyHash: hashApiKey(this.options.masterApiKey ?? newApiKey()), doc });
      this.onChange();
    }
    const key = this.options.masterApiKey;
    if (root !== null && key !== undefined && root.apiKeyHash !== hashApiKey(key)) {
      await this.store.updateAccount(root.id, root.revision, { doc: root.doc, apiKeyHash: hashApiKey(key) });
    }
  }

  /** Writes the account when it differs from what is stored; true when it did. */
  private async put(account: KazooAccount): Promise<boolean> {
    const parentId = account.tree.at(-1) ?? null;
    const existing = await this.store.getAccount(account.id);
    const doc = { ...(existing?.doc ?? {}), ...account.fields };
    const want = { parentId, tree: account.tree, doc };
    if (existing !== null && sameAccount(existing, want)) return false;
    // Kazoo's accounts sign in through Kazoo; the key callhook keeps for them is random and never shown.
    await this.store.putAccount({ id: account.id, ...want, apiKeyHash: existing?.apiKeyHash ?? hashApiKey(newApiKey()) });
    return true;
  }

  private async remove(id: string): Promise<void> {
    if (id === this.masterId || (await this.store.getAccount(id))?.parentId === null) return;
    const removed = await this.store.deleteAccountTree(id);
    if (removed.length > 0) {
      this.log.info({ account_id: id, removed: removed.length }, 'account deleted in Kazoo: removed with its hooks');
      this.onChange();
    }
  }

  /** One account read again (created, edited, moved): the account, then its parents. */
  private async refresh(id: string): Promise<void> {
    const reply = await this.read(`/accounts/${id}`);
    if (reply.status === 404) return this.remove(id);
    const doc = replyData(reply);
    if (reply.status !== 200 || doc === null) throw new KazooUnavailableError(`GET /accounts/{id} answered ${replyMessage(reply)}`);
    const parents = await this.read(`/accounts/${id}/parents`);
    const body = parents.body;
    if (parents.status === 404) return this.remove(id);
    if (parents.status !== 200 || !isJsonObject(body) || !Array.isArray(body['data'])) {
      throw new KazooUnavailableError(`GET /accounts/{id}/parents answered ${replyMessage(parents)}`);
    }
    const chain = body['data'].filter(isJsonObject);
    const ids = chain.map((p) => p['id']);
    if (chain.length === 0) {
      // Kazoo's master itself (its parents list is empty).
      const master = await this.session.token();
      if (master.accountId !== id) this.log.warn({ account_id: id }, 'kazoo account without parents is not the master; left out');
      return;
    }
    if (!ids.every((a): a is string => typeof a === 'string' && accountId.test(a)) || ids.length > 64) {
      throw new KazooUnavailableError('GET /accounts/{id}/parents answered something that is not a list of accounts');
    }
    let changed = false;
    // Ancestors callhook does not have yet come first, from what the parents list says of them.
    for (const [index, parent] of chain.entries()) {
      const parentId = ids[index] ?? '';
      if (index === 0 || (await this.store.getAccount(parentId)) !== null) continue;
      changed = (await this.put({ id: parentId, tree: ids.slice(0, index), fields: fieldsOf(parent) })) || changed;
    }
    changed = (await this.put({ id, tree: ids, fields: fieldsOf(doc) })) || changed;
    if (changed) {
      this.log.info({ account_id: id, tree: ids }, 'account changed in Kazoo: mirrored');
      this.onChange();
    }
  }
}
