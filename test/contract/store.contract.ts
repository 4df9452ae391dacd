/**
 * The storage port's conformance suite. Every adapter runs exactly these tests through its own
 * *.test.ts file; each test gets a fresh, empty store from `makeStore` and closes it afterwards.
 */
import { describe, it } from 'node:test';
import type { Store } from '../../src/storage/store.js';
import { accountContract } from './accounts.contract.js';
import { attemptContract } from './attempts.contract.js';
import { callContract } from './calls.contract.js';
import { deliveryContract } from './deliveries.contract.js';
import { healthContract } from './health.contract.js';
import { settingAndLifecycleContract } from './lifecycle.contract.js';
import { webhookContract } from './webhooks.contract.js';

/** Registers one test that runs `body` against a fresh store. */
export type StoreTest = (title: string, body: (store: Store) => Promise<void>) => void;

export function runStoreContract(name: string, makeStore: () => Promise<Store>): void {
  const test: StoreTest = (title, body) => {
    // node:test queues the test itself; the promise it returns needs no awaiting here.
    void it(title, async () => {
      const store = await makeStore();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
  };

  describe(`store contract: ${name}`, () => {
    describe('accounts', () => accountContract(test));
    describe('webhooks', () => webhookContract(test));
    describe('attempts', () => attemptContract(test));
    describe('deliveries', () => deliveryContract(test));
    describe('hook health', () => healthContract(test));
    describe('calls', () => callContract(test));
    describe('settings and lifecycle', () => settingAndLifecycleContract(test));
  });
}
