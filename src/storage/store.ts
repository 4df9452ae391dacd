/**
 * The storage port. SQLite (embedded default) and MongoDB implement it, and one contract
 * suite (test/contract/store.contract.ts) runs against both. Rules every adapter keeps:
 * - every account-owned query is scoped by the account id in the method's signature;
 * - no driver type crosses this interface;
 * - driver errors become the app's errors: a duplicate key or a lost revision race is a
 *   ConflictError, a missing document on a write is a NotFoundError;
 * - documents (`doc`) round-trip exactly, key order included;
 * - dates are `Date` objects with millisecond precision;
 * - a `limit` of 0 or less means none (never "no limit", as a driver may read it).
 */
import type { AttemptCondition } from '../domain/attempt-filters.js';
import type { HealthSample, HookHealth } from '../domain/disable-policy.js';
import type { JsonObject } from '../domain/json.js';
import type { LatencyHistogram } from '../domain/latency-histogram.js';
import type { InlineHook, Webhook, WebhookDraft } from '../domain/webhook.js';

export type { AttemptCondition, HealthSample, HookHealth, InlineHook, LatencyHistogram, Webhook, WebhookDraft };

export interface PageRequest {
  /** Maximum items to return; `undefined` means all (Crossbar's `paginate=false`). */
  limit?: number;
  /** Opaque cursor from a previous page's `nextStartKey`. */
  startKey?: string;
}

export interface Page<T> {
  items: T[];
  /** Present only when another page exists. Opaque to callers. */
  nextStartKey?: string;
}

export interface AccountRecord {
  id: string;
  /** null only for the master (root) account. */
  parentId: string | null;
  /** Ancestor ids, root first, parent last (Kazoo's pvt_tree). Empty for the master. */
  tree: string[];
  /** SHA-256 of the API key (domain/api-key.ts); the key itself is never stored. */
  apiKeyHash: string;
  /**
   * Starts at 1 and goes up each time the key is replaced; auth tokens carry the version they were
   * issued under, so replacing the key ends every token issued before.
   */
  keyVersion: number;
  /** Public fields (`name`, `timezone`, …) as the API stores them; never contains `id`. */
  doc: JsonObject;
  revision: number;
  createdAt: Date;
  modifiedAt: Date;
}

export interface NewAccount {
  id: string;
  parentId: string | null;
  tree: string[];
  /** SHA-256 of the API key; the new account's keyVersion is 1. */
  apiKeyHash: string;
  doc: JsonObject;
}

/** What a webhook write changes: the draft, and the reason when callhook itself disabled it. */
export interface WebhookChange extends WebhookDraft {
  disabledReason: string | null;
}

/** What deleteWebhook removed: the hook, or null when its stored document was unreadable. */
export interface DeletedWebhook {
  id: string;
  hook: Webhook | null;
}

export interface AttemptRecord {
  id: string;
  accountId: string;
  hookId: string;
  createdAt: Date;
  /** Kazoo's attempt fields (hook_event, uri, result, resp_status_code, …). */
  doc: JsonObject;
}

export interface AttemptQuery extends PageRequest {
  /** Only this hook's attempts when set. */
  hookId?: string;
  /** Inclusive bounds on createdAt. */
  from: Date;
  to: Date;
  /** Crossbar's filter_* on the attempt's fields, ANDed; applied by the store so paging stays exact. */
  conditions?: readonly AttemptCondition[];
}

/** One delivery attempt's share of its hook's hourly tally (pings are not deliveries: none). */
export interface AttemptTally {
  hookId: string;
  at: Date;
  succeeded: boolean;
  durationMs: number;
}

/** A hook's delivery attempts in one hour, summed as they are recorded. */
export interface AttemptHour {
  hookId: string;
  /** The start of the hour (UTC). */
  hour: Date;
  succeeded: number;
  failed: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  latency: LatencyHistogram;
}

