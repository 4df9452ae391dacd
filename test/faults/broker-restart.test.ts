/**
 * Row 8 of issue 10: a broker restart costs callhook under a second: it reconnects as soon as the
 * broker answers, re-declares and re-binds before consuming. Kazoo's callevt exchange is not
 * durable, so events published between the broker's return and callhook's re-bind have nowhere to
 * go; the benchmark measures that window, the test checks that callhook is back and loses nothing
 * published after it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishKazooEvents } from '../support/amqp.js';
import { startBrokerNode, type BrokerNode } from '../support/broker-node.js';
import { buildKazooMessage } from '../support/factories.js';
import { Receiver } from '../support/receiver.js';
import { startScenario, type Scenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

describe('a broker restart (a RabbitMQ node of the test’s own)', () => {
  let broker: BrokerNode;
  let s: Scenario;
  let receiver: Receiver;
  before(async () => {
    broker = await startBrokerNode();
    receiver = await Receiver.start();
    s = await startScenario({ amqpUrl: broker.url, amqpQueue: 'callhook.restart', amqpDeadLetterQueue: 'callhook.restart.dead' });
    await s.app.app.consumer?.waitUntilUp(10_000);
  });
  after(async () => {
    await s.stop();
    await receiver.close();
    await broker.stop();
  });

  it('is consuming again right after the broker is back, and delivers what is published then', { timeout: 90_000 }, async () => {
    await s.hook({ name: 'restart', uri: receiver.url('/restart'), hook: 'channel_create', format: 'json' });
    const before = Array.from({ length: 50 }, () => buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    await publishKazooEvents(broker.url, 'callevt', before);
    await until(() => (receiver.requests.length >= 50 ? true : undefined), 10_000, 'the first 50');

    await broker.restart();
    const back = Date.now();
    await s.app.app.consumer?.waitUntilUp(10_000);
    const reconnectMs = Date.now() - back;
    assert.ok(reconnectMs < 5_000, `consuming again ${reconnectMs} ms after the broker was back`);
    const afterRestart = Array.from({ length: 50 }, () => buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
    await publishKazooEvents(broker.url, 'callevt', afterRestart);
    await until(() => (receiver.requests.length >= 100 ? true : undefined), 10_000, 'the 50 published after the restart');
    const callIds = new Set(receiver.requests.map((r) => (JSON.parse(r.body) as { call_id: string }).call_id));
    assert.equal(callIds.size, 100);
  });
});
