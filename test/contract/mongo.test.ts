import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { databaseInUrl, openMongoStore } from '../../src/storage/mongo/index.js';
import { hashApiKey } from '../../src/domain/api-key.js';
import { newId } from '../support/factories.js';
import { testCodec } from '../support/stores.js';
import { runStoreContract } from './store.contract.js';

const url = process.env['MONGODB_URL'];

describe('databaseInUrl', () => {
  it('reads the database from single- and multi-host URLs', () => {
    assert.equal(databaseInUrl('mongodb://127.0.0.1:27017/callhook_test'), 'callhook_test');
    assert.equal(databaseInUrl('mongodb://u:p@h1:1,h2:2/db?replicaSet=rs'), 'db');
    assert.equal(databaseInUrl('mongodb+srv://cluster.example.com/x%2Dy?tls=true'), 'x-y');
    assert.equal(databaseInUrl('mongodb://127.0.0.1:27017'), undefined);
    assert.equal(databaseInUrl('mongodb://127.0.0.1:27017/?w=majority'), undefined);
  });
});

if (url === undefined) {
  describe('store contract: mongo', { skip: 'MONGODB_URL is not set; the MongoDB contract needs a server' }, () => {});
} else {
  // One client of our own drops each test's database after the store under test has closed.
  const admin = new MongoClient(url);
  before(() => admin.connect());
  after(() => admin.close());

  runStoreContract('mongo', async (codec) => {
    const dbName = `callhook_contract_${newId().slice(0, 16)}`;
    const store = await openMongoStore({ url, dbName, codec });
    let dropped = false;
    return {
      store: {
        ...store,
        async close() {
          await store.close();
          if (!dropped) {
            dropped = true;
            await admin.db(dbName).dropDatabase();
          }
        },
      },
      async writeRawHook(accountId, id, doc) {
        const now = new Date();
        await admin
          .db(dbName)
          .collection<{ _id: string; [key: string]: unknown }>('webhooks')
          .insertOne({ _id: id, accountId, doc, disabledReason: null, revision: 1, createdAt: now, modifiedAt: now });
      },
    };
  });
  describe('mongo store upgrade', () => {
    it('replaces plain API keys by their hashes (key version 1), drops the old index and the stored signing key', async () => {
      const dbName = `callhook_upgrade_${newId().slice(0, 16)}`;
      const db = admin.db(dbName);
      try {
        const accounts = db.collection<{ _id: string; [key: string]: unknown }>('accounts');
        await accounts.createIndex({ apiKey: 1 }, { name: 'api_key', unique: true });
        const [rootId, childId] = [newId(), newId()];
        const now = new Date();
        const old = { doc: {}, revision: 1, createdAt: now, modifiedAt: now };
        await accounts.insertMany([
          { _id: rootId, parentId: null, tree: [], apiKey: 'root-key-in-clear-0123456789', root: true, ...old },
          { _id: childId, parentId: rootId, tree: [rootId], apiKey: 'child-key-in-clear-0123456789', ...old },
        ]);
        await db.collection<{ _id: string; value: string }>('settings').insertOne({ _id: 'jwt_secret', value: 'old-signing-key' });

        for (let start = 0; start < 2; start += 1) {
          // Twice: the second open finds nothing left to change.
          const store = await openMongoStore({ url, dbName, codec: testCodec() });
          try {
            const child = await store.findAccountByApiKeyHash(hashApiKey('child-key-in-clear-0123456789'));
            assert.deepEqual([child?.id, child?.keyVersion], [childId, 1]);
            assert.equal((await store.getAccount(rootId))?.apiKeyHash, hashApiKey('root-key-in-clear-0123456789'));
            assert.equal(await store.getOrCreateSetting('jwt_secret', 'fresh'), 'fresh');
          } finally {
            await store.close();
          }
          await db.collection('settings').deleteOne({ _id: 'jwt_secret' } as object);
        }
        assert.ok(!JSON.stringify(await accounts.find({}).toArray()).includes('key-in-clear'));
        const indexes = (await accounts.indexes()).map((index) => index.name);
        assert.ok(!indexes.includes('api_key') && indexes.includes('api_key_hash'), indexes.join(', '));
      } finally {
        await db.dropDatabase();
      }
    });
  });
}