export interface AttemptHourQuery {
  /** One hook's hours; all of the account's hooks when absent. */
  hookId?: string;
  /** Hours starting at or after `from` and before `to`. */
  from: Date;
  to: Date;
}

export interface LastAttemptTimes {
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
}

export interface AccountStore {
  /** Throws ConflictError when the id exists, or when a second root (parentId null) is created. */
  createAccount(account: NewAccount): Promise<AccountRecord>;
  getAccount(accountId: string): Promise<AccountRecord | null>;
  findAccountByApiKeyHash(apiKeyHash: string): Promise<AccountRecord | null>;
  getMasterAccount(): Promise<AccountRecord | null>;
  /** Direct children, ordered by id ascending, paginated. */
  listChildAccounts(accountId: string, page: PageRequest): Promise<Page<AccountRecord>>;
  /** Ids of every account below `accountId` (not itself), any depth. */
  listDescendantIds(accountId: string): Promise<string[]>;
  /**
   * Replaces doc if the stored revision matches; revision + 1. With `apiKeyHash` the key is
   * replaced too and keyVersion goes up by one (tokens issued under the old key stop working).
   */
  updateAccount(accountId: string, expectedRevision: number, change: { doc: JsonObject; apiKeyHash?: string }): Promise<AccountRecord>;
  /** Deletes the account, all its descendants, and their webhooks (with health), attempts, deliveries and calls. Returns deleted account ids. */
  deleteAccountTree(accountId: string): Promise<string[]>;
  /**
   * The account mirror's write (Kazoo-integrated mode): creates the account, or replaces an existing
   * one's parent, tree and doc (keeping its API key and key version), revision + 1. ConflictError when it would be a
   * second root, or a new account's API key is taken.
   */
  putAccount(account: NewAccount): Promise<AccountRecord>;
  /**
   * Makes the account the root (parentId null, tree []), creating it or moving it there. Another
   * root is removed first, with its own webhooks, attempts, deliveries and calls but not the accounts
   * below it, which keep their records for the caller to re-attach or delete.
   */
  replaceRoot(account: Omit<NewAccount, 'parentId' | 'tree'>): Promise<AccountRecord>;
}

/**
 * Webhooks come out of the store as the typed model (domain/webhook.ts), parsed once by the
 * adapter through the shared codec; a stored document that does not parse is reported and left out.
 */
export interface WebhookStore {
  /** Throws ConflictError when the id is taken (by any account). */
  createWebhook(accountId: string, hook: { id: string } & WebhookDraft): Promise<Webhook>;
  getWebhook(accountId: string, hookId: string): Promise<Webhook | null>;
  /** Every hook of the account, ordered by id ascending. Accounts hold few hooks (a configured cap). */
  listWebhooks(accountId: string): Promise<Webhook[]>;
  countWebhooks(accountId: string): Promise<number>;
  /**
   * Enabled hooks of any of these accounts, for event matching; with `includeAutoDisabled`, also
   * the hooks callhook disabled itself (their events are kept for when they come back).
   */
  listEnabledWebhooks(accountIds: readonly string[], options?: { includeAutoDisabled?: boolean }): Promise<Webhook[]>;
  /** Replaces the hook if the stored revision matches (else ConflictError; NotFoundError if gone). */
  replaceWebhook(accountId: string, hookId: string, expectedRevision: number, change: WebhookChange): Promise<Webhook>;
  /** Deletes the hook, its health and its unfinished deliveries. Null when there was none. */
  deleteWebhook(accountId: string, hookId: string): Promise<DeletedWebhook | null>;
  /**
   * Re-enables the hooks callhook auto-disabled (disabled with a disabledReason) in these
   * accounts: enabled true, disabledReason null, revision + 1, health cleared. Returns how many changed.
   */
  reenableWebhooks(accountIds: readonly string[]): Promise<number>;
  /** The hook's delivery health, or null before its first recorded attempt (or since it was cleared). */
  getHookHealth(accountId: string, hookId: string): Promise<HookHealth | null>;
  /** Forgets the hook's health (a re-enabled hook starts counting afresh). */
  clearHookHealth(accountId: string, hookId: string): Promise<void>;
  /**
   * Start-up pass over every stored hook (all accounts): writes back each document whose signing
   * secrets the codec reseals (WebhookCodec.reseal: encrypted once a key is set), revision
   * unchanged. Returns how many were rewritten; throws the codec's SecretsKeyError when a stored
   * secret cannot be opened with the key configured.
   */
  resealWebhookSecrets(): Promise<number>;
}

