import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { useScenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

type Attempt = { delivery_id: string; result: string; try: number; retries_left: number | string };

describe('resending one delivery', () => {
  const ctx = useScenario();

  it('sends a failed delivery again with the same webhook-id and fresh retries → 202', async () => {
    const { s, receiver } = ctx;
    const own = await s.client.createAccount(s.master.token, s.master.accountId, 'Resend');
    const path = `/resend-${newHexId().slice(0, 6)}`;
    receiver.respond((req) => (req.path === path ? { status: 503, body: 'down for maintenance' } : { status: 200 }));
    const hookId = await s.hook({ name: 'resend', uri: receiver.url(path), hook: 'channel_create', retries: 1 }, own.id);
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: own.id }));
    const attemptsPath = `/v2/accounts/${own.id}/webhooks/${hookId}/attempts`;
    const failed = await until(async () => {
      const items = dataOf<Attempt[]>(await s.client.request('GET', attemptsPath, { token: own.token }));
      return items.length === 2 && items.every((a) => a.result === 'failure') ? items : undefined;
    });
    assert.equal(failed[0]?.retries_left, 'retries exceeded');
    const deliveryId = failed[0]?.delivery_id ?? '';
    const firstId = receiver.requests.find((r) => r.path === path)?.headers['webhook-id'];
    assert.equal(firstId, deliveryId);

    receiver.respond({ status: 200, body: 'thanks' });
    const resend = await s.client.request('POST', `/v2/accounts/${own.id}/webhooks/${hookId}/deliveries/${deliveryId}/resend`, {
      token: own.token,
    });
    assert.equal(resend.status, 202);
    assert.deepEqual(
      { ...dataOf<Record<string, unknown>>(resend), next_attempt_at: undefined },
      { delivery_id: deliveryId, hook_id: hookId, hook_event: 'CHANNEL_CREATE', status: 'pending', next_attempt_at: undefined },
    );
    const third = await until(() => receiver.requests.filter((r) => r.path === path)[2]);
    assert.equal(third.headers['webhook-id'], deliveryId, 'the same webhook-id');
    const latest = await until(async () => {
      const items = dataOf<Attempt[]>(await s.client.request('GET', `${attemptsPath}?filter_result=success`, { token: own.token }));
      return items[0];
    });
    assert.deepEqual([latest.delivery_id, latest.try, latest.retries_left], [deliveryId, 1, 1], 'retries start afresh');
  });

  it('answers 404 for a delivery it does not keep, another hook’s, or a malformed id; 409 while in flight', async () => {
    const { s, receiver } = ctx;
    const own = await s.client.createAccount(s.master.token, s.master.accountId, 'Resend errors');
    const path = `/slow-${newHexId().slice(0, 6)}`;
    receiver.respond((req) => (req.path === path ? { status: 200, delayMs: 700 } : { status: 200 }));
    const hookId = await s.hook({ name: 'slow', uri: receiver.url(path), hook: 'channel_create' }, own.id);
    const otherHook = await s.hook({ name: 'other', uri: receiver.url('/other'), hook: 'channel_destroy' }, own.id);
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: own.id }));
    const request = await until(() => receiver.requests.find((r) => r.path === path));
    const deliveryId = request.headers['webhook-id'] ?? '';
    const base = `/v2/accounts/${own.id}/webhooks`;

    const busy = await s.client.request('POST', `${base}/${hookId}/deliveries/${deliveryId}/resend`, { token: own.token });
    assert.equal(busy.status, 409, 'the receiver is still answering the first attempt');
    assert.match(JSON.stringify(busy.body.data), /being sent right now/);

    const wrongHook = await s.client.request('POST', `${base}/${otherHook}/deliveries/${deliveryId}/resend`, { token: own.token });
    assert.equal(wrongHook.status, 404);
    assert.match(JSON.stringify(wrongHook.body.data), /CALLHOOK_DELIVERED_RETENTION_MIN/);
    const unknown = await s.client.request('POST', `${base}/${hookId}/deliveries/${newHexId()}/resend`, { token: own.token });
    assert.equal(unknown.status, 404);
    const malformed = await s.client.request('POST', `${base}/${hookId}/deliveries/not-an-id/resend`, { token: own.token });
    assert.equal(malformed.status, 400);
    const noHook = await s.client.request('POST', `${base}/${newHexId()}/deliveries/${deliveryId}/resend`, { token: own.token });
    assert.equal(noHook.status, 404);
    const stranger = await s.client.createAccount(s.master.token, s.master.accountId, 'Stranger');
    const foreign = await s.client.request('POST', `${base}/${hookId}/deliveries/${deliveryId}/resend`, { token: stranger.token });
    assert.equal(foreign.status, 403);
  });
});
