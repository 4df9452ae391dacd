/**
 * The MongoDB adapter: deliberately thin. One collection per record type, `_id` = record id,
 * indexes created on open, duplicate keys → ConflictError, revision checks in the update filter.
 */
import {
  MongoClient,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type Db,
} from 'mongodb';

const namespaceNotFound = 26;
import type { Store } from '../store.js';
import { withOutages } from '../unavailable.js';
import type { WebhookCodec } from '../webhook-codec.js';
import { accountStore } from './accounts.js';
import { attemptStore } from './attempts.js';
import { deliveryStore } from './deliveries.js';
import { callStore } from './calls.js';
import { instanceStore } from './instances.js';
import { collections, indexes } from './documents.js';
import { migrateDocuments } from './migrations.js';
import { outcomeRecorder } from './outcomes.js';
import { settingStore } from './settings.js';
import { webhookStore } from './webhooks.js';

export interface MongoOptions {
  url: string;
  /** Defaults to the database named in the URL, else `callhook`. */
  dbName?: string;
  /** Parses stored hooks into the model (shared with the SQLite adapter). */
  codec: WebhookCodec;
}

/** The path segment of a mongodb:// or mongodb+srv:// URL (which may list several hosts). */
export function databaseInUrl(url: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(url)?.[1];
  return name === undefined || name === '' ? undefined : decodeURIComponent(name);
}

/** Drops a collection callhook no longer uses; instances starting together may race to it. */
async function dropIfPresent(db: Db, name: string): Promise<void> {
  const present = await db.listCollections({}, { nameOnly: true }).toArray();
  if (!present.some((collection) => collection.name === name)) return;
  try {
    await db.dropCollection(name);
  } catch (error) {
    // Another instance dropped it first.
    if (!(error instanceof MongoServerError && (error.code === namespaceNotFound || error.message === 'ns not found'))) throw error;
  }
}

export async function openMongoStore(options: MongoOptions): Promise<Store> {
  const client = new MongoClient(options.url);
  await client.connect();
  try {
    const db = client.db(options.dbName ?? databaseInUrl(options.url) ?? 'callhook');
    const c = collections(db);
    // Before health was keyed by account it lived in `hook_health`; it only counts recent
    // failures, so it is dropped rather than moved (each hook starts counting afresh).
    await dropIfPresent(db, 'hook_health');
    await migrateDocuments(db, c);
    for (const [name, specs] of Object.entries(indexes) as [keyof typeof c, (typeof indexes)[keyof typeof c]][]) {
      if (specs.length > 0) await c[name].createIndexes(specs);
    }
    return withOutages(
      {
        ...accountStore(c),
        ...webhookStore(c, options.codec),
        ...attemptStore(c),
        ...deliveryStore(c),
        ...settingStore(c),
        ...callStore(c),
        ...instanceStore(c),
        recordOutcomes: outcomeRecorder(c),
        async ping() {
          await db.command({ ping: 1 });
        },
        async close() {
          await client.close();
        },
      },
      mongoOutage,
    );
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** Unreachable, closed, or in the middle of an election: retry later, the request was fine. */
function mongoOutage(error: unknown): string | null {
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  ) {
    return error.message;
  }
  if (error instanceof MongoError && (error.hasErrorLabel('RetryableWriteError') || error.hasErrorLabel('TransientTransactionError'))) {
    return error.message;
  }
  return null;
}