export interface AttemptStore {
  insertAttempt(accountId: string, attempt: AttemptRecord): Promise<void>;
  /** Newest first (createdAt desc, then id desc), within [from, to]. */
  listAttempts(accountId: string, query: AttemptQuery): Promise<Page<AttemptRecord>>;
  /**
   * Retention sweep across all accounts: removes at most `limit` attempts created before `cutoff`
   * (callers loop, so no single call holds the store for long). Returns how many were removed.
   */
  deleteAttemptsBefore(cutoff: Date, limit: number): Promise<number>;
  /** Hourly tallies (see AttemptTally), oldest hour first, then by hook id. */
  listAttemptHours(accountId: string, query: AttemptHourQuery): Promise<AttemptHour[]>;
  /** The hook's latest success and failure over every hour still kept (null when none). */
  lastAttemptTimes(accountId: string, hookId: string): Promise<LastAttemptTimes>;
  /** Retention sweep across all accounts: removes at most `limit` tallies of hours starting before `cutoff`. */
  deleteAttemptHoursBefore(cutoff: Date, limit: number): Promise<number>;
}

export interface SettingStore {
  /**
   * Returns the stored value for `key`, or stores `candidate` and returns it when none exists.
   * Atomic across instances sharing the store: every caller gets the same value.
   */
  getOrCreateSetting(key: string, candidate: string): Promise<string>;
}

/**
 * The outbox: one record per (event, hook). Stored before the AMQP message is acked, so a
 * crash means a retry, never a loss. A delivery is worked on only under a lease.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface DeliveryRecord {
  /** Stable across attempts; sent as `webhook-id`. */
  id: string;
  /** The hook owner's account. */
  accountId: string;
  hookId: string;
  /** Kazoo's internal event name for the attempts log (CHANNEL_CREATE, call.finished, …). */
  hookEvent: string;
  /** The payload as built at fan-out (custom_data merged); sent on every attempt. */
  payload: JsonObject;
  /**
   * The payload as JSON text, when it is at hand (serialized once at fan-out, or the text SQLite
   * read): the store and the request body use it instead of serializing the payload again. Not a
   * stored field of its own; absent, the payload is serialized where needed.
   */
  payloadJson?: string;
  status: DeliveryStatus;
  /** Attempts made so far. */
  attemptCount: number;
  nextAttemptAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  /** When the source event happened (end-to-end latency). */
  eventAt: Date;
  /**
   * Set when the hook exists only in the event that named it (the callflow `webhook` action):
   * the delivery is sent to this, and `hookId` names no stored hook. Absent otherwise.
   */
  inlineHook?: InlineHook;
  createdAt: Date;
  updatedAt: Date;
}

export type NewDelivery = Omit<DeliveryRecord, 'createdAt' | 'updatedAt'>;

export interface DeliveryOutcome {
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date;
}

/**
 * One attempt's bookkeeping: the attempts-log entry (null when not logged), the outbox outcome,
 * and the attempt's effect on its hook's health (absent for bookkeeping that made no attempt).
 */
export interface AttemptOutcome {
  accountId: string;
  deliveryId: string;
  owner: string;
  outcome: DeliveryOutcome;
  attempt: AttemptRecord | null;
  health?: { hookId: string; sample: HealthSample };
  /** Added to the hook's hourly tally, whether or not the attempt itself is logged. */
  tally?: AttemptTally;
}

