import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { masterApiKey, newStorePlace, startTestApp, type StorePlace, type TestApp } from '../support/app.js';
import { Client, dataOf } from '../support/client.js';
import { buildKazooMessage } from '../support/factories.js';
import { Receiver } from '../support/receiver.js';
import type { Config } from '../../src/config.js';
import { quickDelivery } from '../support/scenario.js';
import { until } from '../support/wait.js';

/** Requests per `webhook-id`, in arrival order. */
function byDelivery(receiver: Receiver, path: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const request of receiver.requests.filter((r) => r.path === path)) {
    const id = request.headers['webhook-id'] ?? '';
    out.set(id, [...(out.get(id) ?? []), request.receivedAt]);
  }
  return out;
}

async function deliveredCount(app: TestApp): Promise<number> {
  const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
  return [...text.matchAll(/^callhook_delivery_attempts_total\{result="[a-z]+"\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('instances sharing one store', () => {
  let receiver: Receiver;
  let place: StorePlace;
  const running: TestApp[] = [];
  const start = async (overrides: Partial<Config> = {}): Promise<TestApp> => {
    const app = await startTestApp({ ...quickDelivery, ...overrides }, place);
    running.push(app);
    return app;
  };
  const stop = async (app: TestApp): Promise<void> => {
    running.splice(running.indexOf(app), 1);
    await app.stop();
  };

  before(async () => {
    receiver = await Receiver.start();
  });
  after(async () => {
    for (const app of running) await app.stop();
    await receiver.close();
  });

  it('never sends one attempt twice: every delivery gets exactly its retries, spread over both instances', async () => {
    place = newStorePlace();
    // A takes at most 8 deliveries per poll, so B, polling as often, always finds retries left to take.
    const a = await start({ maxInFlight: 4, maxConcurrencyPerDestination: 4 });
    const b = await start();
    receiver.respond({ status: 500 });
    const client = new Client(a.baseUrl);
    const master = await client.login(masterApiKey);
    const account = await client.createAccount(master.token, master.accountId, 'Shared');
    await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
      token: master.token,
      data: { name: 'shared', uri: receiver.url('/shared'), hook: 'channel_create', retries: 3 },
    });
    const events = 40;
    for (let i = 0; i < events; i += 1) {
      await client.request('POST', '/v2/events', {
        token: master.token,
        data: buildKazooMessage('CHANNEL_CREATE', { accountId: account.id }),
      });
    }
    // 1 attempt + 3 retries, 1 s apart (jittered), for each of the 40 deliveries.
    await until(async () => (receiver.requests.filter((r) => r.path === '/shared').length >= events * 4 ? true : undefined), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const deliveries = byDelivery(receiver, '/shared');
    assert.equal(deliveries.size, events);
    for (const [id, times] of deliveries) {
      assert.equal(times.length, 4, `delivery ${id}: one first attempt and three retries, no more`);
      for (let i = 1; i < times.length; i += 1) {
        assert.ok((times[i] ?? 0) - (times[i - 1] ?? 0) >= 800, `delivery ${id}: retries keep the schedule's spacing`);
      }
    }
    const [fromA, fromB] = [await deliveredCount(a), await deliveredCount(b)];
    assert.equal(fromA + fromB, events * 4, 'each attempt counted by exactly one instance');
    assert.ok(fromB > 0, 'the second instance took retries it never saw the event of');
    await stop(a);
    await stop(b);
    await place.dispose();
  });

  it('a restart in the middle of a retry schedule keeps the schedule and the delivery id', async () => {
    place = newStorePlace();
    const first = await start();
    receiver.respond({ status: 503 });
    let client = new Client(first.baseUrl);
    let master = await client.login(masterApiKey);
    const account = await client.createAccount(master.token, master.accountId, 'Restart');
    const hook = dataOf<{ id: string }>(
      await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
        token: master.token,
        data: { name: 'restart', uri: receiver.url('/restart'), hook: 'channel_create', retries: 2, retry_schedule: [3, 1] },
      }),
    ).id;
    await client.request('POST', '/v2/events', {
      token: master.token,
      data: buildKazooMessage('CHANNEL_CREATE', { accountId: account.id }),
    });
    const [firstAttempt] = await receiver.waitFor(receiver.requests.length + 1);
    await until(async () => {
      const attempts = await client.request('GET', `/v2/accounts/${account.id}/webhooks/${hook}/attempts`, { token: master.token });
      return dataOf<unknown[]>(attempts).length === 1 ? true : undefined;
    });
    await stop(first);

    receiver.respond({ status: 200 });
    const second = await start();
    client = new Client(second.baseUrl);
    master = await client.login(masterApiKey);
    const retried = await until(async () => receiver.requests.filter((r) => r.path === '/restart')[1], 10_000);
    const sent = receiver.requests.filter((r) => r.path === '/restart');
    assert.ok(firstAttempt);
    assert.equal(retried.headers['webhook-id'], sent[0]?.headers['webhook-id'], 'the same delivery, not a new one');
    const waited = retried.receivedAt - (sent[0]?.receivedAt ?? 0);
    assert.ok(waited >= 2600, `the retry kept its 3 s step across the restart (waited ${waited} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.requests.filter((r) => r.path === '/restart').length, 2, 'delivered: no further retries');
    const log = dataOf<Array<{ result: string; retries_left: number }>>(
      await client.request('GET', `/v2/accounts/${account.id}/webhooks/${hook}/attempts`, { token: master.token }),
    );
    assert.deepEqual(
      log.map((a) => [a.result, a.retries_left]),
      [
        ['success', 1],
        ['failure', 2],
      ],
    );
    await stop(second);
    await place.dispose();
  });
});
