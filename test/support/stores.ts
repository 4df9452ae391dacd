/** Stores for tests that need one without the whole app: an in-memory SQLite with the real codec. */
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import type { Store } from '../../src/storage/store.js';
import { WebhookCodec } from '../../src/storage/webhook-codec.js';
import { Validator } from '../../src/validation/validator.js';

export function testCodec(): WebhookCodec {
  return new WebhookCodec(new Validator());
}

export function memoryStore(): Store {
  return openSqliteStore({ file: ':memory:', codec: testCodec() });
}
