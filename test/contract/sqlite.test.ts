import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/storage/sqlite/driver.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { at, buildChildAccount, buildDelivery, buildHookDoc, buildRootAccount, newId, trickyDoc } from '../support/store-fixtures.js';
import { runStoreContract } from './store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'callhook-sqlite-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A file per test rather than ':memory:', so WAL mode and the pragmas are what production runs.
runStoreContract('sqlite', async () => openSqliteStore({ file: join(dir, `${newId()}.db`) }));

describe('sqlite store on disk', () => {
  it('keeps its data across close and reopen', async () => {
    const file = join(dir, `${newId()}.db`);
    const first = openSqliteStore({ file });
    const root = await first.createAccount(buildRootAccount({ doc: trickyDoc() }));
    const child = await first.createAccount(buildChildAccount(root));
    const hook = await first.createWebhook(child.id, { id: newId(), doc: buildHookDoc() });
    const delivery = buildDelivery(child.id, hook.id, at(0));
    await first.insertDeliveries([delivery]);
    const secret = await first.getOrCreateSetting('jwt_secret', 'kept');
    await first.close();

    const second = openSqliteStore({ file });
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
    await openSqliteStore({ file }).close();
    const raw = openDatabase(file);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.ok(Number(raw.pragma('user_version', { simple: true })) >= 1);
    raw.pragma('user_version = 999', { simple: true });
    raw.close();
    assert.throws(() => openSqliteStore({ file }), /newer than this callhook knows/);
  });

  it('runs in an in-memory database too', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    try {
      const root = await store.createAccount(buildRootAccount());
      assert.equal((await store.getMasterAccount())?.id, root.id);
    } finally {
      await store.close();
    }
  });
});