/** What `resendDelivery` found: put back in line, being sent right now, or not stored (any more). */
export type ResendResult = { outcome: 'requeued'; delivery: DeliveryRecord } | { outcome: 'busy' } | { outcome: 'missing' };

export interface RecordedOutcome {
  /** False when the lease had moved on (or the delivery was gone): the outcome was not applied. */
  applied: boolean;
  /** The hook's health after this entry's sample, when it had one. */
  health: HookHealth | null;
}

export interface DeliveryStore {
  /**
   * Inserts the batch atomically (all or none). A delivery whose id already exists is skipped,
   * so re-processing a redelivered message does not duplicate work. Returns the ids inserted.
   */
  insertDeliveries(deliveries: readonly NewDelivery[]): Promise<string[]>;
  /**
   * Leases up to `limit` pending deliveries that are due (nextAttemptAt <= now) and not under
   * a live lease (leaseExpiresAt null or <= now), oldest nextAttemptAt first, leaving out those of
   * the hooks in `exceptHookIds` (whose lanes are full). Two callers never get the same delivery
   * while its lease lives.
   */
  claimDueDeliveries(
    owner: string,
    now: Date,
    leaseExpiresAt: Date,
    limit: number,
    exceptHookIds?: readonly string[],
  ): Promise<DeliveryRecord[]>;
  /** Records an outcome and releases the lease, only while `owner` holds it (else ConflictError). */
  finishDelivery(accountId: string, deliveryId: string, owner: string, outcome: DeliveryOutcome): Promise<void>;
  /**
   * Records a batch of attempts and outcomes in one write (one transaction where the store has
   * them). Each attempt is logged and its health sample applied (atomically per hook: a success
   * moves okAt forward, never back; a failure appends its time); each outcome applies only while
   * `owner` still holds the lease. Returns, per entry, what was applied.
   */
  recordOutcomes(entries: readonly AttemptOutcome[]): Promise<RecordedOutcome[]>;
  /** Gives leases of `owner` back (shutdown) so another instance can take them at once. */
  releaseLeases(owner: string): Promise<number>;
  getDelivery(accountId: string, deliveryId: string): Promise<DeliveryRecord | null>;
  /** Failed (exhausted) deliveries of a hook updated at or after `since`, oldest first. */
  listFailedDeliveries(accountId: string, hookId: string, since: Date, limit: number): Promise<DeliveryRecord[]>;
  /**
   * Puts up to `limit` failed deliveries of a hook, last updated at or after `since`, back in line:
   * pending, due now, attempt count reset, same ids. Returns how many.
   */
  requeueFailedDeliveries(accountId: string, hookId: string, since: Date, limit: number): Promise<number>;
  /**
   * Puts one delivery of the hook back in line whatever its state (delivered, failed, cancelled or
   * waiting for a retry): pending, due `now`, attempt count reset, same id. A delivery under a live
   * lease (an attempt in flight) is left alone: 'busy'.
   */
  resendDelivery(accountId: string, hookId: string, deliveryId: string, now: Date): Promise<ResendResult>;
  /** Pending deliveries of the hook that have failed at least once, counted up to `cap`. */
  countPendingRetries(accountId: string, hookId: string, cap: number): Promise<number>;
  /** Pending deliveries across all accounts (metrics gauge). */
  countPendingDeliveries(): Promise<number>;
  /** Pending deliveries per hook, across all accounts, the `limit` largest first (metrics gauge). */
  countPendingByHook(limit: number): Promise<Array<{ hookId: string; pending: number }>>;
  /**
   * Removes at most `limit` deliveries in one of `statuses` (never 'pending') last updated before
   * `cutoff`. Returns how many were removed.
   */
  deleteFinishedDeliveriesBefore(cutoff: Date, statuses: readonly Exclude<DeliveryStatus, 'pending'>[], limit: number): Promise<number>;
}

