/**
 * Schema migrations, applied on open. `PRAGMA user_version` records how many have run; each
 * migration runs in its own transaction together with the version bump, so a crash mid-way
 * leaves the database at the previous version. Append only: never edit a shipped migration.
 *
 * Times are INTEGER milliseconds since the epoch (exact, and ordered like the numbers they are);
 * documents are JSON text, which JSON.parse gives back with key order intact.
 * No foreign keys: the port spells out every cascade (deleteAccountTree, deleteWebhook), the
 * Mongo adapter has none either, and both must behave the same.
 */
import { hashApiKey } from '../../domain/api-key.js';
import type { Database } from './driver.js';

const migrations: readonly string[] = [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    parent_id TEXT,
    tree TEXT NOT NULL,
    api_key TEXT NOT NULL,
    doc TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX accounts_api_key ON accounts (api_key);
  CREATE INDEX accounts_parent ON accounts (parent_id, id);
  -- Every root row has the same indexed value, so a second root is a UNIQUE violation.
  CREATE UNIQUE INDEX accounts_single_root ON accounts ((parent_id IS NULL)) WHERE parent_id IS NULL;

  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    disabled_reason TEXT,
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX webhooks_account ON webhooks (account_id, id);

  CREATE TABLE attempts (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    hook_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    doc TEXT NOT NULL
  ) STRICT;
  CREATE INDEX attempts_account_time ON attempts (account_id, created_at, id);
  CREATE INDEX attempts_hook_time ON attempts (account_id, hook_id, created_at, id);
  CREATE INDEX attempts_created ON attempts (created_at);

  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    hook_id TEXT NOT NULL,
    hook_event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempt_count INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_expires_at INTEGER,
    event_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  -- Partial indexes: queries name status = 'pending' literally so the planner can use them.
  CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE status = 'pending';
  CREATE INDEX deliveries_lease_owner ON deliveries (lease_owner) WHERE lease_owner IS NOT NULL;
  CREATE INDEX deliveries_hook ON deliveries (account_id, hook_id, status, updated_at);
  CREATE INDEX deliveries_finished ON deliveries (updated_at) WHERE status <> 'pending';

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- failures: JSON list of millisecond times, oldest first, bounded by the writer.
  CREATE TABLE hook_health (
    hook_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    ok_at INTEGER NOT NULL,
    failures TEXT NOT NULL
  ) STRICT;
  CREATE INDEX hook_health_account ON hook_health (account_id);
  `,
  `
  CREATE TABLE calls (
    account_id TEXT NOT NULL,
    call_key TEXT NOT NULL,
    check_due_at INTEGER,
    finished_at INTEGER,
    done INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires_at INTEGER,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, call_key)
  ) STRICT;
  CREATE INDEX calls_due ON calls (check_due_at) WHERE check_due_at IS NOT NULL AND done = 0;
  CREATE INDEX calls_expiry ON calls (expires_at);

  CREATE TABLE call_events (
    account_id TEXT NOT NULL,
    call_key TEXT NOT NULL,
    event_key TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, call_key, event_key)
  ) STRICT;
  `,
  `
  -- Health is keyed by (account, hook) like every account-owned record, so a sample that names
  -- a hook under the wrong account can never touch the owner's record.
  CREATE TABLE hook_health_by_account (
    account_id TEXT NOT NULL,
    hook_id TEXT NOT NULL,
    ok_at INTEGER NOT NULL,
    failures TEXT NOT NULL,
    PRIMARY KEY (account_id, hook_id)
  ) STRICT;
  INSERT INTO hook_health_by_account (account_id, hook_id, ok_at, failures) SELECT account_id, hook_id, ok_at, failures FROM hook_health;
  DROP TABLE hook_health;
  ALTER TABLE hook_health_by_account RENAME TO hook_health;
  `,
  `
  CREATE TABLE instances (
    owner TEXT PRIMARY KEY,
    heartbeat_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX calls_lease_owner ON calls (lease_owner) WHERE lease_owner IS NOT NULL;
  `,
  `
  -- JSON of the hook a delivery goes to when no stored hook exists (callflow webhook action).
  ALTER TABLE deliveries ADD COLUMN inline_hook TEXT;
  `,
  `
  -- The document's enabled flag as a column, so no query runs JSON functions on stored documents
  -- (one nested deeper than SQLite's JSON parser allows failed every query that touched it).
  -- A document SQLite cannot parse counts as enabled here; reading it skips it anyway.
  ALTER TABLE webhooks ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
  UPDATE webhooks SET enabled = CASE WHEN json_valid(doc) THEN json_type(doc, '$.enabled') IS NOT 'false' ELSE 1 END;
  `,
  `
  -- What each call holds, so an append can refuse an event past the call's limits without counting.
  ALTER TABLE calls ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE calls ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
  UPDATE calls SET
    events = (SELECT count(*) FROM call_events e WHERE e.account_id = calls.account_id AND e.call_key = calls.call_key),
    bytes = (SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) FROM call_events e WHERE e.account_id = calls.account_id AND e.call_key = calls.call_key);
  `,
  `
  -- The attempts log is filtered in the store (filter_result, filter_hook_event): the two fields
  -- it is most often filtered on get columns, written with the row, and "failures only" an index.
  ALTER TABLE attempts ADD COLUMN result TEXT;
  ALTER TABLE attempts ADD COLUMN hook_event TEXT;
  UPDATE attempts SET result = json_extract(doc, '$.result'), hook_event = json_extract(doc, '$.hook_event') WHERE json_valid(doc);
  CREATE INDEX attempts_account_result ON attempts (account_id, result, created_at, id);

  -- Delivery attempts rolled up per hook and hour as they are recorded, so stats cost the number of
  -- hours asked for, not the number of attempts. latency: JSON object, histogram bucket → count.
  CREATE TABLE attempt_hours (
    account_id TEXT NOT NULL,
    hook_id TEXT NOT NULL,
    hour INTEGER NOT NULL,
    succeeded INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    last_success_at INTEGER,
    last_failure_at INTEGER,
    latency TEXT NOT NULL,
    PRIMARY KEY (account_id, hook_id, hour)
  ) STRICT;
  CREATE INDEX attempt_hours_account ON attempt_hours (account_id, hour);
  CREATE INDEX attempt_hours_hour ON attempt_hours (hour);
  -- Hours logged before this version: counts and last times from the log (no latency histogram).
  INSERT INTO attempt_hours (account_id, hook_id, hour, succeeded, failed, last_success_at, last_failure_at, latency)
  SELECT account_id, hook_id, (created_at / 3600000) * 3600000,
         sum(result = 'success'), sum(result IS NOT 'success'),
         max(CASE WHEN result = 'success' THEN created_at END), max(CASE WHEN result IS NOT 'success' THEN created_at END), '{}'
  FROM attempts WHERE hook_event IS NOT 'ping' GROUP BY 1, 2, 3;
  `,
  `
  -- Secrets at rest: API keys are kept as their SHA-256 (domain/api-key.ts), with a version that
  -- tokens carry so that replacing a key ends them. The token-signing key no longer lives in the
  -- store (services/signing-key.ts): the one generated here before is dropped.
  ALTER TABLE accounts RENAME COLUMN api_key TO api_key_hash;
  UPDATE accounts SET api_key_hash = callhook_sha256_hex(api_key_hash);
  ALTER TABLE accounts ADD COLUMN key_version INTEGER NOT NULL DEFAULT 1;
  DROP INDEX accounts_api_key;
  CREATE UNIQUE INDEX accounts_api_key_hash ON accounts (api_key_hash);
  DELETE FROM settings WHERE key = 'jwt_secret';
  `,
];

function versionOf(db: Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Applies the migrations up to `target` (all of them; tests stop earlier to build an old file). */
export function migrate(db: Database, target = migrations.length): void {
  const found = versionOf(db);
  if (found > migrations.length) {
    throw new Error(`SQLite schema version ${found} is newer than this callhook knows (${migrations.length}); refusing to open`);
  }
  // Migrations hash stored API keys in SQL; SQLite has no SHA-256 of its own.
  db.function('callhook_sha256_hex', { deterministic: true }, (value: unknown) => hashApiKey(String(value)));
  migrations.slice(0, target).forEach((sql, index) => {
    const version = index + 1;
    // The version is read again under the write lock: another process opening the same file
    // may have applied this step while we waited.
    db.transaction(() => {
      if (versionOf(db) >= version) return;
      db.exec(sql);
      // PRAGMA takes no bound parameters; `version` is an integer we computed.
      db.exec(`PRAGMA user_version = ${version}`);
    }).immediate();
  });
}
