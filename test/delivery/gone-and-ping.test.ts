import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { formatSecret } from '../../src/domain/signature.js';
import { until } from '../support/wait.js';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { useScenario } from '../support/scenario.js';

describe('410 Gone and ping', () => {
  const ctx = useScenario();

  it('disables a hook at once when its receiver answers 410, keeps it re-enableable', async () => {
    const { s, receiver } = ctx;
    const own = await s.client.createAccount(s.master.token, s.master.accountId, 'Gone');
    const path = `/gone-${newHexId().slice(0, 6)}`;
    receiver.respond((req) => (req.path === path ? { status: 410 } : { status: 200 }));
    const id = await s.hook({ name: 'gone', uri: receiver.url(path), hook: 'channel_create', retries: 4 }, own.id);
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: own.id }));
    const hook = await until(async () => {
      const reply = await s.client.request('GET', `/v2/accounts/${own.id}/webhooks/${id}`, { token: s.master.token });
      const data = dataOf<{ enabled: boolean; disable_reason?: string }>(reply);
      return data.enabled === false ? data : undefined;
    });
    assert.equal(hook.disable_reason, 'the receiver answered 410 Gone');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.requests.filter((r) => r.path === path).length, 1, 'no retries after 410');
    const more = await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: own.id }));
    assert.equal(more.data.deliveries, 0, 'a disabled hook does not fire');
    const reenabled = await s.client.request('PATCH', `/v2/accounts/${own.id}/webhooks`, {
      token: s.master.token,
      data: { 're-enable': true },
    });
    assert.equal(reenabled.status, 200);
    const back = dataOf<{ enabled: boolean; disable_reason?: string }>(
      await s.client.request('GET', `/v2/accounts/${own.id}/webhooks/${id}`, { token: s.master.token }),
    );
    assert.equal(back.enabled, true);
    assert.equal(back.disable_reason, undefined);
    const metrics = await (await fetch(`${s.app.baseUrl}/metrics`)).text();
    assert.match(metrics, /callhook_hooks_disabled_total\{reason="gone"\} 1/);
    receiver.respond({ status: 200 });
  });

  it('pings with the hook’s verb, format, custom data and signature, records and reports the answer', async () => {
    const { s, receiver } = ctx;
    const path = `/ping-${newHexId().slice(0, 6)}`;
    const secret = formatSecret(randomBytes(32));
    receiver.respond((req) => (req.path === path ? { status: 204 } : { status: 200 }));
    const id = await s.hook({
      name: 'ping',
      uri: receiver.url(path),
      hook: 'channel_create',
      format: 'json',
      custom_data: { crm: 'acme' },
      secret,
    });
    const reply = await s.client.request('PUT', `/v2/accounts/${s.account.id}/webhooks/${id}/ping`, { token: s.master.token });
    assert.equal(reply.status, 200);
    const result = dataOf<{ result: string; status_code: number; duration_ms: number }>(reply);
    assert.equal(result.result, 'success');
    assert.equal(result.status_code, 204);
    assert.equal(typeof result.duration_ms, 'number');
    const request = receiver.requests.filter((r) => r.path === path).at(-1);
    assert.ok(request);
    assert.deepEqual(JSON.parse(request.body), { crm: 'acme', event_code: 'ping', webhook: { id, url: receiver.url(path) } });
    assert.ok(new Webhook(secret).verify(request.body, request.headers));
    const attempts = await s.client.request('GET', `/v2/accounts/${s.account.id}/webhooks/${id}/attempts`, { token: s.master.token });
    assert.equal(dataOf<Array<{ hook_event: string }>>(attempts)[0]?.hook_event, 'ping');

    const down = await s.hook({ name: 'down', uri: 'http://127.0.0.1:1/nothing', hook: 'channel_create' });
    const failed = dataOf<{ result: string; error: string }>(
      await s.client.request('PUT', `/v2/accounts/${s.account.id}/webhooks/${down}/ping`, { token: s.master.token }),
    );
    assert.equal(failed.result, 'failure');
    assert.equal(failed.error, 'failed_connect: econnrefused');
    assert.equal(
      (await s.client.request('PUT', `/v2/accounts/${s.account.id}/webhooks/${newHexId()}/ping`, { token: s.master.token })).status,
      404,
    );
    receiver.respond({ status: 200 });
  });
});
