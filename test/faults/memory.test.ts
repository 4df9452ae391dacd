/**
 * Row 2 of issue 10: no input can exhaust memory. A large field is encoded in memory linear in its
 * size (the whole delivery path runs here under a small heap), and a payload whose request would
 * still be too large is failed at once with the reason, never built, never retried.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { masterApiKey, newStorePlace, type StorePlace } from '../support/app.js';
import { Client, dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { spawnApp, type ChildApp } from '../support/process.js';
import { Receiver } from '../support/receiver.js';
import { useScenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

describe('large fields under a small heap', () => {
  let receiver: Receiver;
  let place: StorePlace;
  let app: ChildApp;
  before(async () => {
    receiver = await Receiver.start();
    place = newStorePlace();
    app = await spawnApp({ ...place.env, CALLHOOK_MASTER_API_KEY: masterApiKey, CALLHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' }, 'source', [
      '--max-old-space-size=96',
    ]);
  });
  after(async () => {
    await app.kill();
    await receiver.close();
    await place.dispose();
  });

  it('delivers ten events with an 880 KB field to a form-data hook (Kazoo’s default) and stays up', { timeout: 60_000 }, async () => {
    const client = new Client(app.baseUrl);
    const master = await client.login(masterApiKey);
    const account = await client.createAccount(master.token, master.accountId, 'Big fields');
    await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
      token: master.token,
      data: { name: 'form', uri: receiver.url('/form'), hook: 'channel_create' },
    });
    const field = 'Zé ☎ '.repeat(110_000); // 880 KB of UTF-8, some characters several bytes long
    for (let i = 0; i < 10; i += 1) {
      const reply = await client.request('POST', '/v2/events', {
        token: master.token,
        raw: JSON.stringify(buildKazooMessage('CHANNEL_CREATE', { accountId: account.id, headers: { 'Caller-ID-Name': field } })),
      });
      if (reply.status !== 202) assert.fail(`event ${i}: ${reply.status} ${reply.text.slice(0, 200)}`);
    }
    await until(() => (receiver.requests.filter((r) => r.path === '/form').length >= 10 ? true : undefined), 40_000, 'ten deliveries');
    for (const request of receiver.requests.filter((r) => r.path === '/form')) {
      assert.equal(new URLSearchParams(request.body).get('caller_id_name'), field);
    }
    assert.equal(app.process.exitCode, null, 'still running');
  });
});

describe('a payload too large to send', () => {
  const ctx = useScenario({ maxEventBytes: 4096 });

  it('is failed at once with the reason in its attempt, never sent, never retried', async () => {
    const { s, receiver } = ctx;
    const path = `/huge-${newHexId().slice(0, 6)}`;
    // The event is small; the hook's custom data makes the payload larger than four times the limit.
    const id = await s.hook({
      name: 'huge',
      uri: receiver.url(path),
      hook: 'channel_create',
      retries: 3,
      custom_data: { blob: 'b'.repeat(20_000) },
    });
    const posted = await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    assert.equal(posted.status, 202);
    const [attempt] = await until(async () => {
      const reply = await s.client.request('GET', `/v2/accounts/${s.account.id}/webhooks/${id}/attempts`, { token: s.master.token });
      const attempts = dataOf<Array<Record<string, unknown>>>(reply);
      return attempts.length > 0 ? attempts : undefined;
    });
    assert.equal(attempt?.['result'], 'failure');
    assert.match(
      String(attempt?.['client_error']),
      /^payload too large: its request would be about \d+ bytes, more than the 16384 allowed$/,
    );
    assert.equal(attempt?.['retries_left'], 'retries exceeded');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.requests.filter((r) => r.path === path).length, 0);
  });
});
