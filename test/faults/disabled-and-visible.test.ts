/**
 * Rows 7 and 9 of issue 10: events of a hook callhook disabled are kept, so re-enabling it and
 * `recover` deliver every one; and failures show in the service log without polling the API.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { captureLog } from '../support/log-capture.js';
import { Receiver } from '../support/receiver.js';
import { startScenario, useScenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

describe('a hook auto-disabled (Kazoo rule) during a receiver outage', () => {
  const ctx = useScenario({ disableRule: 'kazoo', disableMinFailures: 3, disableAfterSeconds: 60 });

  it('keeps every event while it is off; re-enable and recover deliver all of them, each once', { timeout: 60_000 }, async () => {
    const { s, receiver } = ctx;
    const path = `/outage-${newHexId().slice(0, 6)}`;
    let down = true;
    receiver.respond((req) => (req.path === path && down ? { status: 500 } : { status: 200 }));
    const id = await s.hook({ name: 'outage', uri: receiver.url(path), hook: 'channel_create', format: 'json', retries: 0 });
    const since = new Date(Date.now() - 1000).toISOString();
    const sent: string[] = [];
    const post = async () => {
      const message = buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id });
      sent.push(String(message['Call-ID']));
      await s.post(message);
    };
    for (let i = 0; i < 3; i += 1) await post();
    await until(
      async () => {
        const reply = await s.client.request('GET', `/v2/accounts/${s.account.id}/webhooks/${id}`, { token: s.master.token });
        return dataOf<{ enabled: boolean }>(reply).enabled ? undefined : true;
      },
      10_000,
      'the hook disabled',
    );
    for (let i = 0; i < 30; i += 1) await post();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(receiver.requests.filter((r) => r.path === path).length, 3, 'nothing is sent while it is off');

    down = false;
    const reenabled = await s.client.request('PATCH', `/v2/accounts/${s.account.id}/webhooks`, {
      token: s.master.token,
      data: { 're-enable': true },
    });
    assert.equal(reenabled.status, 200);
    const recovered = await s.client.request('POST', `/v2/accounts/${s.account.id}/webhooks/${id}/recover`, {
      token: s.master.token,
      data: { since },
    });
    assert.deepEqual(recovered.body.data, { recovered: 33 });
    const delivered = await until(
      () => {
        const ok = receiver.requests.filter((r) => r.path === path).slice(3);
        return ok.length >= 33 ? ok : undefined;
      },
      15_000,
      'all 33 events',
    );
    assert.deepEqual(
      new Set(delivered.map((r) => (JSON.parse(r.body) as { call_id: string }).call_id)),
      new Set(sent),
      'every event, each once',
    );
  });
});

describe('failures in the service log', () => {
  it(
    'logs a warning per failed attempt, an error when retries run out and when a hook is disabled, and warns once about an unknown account',
    { timeout: 30_000 },
    async () => {
      const { log, lines } = captureLog('warn');
      const receiver = await Receiver.start();
      const s = await startScenario({ disableRule: 'kazoo', disableMinFailures: 2, disableAfterSeconds: 60 }, undefined, { log });
      try {
        receiver.respond({ status: 503 });
        const id = await s.hook({ name: 'failing', uri: receiver.url('/failing'), hook: 'channel_create', retries: 1 });
        await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
        await until(() => (lines.some((line) => line['msg'] === 'webhook disabled') ? true : undefined), 10_000, 'the disable');
        const retrying = lines.find((line) => line['msg'] === 'delivery attempt failed; retrying');
        assert.ok(retrying);
        assert.equal(retrying['level'], 40);
        assert.equal(retrying['account_id'], s.account.id);
        assert.equal(retrying['hook_id'], id);
        assert.equal(retrying['try'], 1);
        assert.equal(retrying['status'], 503);
        assert.match(String(retrying['delivery_id']), /^[0-9a-f]{32}$/);
        assert.ok(!Number.isNaN(Date.parse(String(retrying['next_attempt_at']))));
        const exhausted = lines.find((line) => line['msg'] === 'delivery failed: no retries left');
        assert.equal(exhausted?.['level'], 50);
        assert.equal(exhausted?.['try'], 2);
        assert.equal(lines.find((line) => line['msg'] === 'webhook disabled')?.['level'], 50);

        const stranger = newHexId();
        for (let i = 0; i < 5; i += 1) await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: stranger }));
        const unknown = lines.filter((line) => String(line['msg']).startsWith('event for an account callhook does not know'));
        assert.equal(unknown.length, 1, 'once, not once per event');
        assert.equal(unknown[0]?.['account_id'], stranger);
      } finally {
        await s.stop();
        await receiver.close();
      }
    },
  );
});
