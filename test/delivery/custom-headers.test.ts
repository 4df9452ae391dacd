/**
 * `custom_request_headers` end to end: validated on write, sent with each delivery (every verb)
 * and with a ping, and shown in the attempts log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { useScenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

describe('custom_request_headers', () => {
  const ctx = useScenario();
  const hooksPath = () => `/v2/accounts/${ctx.s.account.id}/webhooks`;

  it('goes out with every delivery and ping, and shows in the attempts log', async () => {
    const { s, receiver } = ctx;
    const headers = { Authorization: 'Bearer crm-token-1', 'X-Tenant': 'acme corp' };
    for (const verb of ['get', 'post', 'put'] as const) {
      const path = `/headers-${verb}-${newHexId().slice(0, 6)}`;
      const created = await s.client.request('PUT', hooksPath(), {
        token: s.master.token,
        data: { name: `h-${verb}`, uri: receiver.url(path), hook: 'channel_create', http_verb: verb, custom_request_headers: headers },
      });
      assert.equal(created.status, 201, created.text);
      const id = dataOf<{ id: string; custom_request_headers: Record<string, string> }>(created).id;
      assert.deepEqual(dataOf<{ custom_request_headers: unknown }>(created).custom_request_headers, headers);

      await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
      const delivered = await until(() => receiver.requests.find((r) => r.path === path));
      assert.equal(delivered.method, verb.toUpperCase());
      assert.equal(delivered.headers['authorization'], 'Bearer crm-token-1');
      assert.equal(delivered.headers['x-tenant'], 'acme corp');
      assert.equal(delivered.headers['x-hook-id'], id, 'callhook’s own headers are still there');

      const ping = await s.client.request('PUT', `${hooksPath()}/${id}/ping`, { token: s.master.token });
      assert.equal(ping.status, 200, ping.text);
      const pinged = receiver.requests.filter((r) => r.path === path);
      assert.equal(pinged.length, 2);
      assert.equal(pinged[1]?.headers['authorization'], 'Bearer crm-token-1');

      const logged = await until(async () => {
        const attempts = await s.client.request('GET', `${hooksPath()}/${id}/attempts`, { token: s.master.token });
        const list = dataOf<Array<{ hook_event: string; req_headers: Record<string, string> }>>(attempts);
        return list.length >= 2 ? list : undefined;
      });
      for (const attempt of logged) {
        assert.equal(attempt.req_headers['authorization'], 'Bearer crm-token-1', attempt.hook_event);
        assert.equal(attempt.req_headers['x-tenant'], 'acme corp');
      }
    }
  });

  it('refuses bad names, CR/LF in values and headers callhook sets itself, in a Crossbar validation error', async () => {
    const { s, receiver } = ctx;
    const reply = await s.client.request('PUT', hooksPath(), {
      token: s.master.token,
      data: {
        name: 'bad headers',
        uri: receiver.url('/never'),
        hook: 'channel_create',
        custom_request_headers: {
          'X-Split': 'a\r\nX-Injected: 1',
          Host: 'evil.example',
          'Bad Name': 'x',
          'webhook-signature': 'v1,forged',
        },
      },
    });
    assert.equal(reply.status, 400);
    assert.equal(reply.body['message'], 'validation error');
    const data = dataOf<Record<string, Record<string, unknown>>>(reply);
    assert.ok(data['custom_request_headers.X-Split']?.['pattern']);
    assert.ok(data['custom_request_headers.Host']?.['forbidden']);
    assert.ok(data['custom_request_headers.Bad Name']?.['pattern']);
    assert.ok(data['custom_request_headers.webhook-signature']?.['forbidden']);
    const wrongType = await s.client.request('PUT', hooksPath(), {
      token: s.master.token,
      data: { name: 'bad', uri: receiver.url('/never'), hook: 'channel_create', custom_request_headers: { 'X-N': 5 } },
    });
    assert.equal(wrongType.status, 400);
    assert.ok(dataOf<Record<string, unknown>>(wrongType)['custom_request_headers.X-N']);
  });
});
