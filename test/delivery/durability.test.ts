import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '../support/client.js';
import { buildKazooMessage } from '../support/factories.js';
import { masterApiKey, newStorePlace } from '../support/app.js';
import { spawnApp } from '../support/process.js';
import { Receiver } from '../support/receiver.js';
import { startScenario, type Scenario } from '../support/scenario.js';

describe('durability: kill -9 and restart', () => {
  let receiver: Receiver;
  const place = newStorePlace();
  before(async () => {
    receiver = await Receiver.start();
  });
  after(async () => {
    await receiver.close();
    await place.dispose();
  });

  it('delivers, after a restart, everything that was accepted before the kill', async () => {
    const env = {
      ...place.env,
      CALLHOOK_MASTER_API_KEY: masterApiKey,
      CALLHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      CALLHOOK_LEASE_S: '5',
      CALLHOOK_POLL_INTERVAL_MS: '100',
      CALLHOOK_DELIVERY_TIMEOUT_MS: '2000',
      CALLHOOK_RETRY_SCHEDULE: '1',
      CALLHOOK_MIN_RETRY_DELAY_S: '1',
    };
    // The receiver hangs, so every delivery is in flight (leased, unanswered) when the process dies.
    receiver.respond({ hang: true });
    const first = await spawnApp(env);
    const client = new Client(first.baseUrl);
    const master = await client.login(masterApiKey);
    const account = await client.createAccount(master.token, master.accountId, 'Durable');
    await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
      token: master.token,
      data: { name: 'durable', uri: receiver.url('/durable'), hook: 'channel_create', retries: 4 },
    });
    const callIds: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const message = buildKazooMessage('CHANNEL_CREATE', { accountId: account.id });
      callIds.push(String(message['Call-ID']));
      const reply = await client.request('POST', '/v2/events', { token: master.token, data: message });
      assert.equal(reply.status, 202);
    }
    await receiver.waitFor(1);
    assert.equal(await first.kill('SIGKILL'), null);

    receiver.respond({ status: 200 });
    const second = await spawnApp(env);
    try {
      const deadline = Date.now() + 20_000;
      const delivered = (): Set<string> =>
        new Set(receiver.requests.filter((r) => r.path === '/durable').map((r) => new URLSearchParams(r.body).get('call_id') ?? ''));
      while (callIds.some((id) => !delivered().has(id)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const missing = callIds.filter((id) => !delivered().has(id));
      assert.deepEqual(missing, [], 'every accepted event reached the receiver after the restart');
      assert.equal(await second.kill('SIGTERM'), 0, 'SIGTERM is a clean exit');
    } finally {
      await second.kill('SIGKILL');
    }
  });
});

describe('isolation: a hanging receiver', () => {
  let s: Scenario;
  let slow: Receiver;
  let fast: Receiver;
  before(async () => {
    s = await startScenario({ deliveryTimeoutMs: 3000, maxConcurrencyPerDestination: 2 });
    slow = await Receiver.start();
    fast = await Receiver.start();
    slow.respond({ hang: true });
  });
  after(async () => {
    await s.stop();
    await slow.close();
    await fast.close();
  });

  it('does not hold back other hooks of the same events, nor other events', async () => {
    await s.hook({ name: 'slow', uri: slow.url('/slow'), hook: 'channel_create' });
    await s.hook({ name: 'fast', uri: fast.url('/fast'), hook: 'channel_create' });
    for (let i = 0; i < 30; i += 1) {
      await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    }
    await fast.waitFor(30, 2500);
    assert.equal(slow.requests.length, 2, 'the hanging receiver holds only its own two connections');
    const attempts = await s.client.request('GET', `/v2/accounts/${s.account.id}/webhooks/attempts?paginate=false`, {
      token: s.master.token,
    });
    const failures = (attempts.body.data as Array<{ result: string }>).filter((a) => a.result === 'failure');
    assert.equal(failures.length, 0, 'no slow attempt has timed out yet: the fast ones did not wait for them');
  });
});
