/**
 * The AMQP consumer against the real RabbitMQ: what each handler verdict does to the message.
 * Connection loss, stop() and an unreachable broker are in consumer-recovery.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect } from 'amqplib';
import type { InboundMessage } from '../../src/amqp/consumer.js';
import { KAZOO_EXCHANGE_OPTIONS } from '../../src/amqp/topology.js';
import {
  AMQP_URL,
  callRoutingKey,
  deleteQueues,
  encodeCallId,
  publishKazooEvent,
  publishKazooEvents,
  publishRaw,
  queueDepth,
  readQueue,
} from '../support/amqp.js';
import { sleep, until } from '../support/wait.js';
import { EXCHANGE, Gate, callEvent, makeRig, range, seqOf, startConsumer } from './harness.js';

describe('AMQP consumer: handler verdicts', { timeout: 60_000 }, () => {
  it('encodes call ids in routing keys the way Kazoo does', () => {
    assert.equal(encodeCallId('a b.c@d~e_f-G9/ü'), 'a+b%2Ec%40d~e_f-G9%2F%C3%BC');
    assert.equal(callRoutingKey('CHANNEL_CREATE', 'x.y'), 'call.CHANNEL_CREATE.x%2Ey');
  });

  it('hands a good event to the handler with its routing key and body, then acks it', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    // Production-style wildcard bindings: other tests' events land here too, so filter by call id.
    rig.bindingKeys = ['call.CHANNEL_CREATE.*', 'call.CHANNEL_DESTROY.*'];
    const mine: InboundMessage[] = [];
    const consumer = await startConsumer(rig, async (m) => {
      if (m.routingKey.endsWith(`.${encodeCallId(rig.callId)}`)) mine.push(m);
      return { kind: 'ack' };
    });
    await consumer.waitUntilUp(10_000);
    assert.equal(consumer.state(), 'up');

    const unbound = callEvent(rig.callId, 0, 'CHANNEL_ANSWER');
    const create = callEvent(rig.callId, 1, 'CHANNEL_CREATE');
    const destroy = callEvent(rig.callId, 2, 'CHANNEL_DESTROY');
    await publishKazooEvent(AMQP_URL, EXCHANGE, unbound);
    await publishKazooEvent(AMQP_URL, EXCHANGE, create, { messageId: 'msg-1' });
    await publishKazooEvent(AMQP_URL, EXCHANGE, destroy);
    await until(() => (mine.length >= 2 ? true : undefined), 5000, 'two events handled');

    // ANSWER was published first and is not bound: had it been routed, it would be first here.
    assert.deepEqual(
      mine.map((m) => m.routingKey),
      [callRoutingKey('CHANNEL_CREATE', rig.callId), callRoutingKey('CHANNEL_DESTROY', rig.callId)],
    );
    const [first] = mine;
    assert.ok(first);
    assert.deepEqual(JSON.parse(first.body.toString('utf8')), create);
    assert.equal(first.contentType, 'application/json');
    assert.equal(first.messageId, 'msg-1');
    assert.equal(first.redelivered, false);
    await consumer.stop();
    assert.equal(await queueDepth(AMQP_URL, rig.queue), 0, 'acked, so nothing went back to the queue');
  });

  it('declares callevt exactly as Kazoo does (topic, non-durable, not auto-delete)', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const consumer = await startConsumer(rig, async () => ({ kind: 'ack' }));
    await consumer.waitUntilUp(10_000);
    const connection = await connect(AMQP_URL);
    connection.on('error', () => undefined);
    t.after(() => connection.close().catch(() => undefined));
    const channel = async () => (await connection.createChannel()).on('error', () => undefined);

    await (await channel()).checkExchange(EXCHANGE);
    await (await channel()).assertExchange(EXCHANGE, 'topic', KAZOO_EXCHANGE_OPTIONS);
    await assert.rejects((await channel()).assertExchange(EXCHANGE, 'topic', { durable: true, autoDelete: false }), { code: 406 });
    await assert.rejects((await channel()).assertExchange(EXCHANGE, 'topic', { durable: false, autoDelete: true }), { code: 406 });
    const queue = await (await channel()).checkQueue(rig.queue);
    assert.equal(queue.consumerCount, 1);
  });

  it('parks a malformed message in the dead-letter queue with the reason, and never redelivers it', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const seen: InboundMessage[] = [];
    const consumer = await startConsumer(rig, async (m) => {
      seen.push(m);
      return { kind: 'dead-letter', reason: 'not JSON' };
    });
    await consumer.waitUntilUp(10_000);
    const routingKey = callRoutingKey('CHANNEL_CREATE', rig.callId);
    const before = Date.now();
    await publishRaw(AMQP_URL, EXCHANGE, routingKey, '{not json', { messageId: 'bad-1', contentType: 'application/json' });

    const [parked] = await readQueue(AMQP_URL, rig.deadLetterQueue, 1, 5000);
    assert.ok(parked, 'the message reached the dead-letter queue');
    assert.equal(parked.body.toString('utf8'), '{not json');
    assert.equal(parked.headers['x-callhook-reason'], 'not JSON');
    assert.equal(parked.headers['x-callhook-routing-key'], routingKey);
    assert.equal(parked.headers['x-callhook-exchange'], EXCHANGE);
    const failedAt = Date.parse(String(parked.headers['x-callhook-failed-at']));
    assert.ok(failedAt >= before - 1000 && failedAt <= Date.now(), 'failed-at is an ISO time of now');
    assert.equal(parked.properties.messageId, 'bad-1');
    assert.equal(parked.properties.contentType, 'application/json');

    await sleep(300); // a redelivery would come back within a few ms
    assert.equal(seen.length, 1);
    await consumer.stop();
    assert.equal(await queueDepth(AMQP_URL, rig.queue), 0);
  });

  it('requeues instead of losing the message when the dead-letter queue is gone', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const seen: InboundMessage[] = [];
    const consumer = await startConsumer(rig, async (m) => {
      seen.push(m);
      return seen.length === 1 ? { kind: 'dead-letter', reason: 'bad' } : { kind: 'ack' };
    });
    await consumer.waitUntilUp(10_000);
    await deleteQueues(AMQP_URL, [rig.deadLetterQueue]);
    await publishKazooEvent(AMQP_URL, EXCHANGE, callEvent(rig.callId, 1));
    await until(() => (seen.length >= 2 ? true : undefined), 5000, 'redelivery');
    assert.deepEqual(
      seen.map((m) => m.redelivered),
      [false, true],
    );
  });

  it("tries a message again after a pause on 'retry', without holding up other messages", { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const seen: { seq: number; redelivered: boolean; attempts: number; at: number }[] = [];
    const consumer = await startConsumer(
      rig,
      async (m) => {
        const seq = seqOf(m.body);
        seen.push({ seq, redelivered: m.redelivered, attempts: m.attempts, at: Date.now() });
        return seq === 1 && !m.redelivered ? { kind: 'retry', reason: 'flaky' } : { kind: 'ack' };
      },
      { retryDelayMs: 400 },
    );
    await consumer.waitUntilUp(10_000);
    await publishKazooEvents(AMQP_URL, EXCHANGE, [callEvent(rig.callId, 1), callEvent(rig.callId, 2)]);
    await until(() => (seen.length >= 3 ? true : undefined), 5000, 'redelivery');
    assert.deepEqual(
      seen.map(({ seq, redelivered }) => [seq, redelivered]),
      [
        [1, false],
        [2, false],
        [1, true],
      ],
    );
    const [first, , again] = seen;
    assert.ok(first && again && again.at - first.at >= 350, 'waited retryDelayMs before giving it back');
    assert.equal(again.attempts, 1, 'the broker counted the failed handling');
  });

  it('treats a throwing handler as a failed handling, tried again', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const seen: InboundMessage[] = [];
    const consumer = await startConsumer(rig, async (m) => {
      seen.push(m);
      if (seen.length === 1) throw new Error('store exploded');
      return { kind: 'ack' };
    });
    await consumer.waitUntilUp(10_000);
    await publishKazooEvent(AMQP_URL, EXCHANGE, callEvent(rig.callId, 1));
    await until(() => (seen.length >= 2 ? true : undefined), 5000, 'redelivery');
    assert.deepEqual(
      seen.map((m) => m.redelivered),
      [false, true],
    );
    await consumer.stop();
    assert.equal(await queueDepth(AMQP_URL, rig.queue), 0);
  });

  it('runs the handler concurrently up to prefetch, and no further', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const gate = new Gate();
    let active = 0;
    let maxActive = 0;
    let done = 0;
    const consumer = await startConsumer(
      rig,
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await gate.wait();
        active -= 1;
        done += 1;
        return { kind: 'ack' };
      },
      { prefetch: 4 },
    );
    await consumer.waitUntilUp(10_000);
    await publishKazooEvents(
      AMQP_URL,
      EXCHANGE,
      range(10).map((i) => callEvent(rig.callId, i)),
    );
    await until(() => (active === 4 ? true : undefined), 5000, 'four handlers in flight');
    await sleep(200); // room for a fifth delivery, had prefetch not held it back
    assert.equal(maxActive, 4);
    gate.open();
    await until(() => (done === 10 ? true : undefined), 5000, 'all handled');
    assert.equal(maxActive, 4);
  });

  it('shares one queue between competing consumers, each message handled exactly once', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const byConsumer: number[][] = [[], []];
    const handlerFor = (n: 0 | 1) => async (m: InboundMessage) => {
      byConsumer[n]?.push(seqOf(m.body));
      await sleep(5);
      return { kind: 'ack' } as const;
    };
    const a = await startConsumer(rig, handlerFor(0), { prefetch: 1 });
    const b = await startConsumer(rig, handlerFor(1), { prefetch: 1 });
    await Promise.all([a.waitUntilUp(10_000), b.waitUntilUp(10_000)]);
    await publishKazooEvents(
      AMQP_URL,
      EXCHANGE,
      range(30).map((i) => callEvent(rig.callId, i)),
    );
    await until(() => (byConsumer.flat().length >= 30 ? true : undefined), 10_000, 'all handled');
    await sleep(100); // a duplicate would show up now
    const all = byConsumer.flat().sort((x, y) => x - y);
    assert.deepEqual(all, range(30));
    assert.ok((byConsumer[0]?.length ?? 0) > 0 && (byConsumer[1]?.length ?? 0) > 0, `split ${byConsumer.map((c) => c.length).join('/')}`);
  });
});
