/**
 * A running app with a logged-in master, an account (and optionally a sub-account), and helpers
 * to create hooks and post Kazoo events, for delivery tests.
 */
import { after, before } from 'node:test';
import type { Logger } from 'pino';
import type { Config } from '../../src/config.js';
import type { JsonObject } from '../../src/domain/json.js';
import { Client, dataOf } from './client.js';
import { masterApiKey, startTestApp, type StorePlace, type TestApp } from './app.js';
import { Receiver } from './receiver.js';

export interface Scenario {
  app: TestApp;
  client: Client;
  master: { token: string; accountId: string };
  account: { id: string; token: string };
  hook(doc: Record<string, unknown>, accountId?: string): Promise<string>;
  post(events: JsonObject | JsonObject[]): Promise<{ status: number; data: { events: number; deliveries: number; results: JsonObject[] } }>;
  stop(): Promise<void>;
}

/** Fast schedules so retry tests finish in seconds. */
export const quickDelivery: Partial<Config> = {
  retrySchedule: [1, 1, 1, 1],
  minRetryDelaySeconds: 1,
  pollIntervalMs: 50,
  deliveryTimeoutMs: 1000,
  leaseSeconds: 5,
};

export async function startScenario(
  overrides: Partial<Config> = {},
  place?: StorePlace,
  options: { log?: Logger } = {},
): Promise<Scenario> {
  const app = await startTestApp({ ...quickDelivery, ...overrides }, place, options);
  const client = new Client(app.baseUrl);
  const master = await client.login(masterApiKey);
  const account = await client.createAccount(master.token, master.accountId, 'Delivery');
  return {
    app,
    client,
    master,
    account,
    async hook(doc, accountId = account.id) {
      const reply = await client.request('PUT', `/v2/accounts/${accountId}/webhooks`, { token: master.token, data: doc });
      if (reply.status !== 201) throw new Error(`hook create failed: ${reply.text}`);
      return dataOf<{ id: string }>(reply).id;
    },
    async post(events) {
      const reply = await client.request('POST', '/v2/events', { token: master.token, raw: JSON.stringify(events) });
      return { status: reply.status, data: dataOf(reply) };
    },
    stop: () => app.stop(),
  };
}

/**
 * Registers before/after hooks that start a scenario and a loopback receiver for the enclosing
 * describe, and stop them afterwards. The fields are set once `before` has run.
 */
export function useScenario(overrides: Partial<Config> = {}): { readonly s: Scenario; readonly receiver: Receiver } {
  const context = {} as { s: Scenario; receiver: Receiver };
  before(async () => {
    context.s = await startScenario(overrides);
    context.receiver = await Receiver.start();
  });
  after(async () => {
    await context.s.stop();
    await context.receiver.close();
  });
  return context;
}
