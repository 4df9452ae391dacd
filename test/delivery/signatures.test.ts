import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { formatSecret } from '../../src/domain/signature.js';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { until } from '../support/wait.js';
import { useScenario } from '../support/scenario.js';

describe('signed deliveries', () => {
  const ctx = useScenario();

  const hookPath = (id: string) => `/v2/accounts/${ctx.s.account.id}/webhooks/${id}`;

  async function deliverOne(path: string): Promise<{ body: string; headers: Record<string, string> }> {
    const { s, receiver } = ctx;
    const before = receiver.requests.filter((r) => r.path === path).length;
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    const last = await until(() => {
      const mine = receiver.requests.filter((r) => r.path === path);
      return mine.length > before ? mine.at(-1) : undefined;
    });
    return { body: last.method === 'GET' ? last.url.search.slice(1) : last.body, headers: last.headers };
  }

  it('keeps a given secret write-only and signs every request with it', async () => {
    const { s, receiver } = ctx;
    const secret = formatSecret(randomBytes(32));
    const path = `/signed-${newHexId().slice(0, 6)}`;
    const created = await s.client.request('PUT', `/v2/accounts/${s.account.id}/webhooks`, {
      token: s.master.token,
      data: { name: 'signed', uri: receiver.url(path), hook: 'channel_create', format: 'json', secret },
    });
    assert.equal(created.status, 201);
    const id = dataOf<{ id: string; secret: string }>(created).id;
    const shown = dataOf<{ secret: string }>(await s.client.request('GET', hookPath(id), { token: s.master.token })).secret;
    assert.equal(shown, `whsec_…${secret.slice(-4)}`);
    assert.ok(!JSON.stringify(dataOf(created)).includes(secret), 'never echoed in full');

    const { body, headers } = await deliverOne(path);
    assert.ok(new Webhook(secret).verify(body, headers), 'standardwebhooks verifies it');
    assert.equal(headers['x-webhook-signature'], `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);

    const logged = await until(async () => {
      const attempts = await s.client.request('GET', `${hookPath(id)}/attempts`, { token: s.master.token });
      return dataOf<Array<{ req_headers: Record<string, string> }>>(attempts)[0]?.req_headers;
    });
    assert.equal(logged['webhook-signature'], '[masked]');
    assert.equal(logged['x-webhook-signature'], '[masked]');

    // Monster UI posts back what it read (the masked secret): the secret stays.
    const echoed = await s.client.request('POST', hookPath(id), {
      token: s.master.token,
      data: { name: 'signed', uri: receiver.url(path), hook: 'channel_create', format: 'json', secret: shown },
    });
    assert.equal(echoed.status, 200);
    const again = await deliverOne(path);
    assert.ok(new Webhook(secret).verify(again.body, again.headers));
  });

  it('generates a secret on PUT …/secret, shows it once, and rotates with a day of overlap', async () => {
    const { s, receiver } = ctx;
    const path = `/rotated-${newHexId().slice(0, 6)}`;
    const created = await s.client.request('PUT', `/v2/accounts/${s.account.id}/webhooks`, {
      token: s.master.token,
      data: { name: 'rotated', uri: receiver.url(path), hook: 'channel_create', http_verb: 'get' },
    });
    const id = dataOf<{ id: string }>(created).id;
    const unsigned = await deliverOne(path);
    assert.equal(unsigned.headers['webhook-signature'], undefined);

    const first = dataOf<{ secret: string }>(await s.client.request('PUT', `${hookPath(id)}/secret`, { token: s.master.token })).secret;
    const signed = await deliverOne(path);
    assert.doesNotThrow(
      () => new Webhook(first).verify(signed.body, signed.headers, { jsonParse: false }),
      'GET requests sign their query string',
    );

    const second = dataOf<{ secret: string }>(await s.client.request('PUT', `${hookPath(id)}/secret`, { token: s.master.token })).secret;
    assert.notEqual(first, second);
    const overlap = await deliverOne(path);
    assert.equal(overlap.headers['webhook-signature']?.split(' ').length, 2);
    assert.doesNotThrow(
      () => new Webhook(first).verify(overlap.body, overlap.headers, { jsonParse: false }),
      'the old secret still verifies',
    );
    assert.doesNotThrow(() => new Webhook(second).verify(overlap.body, overlap.headers, { jsonParse: false }), 'the new one too');
    assert.throws(() => new Webhook(formatSecret(randomBytes(32))).verify(overlap.body, overlap.headers, { jsonParse: false }));
    assert.equal(overlap.headers['x-webhook-signature'], `sha256=${createHmac('sha256', second).update(overlap.body).digest('hex')}`);
  });

  it('refuses a malformed secret with a validation error', async () => {
    const { s, receiver } = ctx;
    const reply = await s.client.request('PUT', `/v2/accounts/${s.account.id}/webhooks`, {
      token: s.master.token,
      data: { name: 'bad', uri: receiver.url('/bad'), hook: 'channel_create', secret: 'hunter2' },
    });
    assert.equal(reply.status, 400);
    assert.ok((reply.body.data as Record<string, unknown>)['secret']);
  });

  it('does not let filters probe private fields', async () => {
    const { s } = ctx;
    const reply = await s.client.request('GET', `/v2/accounts/${s.account.id}/webhooks?has_key=pvt_secrets`, { token: s.master.token });
    assert.deepEqual(reply.body.data, []);
  });
});
