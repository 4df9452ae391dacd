import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { databaseInUrl, openMongoStore } from '../../src/storage/mongo/index.js';
import { newId } from '../support/factories.js';
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
}
