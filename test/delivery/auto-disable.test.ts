import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../support/wait.js';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import type { ReceivedRequest } from '../support/receiver.js';
import { type Scenario, useScenario } from '../support/scenario.js';

interface HookView {
  enabled: boolean;
  disable_reason?: string;
}

async function hookView(s: Scenario, accountId: string, id: string): Promise<HookView> {
  return dataOf<HookView>(await s.client.request('GET', `/v2/accounts/${accountId}/webhooks/${id}`, { token: s.master.token }));
}

function uniquePath(name: string): string {
  return `/${name}-${newHexId().slice(0, 8)}`;
}

function bodiesAt(requests: readonly ReceivedRequest[], path: string): Array<Record<string, unknown>> {
  return requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);
}

describe('auto-disable, Kazoo rule (3 failures within 60 s here)', () => {
  const ctx = useScenario({ disableRule: 'kazoo', disableMinFailures: 3 });

  it('disables the hook, notifies the account’s notifications hooks once, and re-enabling sends what was kept', async () => {
    const { s, receiver } = ctx;
    const account = await s.client.createAccount(s.master.token, s.master.accountId, 'Kazoo rule');
    const failing = uniquePath('failing');
    const wanted = uniquePath('notify');
    const other = uniquePath('voicemail');
    let failingStatus = 500;
    receiver.respond((req) => ({ status: req.path === failing ? failingStatus : 200 }));
    const id = await s.hook({ name: 'crm', uri: receiver.url(failing), hook: 'channel_create', retries: 4 }, account.id);
    const notify = await s.hook(
      { name: 'ops', uri: receiver.url(wanted), hook: 'notifications', format: 'json', custom_data: { type: 'webhook_disabled' } },
      account.id,
    );
    await s.hook({ name: 'vm', uri: receiver.url(other), hook: 'notifications', custom_data: { type: 'voicemail_new' } }, account.id);

    for (let i = 0; i < 2; i += 1) await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: account.id }));
    await until(async () => (receiver.requests.filter((r) => r.path === failing).length >= 2 ? true : undefined));
    assert.equal((await hookView(s, account.id, id)).enabled, true, 'two failures are not enough');

    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: account.id }));
    const disabled = await until(async () => {
      const view = await hookView(s, account.id, id);
      return view.enabled ? undefined : view;
    });
    assert.equal(disabled.disable_reason, 'too many failed attempts');

    const [notice] = await until(async () => {
      const found = bodiesAt(receiver.requests, wanted);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(Object.keys(notice ?? {}), [
      'account_id',
      'app_name',
      'app_version',
      'disable_reason',
      'event_category',
      'event_name',
      'hook_id',
      'msg_id',
      'node',
      'type',
      'cluster_id',
    ]);
    assert.equal(notice?.['event_name'], 'webhook_disabled');
    assert.equal(notice?.['hook_id'], id);
    assert.equal(notice?.['account_id'], account.id);
    assert.equal(notice?.['event_category'], 'notification');
    assert.equal(notice?.['disable_reason'], 'too many failed attempts');
    assert.equal(notice?.['type'], 'webhook_disabled', 'custom_data is merged as Kazoo 4.3 does');

    const sentBefore = receiver.requests.filter((r) => r.path === failing).length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.requests.filter((r) => r.path === failing).length, sentBefore, 'a disabled hook gets no retries');
    assert.equal(bodiesAt(receiver.requests, wanted).length, 1, 'one notification per disable');
    assert.equal(bodiesAt(receiver.requests, other).length, 0, 'other notification types are not sent');
    const notifyAttempts = dataOf<Array<{ hook_event: string }>>(
      await s.client.request('GET', `/v2/accounts/${account.id}/webhooks/${notify}/attempts`, { token: s.master.token }),
    );
    assert.equal(notifyAttempts[0]?.hook_event, 'webhook_disabled');
    const metrics = await (await fetch(`${s.app.baseUrl}/metrics`)).text();
    assert.match(metrics, /callhook_hooks_disabled_total\{reason="failures"\} 1/);

    // Switched back on, it starts afresh: the kept retries go out and succeed.
    failingStatus = 200;
    const patched = await s.client.request('PATCH', `/v2/accounts/${account.id}/webhooks/${id}`, {
      token: s.master.token,
      data: { enabled: true },
    });
    assert.equal(patched.status, 200);
    await until(async () => (receiver.requests.filter((r) => r.path === failing).length >= sentBefore + 3 ? true : undefined), 10_000);
    const view = await hookView(s, account.id, id);
    assert.equal(view.enabled, true);
    assert.equal(view.disable_reason, undefined);
    receiver.respond({ status: 200 });
  });
});

