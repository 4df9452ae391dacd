import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/storage/sqlite/driver.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
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
    const secret = await first.getOrCreateSetting('jwt_secret', 'kept');
    await first.close();

    const second = openSqliteStore({ file, codec });
    try {
      assert.deepEqual(await second.getAccount(root.id), root);
      assert.deepEqual(await second.getWebhook(child.id, hook.id), hook);
      assert.equal((await second.getDelivery(child.id, delivery.id))?.id, delivery.id);
      assert.equal(await second.getOrCreateSetting('jwt_secret', 'other'), secret);
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
