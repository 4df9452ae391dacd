/**
 * The storage port's conformance suite. Every adapter runs exactly these tests through its own
 * *.test.ts file; each test gets a fresh, empty store from `makeStore` and closes it afterwards.
 */
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/domain/json.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import type { Store } from '../../src/storage/store.js';
import { WebhookCodec } from '../../src/storage/webhook-codec.js';
import { Validator } from '../../src/validation/validator.js';
import { accountContract } from './accounts.contract.js';
import { attemptStatsContract } from './attempt-stats.contract.js';
import { attemptContract } from './attempts.contract.js';
import { callContract } from './calls.contract.js';
import { deliveryContract } from './deliveries.contract.js';
import { healthContract } from './health.contract.js';
import { secretsContract } from './secrets.contract.js';
import { settingAndLifecycleContract } from './lifecycle.contract.js';
import { webhookContract } from './webhooks.contract.js';

/** What a test may reach besides the store: the hooks the codec reported unreadable, and a raw writer. */
export interface StoreFixture {
  unreadable: Array<{ id: string; reason: string }>;
  /** Stores a hook document as another tool (or an older callhook) might have: no checks. */
  writeRawHook(accountId: string, id: string, doc: JsonObject): Promise<void>;
}

export interface StoreHandle {
  store: Store;
  writeRawHook: StoreFixture['writeRawHook'];
}

/** Registers one test that runs `body` against a fresh store (its codec encrypting secrets with `secretsKey`, if given). */
export type StoreTest = (
  title: string,
  body: (store: Store, fixture: StoreFixture) => Promise<void>,
  options?: { secretsKey?: Buffer },
) => void;

const validator = new Validator();

export function runStoreContract(name: string, open: (codec: WebhookCodec) => Promise<StoreHandle>): void {
  const test: StoreTest = (title, body, options = {}) => {
    // node:test queues the test itself; the promise it returns needs no awaiting here.
    void it(title, async () => {
      const unreadable: StoreFixture['unreadable'] = [];
      const box = options.secretsKey === undefined ? undefined : new SecretBox(options.secretsKey);
      const codec = new WebhookCodec(validator, (hook, reason) => unreadable.push({ id: hook.id, reason }), undefined, box);
      const { store, writeRawHook } = await open(codec);
      try {
        await body(store, { unreadable, writeRawHook });
      } finally {
        await store.close();
      }
    });
  };

  describe(`store contract: ${name}`, () => {
    describe('accounts', () => accountContract(test));
    describe('webhooks', () => webhookContract(test));
    describe('signing secrets at rest', () => secretsContract(test));
    describe('attempts', () => attemptContract(test));
    describe('attempt stats', () => attemptStatsContract(test));
    describe('deliveries', () => deliveryContract(test));
    describe('hook health', () => healthContract(test));
    describe('calls', () => callContract(test));
    describe('settings and lifecycle', () => settingAndLifecycleContract(test));
  });
}
