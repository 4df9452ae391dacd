import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/storage/sqlite/driver.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { applyConnectionPragmas } from '../../src/storage/sqlite/pragmas.js';
import { migrate } from '../../src/storage/sqlite/schema.js';
import { hashApiKey } from '../../src/domain/api-key.js';
import { at, buildChildAccount, buildDelivery, buildHook, buildRootAccount, newId, trickyDoc } from '../support/factories.js';
import { WebhookCodec } from '../../src/storage/webhook-codec.js';
import { Validator } from '../../src/validation/validator.js';
import { runStoreContract } from './store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'callhook-sqlite-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const codec = new WebhookCodec(new Validator());

// A file per test rather than ':memory:', so WAL mode and the pragmas are what production runs.
runStoreContract('sqlite', async (codec) => {
  const file = join(dir, `${newId()}.db`);
  const store = openSqliteStore({ file, codec });
  return {
    store,
    async writeRawHook(accountId, id, doc) {
      // A second connection, as another process sharing the file would write.
      const raw = openDatabase(file);
      try {
        raw
          .prepare(
            `INSERT INTO webhooks (id, account_id, doc, enabled, disabled_reason, revision, created_at, modified_at)
             VALUES (@id, @accountId, @doc,
                     CASE WHEN json_valid(@doc) THEN (json_type(@doc, '$.enabled') IS NOT 'false') ELSE 0 END, NULL, 1, @now, @now)`,
          )
          .run({ id, accountId, doc: JSON.stringify(doc), now: Date.now() });
      } finally {
        raw.close();
      }
    },
  };
});

