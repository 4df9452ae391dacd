import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { buildKazooPayload } from '../../src/domain/payloads/kazoo.js';
import { toCallEvent, type ChannelEvent } from '../../src/domain/call-event.js';
import { AMQP_URL, closeBrokerConnections, deleteQueues, publishKazooEvents, publishRaw, readQueue, uniqueName } from '../support/amqp.js';
import { until } from '../support/wait.js';
import { buildKazooMessage } from '../support/factories.js';
import { Receiver } from '../support/receiver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startScenario, type Scenario } from '../support/scenario.js';

function callIdOf(body: string): string {
  return String((JSON.parse(body) as { call_id: string }).call_id);
}

describe('Kazoo events from RabbitMQ to webhooks', () => {
  const queue = uniqueName('callhook.test.pipeline');
  const deadLetterQueue = `${queue}.dead`;
  let s: Scenario;
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
    s = await startScenario({ amqpUrl: AMQP_URL, amqpQueue: queue, amqpDeadLetterQueue: deadLetterQueue });
    await s.app.app.consumer?.waitUntilUp(10_000);
  });
  after(async () => {
    await s.stop();
    await receiver.close();
    await deleteQueues(AMQP_URL, [queue, deadLetterQueue]);
  });

  it('reports the broker in /health', async () => {
    const health = (await (await fetch(`${s.app.baseUrl}/health`)).json()) as { checks: { amqp: { status: string } } };
    assert.equal(health.checks.amqp.status, 'up');
  });

  it('delivers each channel event type with the exact Kazoo payload', async () => {
    const hookId = await s.hook({ name: 'all', uri: receiver.url('/all'), hook: 'all', format: 'json', custom_data: { team: 'red' } });
    const callId = `exact-${Date.now()}@pbx.example.com`;
    const messages = (['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_DESTROY'] as const).map((name) =>
      buildKazooMessage(name, { accountId: s.account.id, callId }),
    );
    await publishKazooEvents(AMQP_URL, 'callevt', messages);
    const got = await until(() => {
      const mine = receiver.requests.filter((r) => r.path === '/all' && callIdOf(r.body) === callId);
      return mine.length >= 4 ? mine : undefined;
    }, 10_000);
    const clusterId = String((JSON.parse(got[0]?.body ?? '{}') as { cluster_id: string }).cluster_id);
    const master = await s.app.app.store.getMasterAccount();
    for (const message of messages) {
      const event = toCallEvent(message) as ChannelEvent;
      const expected = buildKazooPayload(event, {
        accountId: s.account.id,
        resellerId: master?.id ?? '',
        clusterId,
        customData: { team: 'red' },
      });
      const received = got.find((r) => (JSON.parse(r.body) as { hook_event: string }).hook_event === expected['hook_event']);
      assert.ok(received, `a ${String(expected['hook_event'])} arrived`);
      assert.equal(received.body, JSON.stringify(expected), 'byte for byte, keys in Kazoo’s order');
      assert.equal(received.headers['x-hook-id'], hookId);
    }
  });

  it('dead-letters what is not a call event and keeps consuming', async () => {
    await publishRaw(AMQP_URL, 'callevt', 'call.CHANNEL_CREATE.garbage', 'this is not json');
    await publishRaw(AMQP_URL, 'callevt', 'call.CHANNEL_CREATE.nocallid', JSON.stringify({ 'Event-Name': 'CHANNEL_CREATE' }));
    const parked = await readQueue(AMQP_URL, deadLetterQueue, 2, 10_000);
    assert.equal(parked.length, 2);
    const reasons = parked.map((m) => String(m.headers['x-callhook-reason']));
    assert.ok(
      reasons.some((r) => r.startsWith('not JSON')),
      reasons.join(' | '),
    );
    assert.ok(
      reasons.some((r) => r.includes('Call-ID')),
      reasons.join(' | '),
    );
    assert.deepEqual(parked.map((m) => m.headers['x-callhook-routing-key']).sort(), [
      'call.CHANNEL_CREATE.garbage',
      'call.CHANNEL_CREATE.nocallid',
    ]);
    assert.equal(
      parked.find((m) => m.headers['x-callhook-routing-key'] === 'call.CHANNEL_CREATE.garbage')?.body.toString(),
      'this is not json',
    );
    const metrics = await (await fetch(`${s.app.baseUrl}/metrics`)).text();
    assert.match(metrics, /callhook_messages_dead_lettered_total\{reason="not_json"\} 1/);
    assert.match(metrics, /callhook_messages_dead_lettered_total\{reason="invalid_event"\} 1/);

    await s.hook({ name: 'after-garbage', uri: receiver.url('/after'), hook: 'channel_create' });
    await publishKazooEvents(AMQP_URL, 'callevt', [buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id })]);
    await until(() => receiver.requests.find((r) => r.path === '/after'), 10_000);
  });

  it('loses nothing when the broker drops the connection mid-stream', async () => {
    await s.hook({ name: 'outage', uri: receiver.url('/outage'), hook: 'channel_destroy', format: 'json' });
    const messages = Array.from({ length: 300 }, () => buildKazooMessage('CHANNEL_DESTROY', { accountId: s.account.id }));
    const publishing = publishKazooEvents(AMQP_URL, 'callevt', messages);
    await until(() => (receiver.requests.some((r) => r.path === '/outage') ? true : undefined), 10_000);
    assert.ok((await closeBrokerConnections(`callhook@${hostname()}:${process.pid}`)) >= 1, 'the app’s connection was closed');
    await publishing;
    const wanted = new Set(messages.map((m) => String(m['Call-ID'])));
    await until(() => {
      const seen = new Set(receiver.requests.filter((r) => r.path === '/outage').map((r) => callIdOf(r.body)));
      return [...wanted].every((id) => seen.has(id)) ? true : undefined;
    }, 20_000);
    await s.app.app.consumer?.waitUntilUp(10_000);
  });
});

