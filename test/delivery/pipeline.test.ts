import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unixMsToGregorian } from '../../src/domain/call-event.js';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { useScenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

describe('event pipeline through POST /v2/events', () => {
  // Its loopback receiver stands in for a public one: its answers are kept in full.
  const ctx = useScenario({ privateResponseBytes: 16384 });

  it('delivers a channel_create as Kazoo’s form-encoded POST with its headers', async () => {
    const { s, receiver } = ctx;
    const hookId = await s.hook({ name: 'creates', uri: receiver.url('/form'), hook: 'channel_create', custom_data: { crm: 'acme' } });
    const message = buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id });
    const posted = await s.post(message);
    assert.equal(posted.status, 202);
    assert.equal(posted.data.deliveries, 1);
    const [request] = (await receiver.waitFor(1)).filter((r) => r.path === '/form');
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(request.headers['x-hook-id'], hookId);
    assert.equal(request.headers['x-account-id'], s.account.id);
    assert.match(request.headers['webhook-id'] ?? '', /^[0-9a-f]{32}$/);
    const form = new URLSearchParams(request.body);
    assert.equal(form.get('hook_event'), 'channel_create');
    assert.equal(form.get('call_id'), message['Call-ID']);
    assert.equal(form.get('account_id'), s.account.id);
    assert.equal(form.get('crm'), 'acme');
    assert.equal(form.get('timestamp'), String(message['Timestamp']));
    assert.equal([...form.keys()].at(-1), 'cluster_id');
    assert.match(form.get('cluster_id') ?? '', /^[0-9a-f]{32}$/);
  });

  it('sends JSON bodies, GET query strings and PUT as the hook says', async () => {
    const { s, receiver } = ctx;
    const json = await s.hook({ name: 'json', uri: receiver.url('/json'), hook: 'channel_answer', format: 'json', http_verb: 'put' });
    await s.hook({ name: 'get', uri: receiver.url('/get?token=abc'), hook: 'channel_answer', http_verb: 'get' });
    const before = receiver.requests.length;
    await s.post(buildKazooMessage('CHANNEL_ANSWER', { accountId: s.account.id }));
    const requests = (await receiver.waitFor(before + 2)).slice(before);
    const put = requests.find((r) => r.path === '/json');
    assert.equal(put?.method, 'PUT');
    assert.equal(put?.headers['content-type'], 'application/json');
    const payload = JSON.parse(put?.body ?? '{}') as Record<string, unknown>;
    assert.equal(payload['hook_event'], 'channel_answer');
    assert.equal(put?.headers['x-hook-id'], json);
    const get = requests.find((r) => r.path === '/get');
    assert.equal(get?.method, 'GET');
    assert.equal(get?.url.searchParams.get('token'), 'abc', 'the existing query is kept');
    assert.equal(get?.url.searchParams.get('hook_event'), 'channel_answer');
    assert.equal(get?.body, '');
  });

  it('fires ancestors’ hooks only with include_subaccounts, and skips loopback legs when asked', async () => {
    const { s, receiver } = ctx;
    const child = await s.client.createAccount(s.master.token, s.account.id, 'Child');
    await s.hook({ name: 'parent-all', uri: receiver.url('/parent-sub'), hook: 'all', include_subaccounts: true });
    await s.hook({ name: 'parent-own', uri: receiver.url('/parent-own'), hook: 'channel_destroy' });
    await s.hook({ name: 'child-no-loop', uri: receiver.url('/child'), hook: 'channel_destroy', include_internal_legs: false }, child.id);
    const before = receiver.requests.length;
    const normal = await s.post(buildKazooMessage('CHANNEL_DESTROY', { accountId: child.id }));
    assert.equal(normal.data.deliveries, 2);
    const loop = await s.post(
      buildKazooMessage('CHANNEL_DESTROY', {
        accountId: child.id,
        headers: { 'Channel-Name': 'loopback/callflow-a', 'Channel-Is-Loopback': true },
      }),
    );
    assert.equal(loop.data.deliveries, 1, 'only the parent hook takes loopback legs');
    const paths = (await receiver.waitFor(before + 3))
      .slice(before)
      .map((r) => r.path)
      .sort();
    assert.deepEqual(paths, ['/child', '/parent-sub', '/parent-sub']);
  });

  it('never fires disabled hooks and applies hook edits to the next event', async () => {
    const { s, receiver } = ctx;
    const own = await s.client.createAccount(s.master.token, s.master.accountId, 'Toggle');
    const hookId = await s.hook({ name: 'toggle', uri: receiver.url('/toggle'), hook: 'channel_bridge' }, own.id);
    await s.client.request('PATCH', `/v2/accounts/${own.id}/webhooks/${hookId}`, { token: s.master.token, data: { enabled: false } });
    const off = await s.post(buildKazooMessage('CHANNEL_BRIDGE', { accountId: own.id }));
    assert.equal(off.data.deliveries, 0);
    await s.client.request('PATCH', `/v2/accounts/${own.id}/webhooks/${hookId}`, {
      token: s.master.token,
      data: { enabled: true, uri: receiver.url('/toggled') },
    });
    const before = receiver.requests.length;
    await s.post(buildKazooMessage('CHANNEL_BRIDGE', { accountId: own.id }));
    const [request] = (await receiver.waitFor(before + 1)).slice(before);
    assert.equal(request?.path, '/toggled');
  });

  it('delivers a duplicated event once (same Msg-ID from two ecallmgrs)', async () => {
    const { s, receiver } = ctx;
    await s.hook({ name: 'dedupe', uri: receiver.url('/dedupe'), hook: 'channel_create' });
    const message = buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id });
    const copy = { ...message, Node: 'ecallmgr@apps2.example.com' };
    const first = await s.post(message);
    const second = await s.post(copy);
    assert.ok(first.data.deliveries >= 1);
    assert.equal(second.data.deliveries, 0);
  });

  it('records every attempt, retries failures on the schedule with one webhook-id, and gives up after retries', async () => {
    const { s, receiver } = ctx;
    const path = `/flaky-${newHexId().slice(0, 6)}`;
    let calls = 0;
    receiver.respond((req) => {
      if (req.path !== path) return { status: 200 };
      calls += 1;
      return calls < 3 ? { status: 503, body: 'busy' } : { status: 200, body: 'ok' };
    });
    const hookId = await s.hook({ name: 'flaky', uri: receiver.url(path), hook: 'channel_create', retries: 3 });
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    const requests = await until(() => {
      const got = receiver.requests.filter((r) => r.path === path);
      return got.length >= 3 ? got : undefined;
    }, 8000);
    assert.equal(new Set(requests.map((r) => r.headers['webhook-id'])).size, 1, 'the same webhook-id on every attempt');
    const gap = (requests[1]?.receivedAt ?? 0) - (requests[0]?.receivedAt ?? 0);
    assert.ok(gap >= 850, `waited ${gap} ms before retrying (schedule says 1 s)`);
    const attempts = await until(async () => {
      const reply = await s.client.request('GET', `/v2/accounts/${s.account.id}/webhooks/${hookId}/attempts`, { token: s.master.token });
      const items = dataOf<Array<Record<string, unknown>>>(reply);
      return items.length >= 3 ? items : undefined;
    });
    assert.deepEqual(
      attempts.map((a) => a['result']),
      ['success', 'failure', 'failure'],
    );
    assert.deepEqual(
      attempts.map((a) => a['try']),
      [3, 2, 1],
    );
    const failure = attempts[2] ?? {};
    assert.equal(failure['reason'], 'bad response code');
    assert.equal(failure['resp_status_code'], '503');
    assert.equal(failure['resp_body'], 'busy');
    assert.equal(failure['retries_left'], 3);
    assert.equal(failure['hook_event'], 'CHANNEL_CREATE');
    assert.equal(failure['method'], 'post');
    assert.equal(typeof failure['next_attempt_at'], 'string');
    assert.ok(Math.abs(Number(failure['timestamp']) - unixMsToGregorian(Date.now())) < 30);
    assert.equal((failure['req_headers'] as Record<string, string>)['x-hook-id'], hookId);

    const deadPath = `/dead-${newHexId().slice(0, 6)}`;
    receiver.respond((req) => (req.path === deadPath ? { status: 500 } : { status: 200 }));
    const dead = await s.hook({ name: 'dead', uri: receiver.url(deadPath), hook: 'channel_create', retries: 1 });
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    const deadAttempts = await until(async () => {
      const reply = await s.client.request('GET', `/v2/accounts/${s.account.id}/webhooks/${dead}/attempts`, { token: s.master.token });
      const items = dataOf<Array<Record<string, unknown>>>(reply);
      return items.length >= 2 ? items : undefined;
    }, 8000);
    assert.equal(deadAttempts[0]?.['retries_left'], 'retries exceeded');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.requests.filter((r) => r.path === deadPath).length, 2, 'first attempt + 1 retry, then no more');
    receiver.respond({ status: 200 });
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    const { s, receiver } = ctx;
    const path = `/redirect-${newHexId().slice(0, 6)}`;
    receiver.respond((req) => (req.path === path ? { status: 301, headers: { location: receiver.url('/elsewhere') } } : { status: 200 }));
    const hookId = await s.hook({ name: 'redirect', uri: receiver.url(path), hook: 'channel_create', retries: 0 });
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    const attempt = await until(async () => {
      const reply = await s.client.request('GET', `/v2/accounts/${s.account.id}/webhooks/${hookId}/attempts`, { token: s.master.token });
      return dataOf<Array<Record<string, unknown>>>(reply)[0];
    });
    assert.equal(attempt['result'], 'failure');
    assert.equal(attempt['resp_status_code'], '301');
    assert.equal(receiver.requests.filter((r) => r.path === '/elsewhere').length, 0);
    receiver.respond({ status: 200 });
  });

  it('rejects malformed events with a 400 naming the problem, and enforces account scope', async () => {
    const { s } = ctx;
    const bad = await s.client.request('POST', '/v2/events', {
      token: s.master.token,
      raw: JSON.stringify([buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }), { 'Event-Name': 'CHANNEL_CREATE' }, 'text']),
    });
    assert.equal(bad.status, 400);
    const keys = Object.keys(bad.body.data as object);
    assert.ok(keys.includes('1.Call-ID'), keys.join());
    assert.ok(keys.includes('2'), keys.join());
    const unknown = await s.client.request('POST', '/v2/events', {
      token: s.master.token,
      data: { 'Call-ID': 'x', 'Event-Name': 'CHANNEL_PARK' },
    });
    assert.equal(unknown.status, 400);
    const sibling = await s.client.createAccount(s.master.token, s.master.accountId, 'Sibling');
    const foreign = await s.client.request('POST', '/v2/events', {
      token: sibling.token,
      raw: JSON.stringify(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id })),
    });
    assert.equal(foreign.status, 403);
    const own = await s.client.request('POST', '/v2/events', {
      token: s.account.token,
      data: buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }),
    });
    assert.equal(own.status, 202);
    assert.equal((await s.client.request('POST', '/v2/events', { raw: '{}' })).status, 401);
  });

  it('exposes Prometheus metrics', async () => {
    const { s } = ctx;
    const text = await (await fetch(`${s.app.baseUrl}/metrics`)).text();
    for (const name of [
      'callhook_events_consumed_total',
      'callhook_delivery_attempts_total',
      'callhook_attempt_duration_seconds_bucket',
      'callhook_event_to_delivery_seconds_bucket',
      'callhook_pending_deliveries',
      'callhook_messages_dead_lettered_total',
    ]) {
      assert.match(text, new RegExp(name));
    }
    assert.match(text, /callhook_delivery_attempts_total\{result="delivered"\} [1-9]/);
  });
});