describe('auto-disable, default rule (no success for 2 s and 3 failures here)', () => {
  const ctx = useScenario({ disableRule: 'no_success', disableAfterSeconds: 2, disableMinFailures: 3 });

  it('keeps a hook that still succeeds now and then, disables one that has only failed for the whole window', async () => {
    const { s, receiver } = ctx;
    const account = await s.client.createAccount(s.master.token, s.master.accountId, 'Default rule');
    const dead = uniquePath('dead');
    const flaky = uniquePath('flaky');
    let flakyCount = 0;
    receiver.respond((req) => {
      if (req.path === dead) return { status: 503 };
      if (req.path === flaky) return { status: (flakyCount += 1) % 3 === 0 ? 200 : 500 };
      return { status: 200 };
    });
    const deadId = await s.hook({ name: 'dead', uri: receiver.url(dead), hook: 'channel_create', retries: 4 }, account.id);
    const flakyId = await s.hook({ name: 'flaky', uri: receiver.url(flaky), hook: 'channel_create', retries: 4 }, account.id);
    const started = Date.now();
    for (let i = 0; i < 4; i += 1) await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: account.id }));

    await until(async () => (receiver.requests.filter((r) => r.path === dead).length >= 4 ? true : undefined));
    const disabled = await until(async () => {
      const view = await hookView(s, account.id, deadId);
      return view.enabled ? undefined : view;
    }, 10_000);
    assert.equal(disabled.disable_reason, 'too many failed attempts');
    assert.ok(Date.now() - started >= 2000, 'not before the window has passed without a success');

    // The flaky hook has failed at least as often, but succeeded within every window.
    await until(async () => (receiver.requests.filter((r) => r.path === flaky).length >= 9 ? true : undefined), 10_000);
    assert.equal((await hookView(s, account.id, flakyId)).enabled, true);
    receiver.respond({ status: 200 });
  });
});

describe('auto-disable, default rule, inside its window (60 s here)', () => {
  const ctx = useScenario({ disableRule: 'no_success', disableAfterSeconds: 60, disableMinFailures: 3 });

  it('keeps a hook on however many failures it has, while the window without success has not passed', async () => {
    const { s, receiver } = ctx;
    const account = await s.client.createAccount(s.master.token, s.master.accountId, 'Inside the window');
    const dead = uniquePath('dead-inside');
    receiver.respond((req) => (req.path === dead ? { status: 503 } : { status: 200 }));
    const id = await s.hook({ name: 'dead', uri: receiver.url(dead), hook: 'channel_create', retries: 0 }, account.id);
    for (let i = 0; i < 6; i += 1) await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: account.id }));
    // All six failures recorded (twice the rule's count), well inside the 60 s window.
    await until(async () => {
      const reply = await s.client.request('GET', `/v2/accounts/${account.id}/webhooks/${id}/attempts`, { token: s.master.token });
      return dataOf<Array<{ result: string }>>(reply).filter((a) => a.result === 'failure').length >= 6 ? true : undefined;
    }, 10_000);
    const health = await s.app.app.store.getHookHealth(account.id, id);
    assert.equal(health?.failures.length, 3, 'the rule has all the failures it counts');
    assert.equal((await hookView(s, account.id, id)).enabled, true, 'failures alone, inside the window, are not enough');
    receiver.respond({ status: 200 });
  });
});
