/**
 * Changes to stored documents, applied on open before the indexes are created. Each step is
 * idempotent (it only touches documents still in the old shape), so instances starting together,
 * or a start interrupted half-way, converge on the same result.
 */
import { MongoServerError, type Db } from 'mongodb';
import { hashApiKey } from '../../domain/api-key.js';
import type { Collections } from './documents.js';

const indexNotFound = 27;
const namespaceNotFound = 26;

async function dropIndexIfPresent(db: Db, collection: string, name: string): Promise<void> {
  try {
    await db.collection(collection).dropIndex(name);
  } catch (error) {
    // Never created, dropped by another instance first, or no collection yet (a new database).
    if (
      error instanceof MongoServerError &&
      (error.code === indexNotFound || error.code === namespaceNotFound || /not found/i.test(error.message))
    ) {
      return;
    }
    throw error;
  }
}

/** Accounts stored with a plain `apiKey` get its SHA-256 in `apiKeyHash` instead, and key version 1. */
async function hashApiKeys(db: Db, c: Collections): Promise<void> {
  // The old unique index on apiKey would refuse the second account left without one.
  await dropIndexIfPresent(db, 'accounts', 'api_key');
  const legacy = c.accounts.find({ apiKey: { $exists: true } } as object, { projection: { _id: 1, apiKey: 1 } });
  for await (const account of legacy) {
    const key = (account as unknown as { apiKey: unknown }).apiKey;
    if (typeof key !== 'string') continue;
    await c.accounts.updateOne(
      { _id: account._id, apiKey: key } as object,
      {
        $set: { apiKeyHash: hashApiKey(key) },
        $unset: { apiKey: '' },
      } as object,
    );
  }
  await c.accounts.updateMany({ keyVersion: { $exists: false } }, { $set: { keyVersion: 1 } });
}

export async function migrateDocuments(db: Db, c: Collections): Promise<void> {
  await hashApiKeys(db, c);
  // The token-signing key now comes from CALLHOOK_JWT_SECRET (services/signing-key.ts), not the store.
  await c.settings.deleteOne({ _id: 'jwt_secret' });
}
