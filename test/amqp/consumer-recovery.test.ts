/**
 * The AMQP consumer when things go wrong around it: the broker drops the connection with
 * messages in flight, an operator deletes the queue, the service stops mid-work, the broker is
 * not there at all. The outage is real: rabbitmqctl closes this test's connection by its name.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { AmqpState, InboundMessage } from '../../src/amqp/consumer.js';
import { AmqpConsumer } from '../../src/amqp/consumer.js';
import { AMQP_URL, closeBrokerConnections, deleteQueues, publishKazooEvent, publishKazooEvents, queueDepth } from '../support/amqp.js';
import { sleep, until } from '../support/wait.js';
import { EXCHANGE, Gate, callEvent, log, makeRig, range, seqOf, startConsumer } from './harness.js';

/** Samples state() every few ms, so a short 'down' between two 'up's is not missed. */
function recordStates(consumer: AmqpConsumer): { seen: AmqpState[]; stop: () => void } {
  const seen: AmqpState[] = [consumer.state()];
  const timer = setInterval(() => {
    const state = consumer.state();
    if (seen.at(-1) !== state) seen.push(state);
  }, 2);
  return { seen, stop: () => clearInterval(timer) };
}

describe('AMQP consumer: outages and shutdown', { timeout: 90_000 }, () => {
  it('survives the broker closing its connection: in-flight messages are redelivered, none lost', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const connectionName = `callhook-test-${randomUUID()}`;
    const gate = new Gate();
    const seen: InboundMessage[] = [];
    let active = 0;
    const consumer = await startConsumer(
      rig,
      async (m) => {
        seen.push(m);
        active += 1;
        await gate.wait();
        active -= 1;
        return { kind: 'ack' };
      },
      { prefetch: 5, connectionName },
    );
    await consumer.waitUntilUp(10_000);
    await publishKazooEvents(
      AMQP_URL,
      EXCHANGE,
      range(20).map((i) => callEvent(rig.callId, i)),
    );
    await until(() => (active === 5 ? true : undefined), 5000, 'five messages in flight');
    const inFlight = seen.map((m) => seqOf(m.body));

    const states = recordStates(consumer);
    assert.equal(await closeBrokerConnections(connectionName), 1);
    await until(() => (consumer.state() === 'down' ? true : undefined), 5000, 'state down');
    assert.match(consumer.stateDetail() ?? '', /connection lost|CONNECTION_FORCED/i);
    gate.open(); // these handlers finish on a dead channel: their acks must be skipped, not sent
    await consumer.waitUntilUp(10_000);
    await until(() => (new Set(seen.map((m) => seqOf(m.body))).size === 20 ? true : undefined), 10_000, 'every message handled');
    states.stop();

    assert.deepEqual(states.seen.slice(0, 2), ['up', 'down']);
    assert.equal(states.seen.at(-1), 'up');
    for (const seq of inFlight) {
      assert.ok(
        seen.some((m) => seqOf(m.body) === seq && m.redelivered),
        `in-flight message ${seq} was redelivered`,
      );
    }
    await consumer.stop();
    assert.equal(await queueDepth(AMQP_URL, rig.queue), 0, 'everything acked in the end');
  });

  it('re-declares and resumes when an operator deletes its queue', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const seen: number[] = [];
    const consumer = await startConsumer(rig, async (m) => {
      seen.push(seqOf(m.body));
      return { kind: 'ack' };
    });
    await consumer.waitUntilUp(10_000);
    const states = recordStates(consumer);
    await deleteQueues(AMQP_URL, [rig.queue]);
    await until(() => (states.seen.includes('down') && consumer.state() === 'up' ? true : undefined), 10_000, 'reconnected');
    states.stop();
    await publishKazooEvent(AMQP_URL, EXCHANGE, callEvent(rig.callId, 7));
    await until(() => (seen.includes(7) ? true : undefined), 5000, 'consuming again');
  });

  it('stop() stops taking messages, waits for in-flight handlers and acks them', { timeout: 20_000 }, async (t) => {
    const rig = makeRig(t);
    const gate = new Gate();
    let calls = 0;
    let finished = 0;
    const consumer = await startConsumer(
      rig,
      async () => {
        calls += 1;
        await gate.wait();
        finished += 1;
        return { kind: 'ack' };
      },
      { prefetch: 3 },
    );
    await consumer.waitUntilUp(10_000);
    await publishKazooEvents(
      AMQP_URL,
      EXCHANGE,
      range(3).map((i) => callEvent(rig.callId, i)),
    );
    await until(() => (calls === 3 ? true : undefined), 5000, 'three in flight');

    let stopped = false;
    const stopping = consumer.stop().then(() => {
      stopped = true;
    });
    await sleep(150);
    assert.equal(stopped, false, 'stop() waits for the handlers');
    await publishKazooEvents(
      AMQP_URL,
      EXCHANGE,
      range(2).map((i) => callEvent(rig.callId, 10 + i)),
    );
    gate.open();
    await stopping;
    assert.equal(finished, 3);
    assert.equal(calls, 3, 'nothing new was taken after stop() began');
    assert.equal(consumer.state(), 'stopped');
    await consumer.stop(); // idempotent
    assert.equal(await queueDepth(AMQP_URL, rig.queue), 2, 'the three were acked; the two later ones wait in the queue');
  });

  it('starts without a broker: start() returns, state is down with the error, stop() still works', { timeout: 20_000 }, async (t) => {
    const consumer = new AmqpConsumer(
      {
        url: 'amqp://guest:guest@127.0.0.1:1',
        queue: 'callhook.unreachable',
        deadLetterQueue: 'callhook.unreachable.dead',
        bindings: [{ exchange: EXCHANGE, keys: [] }],
        prefetch: 1,
        deliveryLimit: 5,
        queueType: 'quorum',
        log,
      },
      async () => ({ kind: 'ack' }),
    );
    t.after(() => consumer.stop());
    await consumer.start();
    assert.ok(['connecting', 'down'].includes(consumer.state()), consumer.state());
    await until(() => (consumer.state() === 'down' ? true : undefined), 5000, 'state down');
    assert.match(consumer.stateDetail() ?? '', /ECONNREFUSED/);
    await assert.rejects(consumer.waitUntilUp(300), /not up after 300 ms/);
    await consumer.stop();
    assert.equal(consumer.state(), 'stopped');
  });
});