describe('two instances on one queue and one store', () => {
  const queue = uniqueName('callhook.test.shared');
  let first: Scenario;
  let receiver: Receiver;
  let second: TestApp;
  before(async () => {
    receiver = await Receiver.start();
    first = await startScenario({ amqpUrl: AMQP_URL, amqpQueue: queue, amqpDeadLetterQueue: `${queue}.dead` });
    second = await startTestApp(first.app.config, first.app.place);
    await first.app.app.consumer?.waitUntilUp(10_000);
    await second.app.consumer?.waitUntilUp(10_000);
  });
  after(async () => {
    // Stopped even when `before` failed half-way, so the process can end and report it.
    await second?.stop();
    await first?.stop();
    await receiver.close();
    await deleteQueues(AMQP_URL, [queue, `${queue}.dead`]);
  });

  it('share the work as competing consumers and deliver every event once', async () => {
    await first.hook({ name: 'shared', uri: receiver.url('/shared'), hook: 'channel_answer', format: 'json' });
    const messages = Array.from({ length: 200 }, () => buildKazooMessage('CHANNEL_ANSWER', { accountId: first.account.id }));
    await publishKazooEvents(AMQP_URL, 'callevt', messages);
    const got = await until(() => {
      const mine = receiver.requests.filter((r) => r.path === '/shared');
      return mine.length >= 200 ? mine : undefined;
    }, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = receiver.requests.filter((r) => r.path === '/shared').map((r) => callIdOf(r.body));
    assert.equal(new Set(ids).size, 200);
    assert.equal(ids.length, 200, 'no duplicates');
    const consumedBy = async (app: { metrics: { registry: { getSingleMetricAsString(name: string): Promise<string> } } }) =>
      app.metrics.registry.getSingleMetricAsString('callhook_events_consumed_total');
    const a = await consumedBy(first.app.app);
    const b = await consumedBy(second.app);
    assert.match(a, /source="amqp"\} [1-9]/, 'the first instance took some');
    assert.match(b, /source="amqp"\} [1-9]/, 'the second instance took some');
    assert.ok(got.length >= 200);
  });
});