describe('sqlite store on disk', () => {
  it('keeps its data across close and reopen', async () => {
    const file = join(dir, `${newId()}.db`);
    const first = openSqliteStore({ file, codec });
    const root = await first.createAccount(buildRootAccount({ doc: trickyDoc() }));
    const child = await first.createAccount(buildChildAccount(root));
    const hook = await first.createWebhook(child.id, buildHook());
    const delivery = buildDelivery(child.id, hook.id, at(0));
    await first.insertDeliveries([delivery]);
    const secret = await first.getOrCreateSetting('cluster_id', 'kept');
    await first.close();

    const second = openSqliteStore({ file, codec });
    try {
      assert.deepEqual(await second.getAccount(root.id), root);
      assert.deepEqual(await second.getWebhook(child.id, hook.id), hook);
      assert.equal((await second.getDelivery(child.id, delivery.id))?.id, delivery.id);
      assert.equal(await second.getOrCreateSetting('cluster_id', 'other'), secret);
      assert.deepEqual(await second.listDescendantIds(root.id), [child.id]);
    } finally {
      await second.close();
    }
  });

  it('leaves the file in WAL mode and refuses a schema newer than it knows', async () => {
    const file = join(dir, `${newId()}.db`);
    await openSqliteStore({ file, codec }).close();
    const raw = openDatabase(file);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.ok(Number(raw.pragma('user_version', { simple: true })) >= 1);
    raw.pragma('user_version = 999', { simple: true });
    raw.close();
    assert.throws(() => openSqliteStore({ file, codec }), /newer than this callhook knows/);
  });

  it('gives every connection a 4 MB page cache, not the 16 MB better-sqlite3 builds SQLite with', () => {
    const raw = openDatabase(join(dir, `${newId()}.db`));
    assert.equal(raw.pragma('cache_size', { simple: true }), -16000, 'the build default this setting exists for');
    applyConnectionPragmas(raw, undefined, true);
    assert.equal(raw.pragma('cache_size', { simple: true }), -4000);
    assert.equal(raw.pragma('synchronous', { simple: true }), 1, 'NORMAL');
    raw.close();
  });

  it('makes new files with 8 KB pages and keeps the page size of a file made before', async () => {
    const fresh = join(dir, `${newId()}.db`);
    await openSqliteStore({ file: fresh, codec }).close();
    const older = join(dir, `${newId()}.db`);
    const made = openDatabase(older);
    made.pragma('journal_mode = WAL', { simple: true });
    migrate(made);
    made.close();

    const store = openSqliteStore({ file: older, codec });
    const root = await store.createAccount(buildRootAccount());
    await store.close();
    for (const [file, size] of [
      [fresh, 8192],
      [older, 4096],
    ] as const) {
      const raw = openDatabase(file);
      assert.equal(raw.pragma('page_size', { simple: true }), size, file);
      raw.close();
    }
    const reopened = openSqliteStore({ file: older, codec });
    assert.equal((await reopened.getAccount(root.id))?.id, root.id);
    await reopened.close();
  });

  it('upgrades an attempts log written before filters and stats: columns and hourly counts filled in', async () => {
    const file = join(dir, `${newId()}.db`);
    const raw = openDatabase(file);
    migrate(raw, 8); // the last version before attempt filters and hourly tallies
    const accountId = newId();
    const hookId = newId();
    const insert = raw.prepare(
      'INSERT INTO attempts (id, account_id, hook_id, created_at, doc) VALUES (@id, @accountId, @hookId, @at, @doc)',
    );
    const rows = [
      { result: 'success', hook_event: 'CHANNEL_CREATE', at: at(0).getTime() },
      { result: 'failure', hook_event: 'CHANNEL_CREATE', at: at(10).getTime() },
      { result: 'failure', hook_event: 'ping', at: at(20).getTime() },
    ];
    for (const row of rows) {
      insert.run({ id: newId(), accountId, hookId, at: row.at, doc: JSON.stringify({ result: row.result, hook_event: row.hook_event }) });
    }
    raw.close();
    const store = openSqliteStore({ file, codec });
    try {
      const failures = await store.listAttempts(accountId, {
        from: at(-1000),
        to: at(1000),
        conditions: [{ field: 'result', value: 'failure', negate: false }],
      });
      assert.equal(failures.items.length, 2);
      const hours = await store.listAttemptHours(accountId, { from: new Date(0), to: at(3_600_000) });
      assert.deepEqual(
        hours.map((h) => [h.succeeded, h.failed, h.lastFailureAt?.getTime()]),
        [[1, 1, at(10).getTime()]],
        'pings are not counted',
      );
    } finally {
      await store.close();
    }
  });

  it('upgrades plain API keys to their hashes (key version 1) and drops the stored token-signing key', async () => {
    const file = join(dir, `${newId()}.db`);
    const raw = openDatabase(file);
    migrate(raw, 9); // the last version that kept API keys in clear
    const [rootId, childId] = [newId(), newId()];
    const insert = raw.prepare(
      `INSERT INTO accounts (id, parent_id, tree, api_key, doc, revision, created_at, modified_at)
       VALUES (@id, @parent, @tree, @key, '{}', 1, 0, 0)`,
    );
    insert.run({ id: rootId, parent: null, tree: '[]', key: 'root-key-in-clear-0123456789' });
    insert.run({ id: childId, parent: rootId, tree: JSON.stringify([rootId]), key: 'child-key-in-clear-0123456789' });
    raw.prepare("INSERT INTO settings (key, value) VALUES ('jwt_secret', 'old-signing-key')").run({});
    raw.close();

    const store = openSqliteStore({ file, codec });
    try {
      const child = await store.findAccountByApiKeyHash(hashApiKey('child-key-in-clear-0123456789'));
      assert.deepEqual([child?.id, child?.keyVersion], [childId, 1]);
      assert.equal((await store.getAccount(rootId))?.apiKeyHash, hashApiKey('root-key-in-clear-0123456789'));
      assert.equal(await store.findAccountByApiKeyHash('root-key-in-clear-0123456789'), null);
      assert.equal(await store.getOrCreateSetting('jwt_secret', 'fresh'), 'fresh', 'the stored signing key is gone');
    } finally {
      await store.close();
    }
    const after = openDatabase(file);
    const text = JSON.stringify(after.prepare('SELECT * FROM accounts').all({}));
    after.close();
    assert.ok(!text.includes('key-in-clear'), 'no key in clear is left in the file');
  });

  it('runs in an in-memory database too', async () => {
    const store = openSqliteStore({ file: ':memory:', codec });
    try {
      const root = await store.createAccount(buildRootAccount());
      assert.equal((await store.getMasterAccount())?.id, root.id);
    } finally {
      await store.close();
    }
  });
});

// A claim is many deliveries at once: one whose stored text is damaged must not fail the others'
// claim (they would wait, leased and unsent, every time it came due).
for (const writerThread of [true, false]) {
  it(`claims a delivery whose stored payload cannot be parsed with the others${writerThread ? '' : ' (no writer thread)'}`, async () => {
    const file = join(dir, `${newId()}.db`);
    const store = openSqliteStore({ file, codec, writerThread });
    try {
      const root = await store.createAccount(buildRootAccount());
      const hook = await store.createWebhook(root.id, buildHook());
      const good = buildDelivery(root.id, hook.id, at(0));
      const damaged = buildDelivery(root.id, hook.id, at(1));
      await store.insertDeliveries([good, damaged]);
      const raw = openDatabase(file);
      raw.prepare('UPDATE deliveries SET payload = @text WHERE id = @id').run({ id: damaged.id, text: '{"call_id": "cut sh' });
      raw.close();

      const claimed = await store.claimDueDeliveries('me', at(10), at(60_000), 10);
      assert.deepEqual(
        claimed.map((d) => d.id),
        [good.id, damaged.id],
      );
      assert.deepEqual(claimed[0]?.payload, good.payload);
      assert.equal(claimed[0]?.payloadJson, JSON.stringify(good.payload));
      // Its stored text is all there is; reading it as an object fails where it is read.
      assert.equal(claimed[1]?.payloadJson, '{"call_id": "cut sh');
      assert.throws(() => claimed[1]?.payload, SyntaxError);
    } finally {
      await store.close();
    }
  });
}