/** One Kazoo event of a call, as received (the raw message), under its event key. */
export interface StoredCallEvent {
  key: string;
  body: JsonObject;
  receivedAt: Date;
}

/** A call being tracked for Atende-style summaries, keyed by (account, call key). */
export interface CallRecord {
  accountId: string;
  callKey: string;
  /** When to check whether the call is over (set while it looks over; null otherwise). */
  checkDueAt: Date | null;
  /** When the call was judged over (its summary is then due, once). */
  finishedAt: Date | null;
  /** The summary was stored in the outbox. */
  done: boolean;
  expiresAt: Date;
}

/**
 * Call state for call summaries. Events of one call may reach different instances, out of order or
 * twice, so each instance only appends what it receives (idempotent per event key) and the call
 * is folded from all of it. The completion check is claimed under a lease like a delivery.
 */
/** What one call may hold: events, and their bytes as JSON. */
export interface CallLimits {
  maxEvents: number;
  maxBytes: number;
}

/** `full`: the event would take the call past its limits, so it was not kept. */
export type CallAppend = 'added' | 'duplicate' | 'full';

export interface CallStore {
  /**
   * Adds the event to the call, creating the call when new and moving its expiry to at least
   * `expiresAt`; an event whose key the call already has is a duplicate, one past `limits` is
   * not kept (the call's counts only ever include kept events).
   */
  appendCallEvent(accountId: string, callKey: string, event: StoredCallEvent, expiresAt: Date, limits: CallLimits): Promise<CallAppend>;
  /** The call's events, oldest receivedAt first (the fold orders them by event time itself). */
  listCallEvents(accountId: string, callKey: string): Promise<StoredCallEvent[]>;
  getCall(accountId: string, callKey: string): Promise<CallRecord | null>;
  /** Asks for a completion check at `dueAt` (replacing an earlier one), unless the summary is done. */
  scheduleCallCheck(accountId: string, callKey: string, dueAt: Date): Promise<void>;
  /** Leases up to `limit` calls whose check is due and not done, and not under a live lease. */
  claimDueCalls(owner: string, now: Date, leaseExpiresAt: Date, limit: number): Promise<CallRecord[]>;
  /** Sets finishedAt (if not set yet) while `owner` holds the lease; the record, or null if the lease is lost. */
  markCallFinished(accountId: string, callKey: string, owner: string, at: Date): Promise<CallRecord | null>;
  /**
   * Releases `owner`'s lease, recording whether the summary is done. A check scheduled after
   * `claimedAt` (a late event) is kept; an earlier one is cleared.
   */
  releaseCall(accountId: string, callKey: string, owner: string, done: boolean, claimedAt: Date): Promise<void>;
  /** Removes at most `limit` calls (with their events) that expired before `now`. */
  deleteExpiredCalls(now: Date, limit: number): Promise<number>;
}

/** What a takeover released: the instances found dead and the leases they held. */
export interface Takeover {
  owners: string[];
  deliveries: number;
  calls: number;
}

/**
 * Instances say they are alive; the leases of one that stopped saying so are released for the
 * others, so a crashed instance's work resumes in seconds rather than after its leases expire.
 */
export interface InstanceStore {
  /** Records that `owner` is alive at `at`. */
  heartbeat(owner: string, at: Date): Promise<void>;
  /**
   * Releases every delivery and call lease held by an instance whose last heartbeat is before
   * `staleBefore`, and forgets those instances. Leases of owners that never beat are left to expire.
   */
  takeOverStaleLeases(staleBefore: Date): Promise<Takeover>;
  /** Forgets `owner` (a clean stop, after its leases were handed back). */
  removeInstance(owner: string): Promise<void>;
}

export interface Store extends AccountStore, WebhookStore, AttemptStore, DeliveryStore, SettingStore, CallStore, InstanceStore {
  /** Cheap round trip for /health. Throws when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
