/**
 * Row 1 of issue 10: messages whose handling fails must not stall intake. They are counted and
 * dead-lettered at the limit with their reason (quorum queue: the broker counts; classic queue:
 * callhook counts), and what is bad for a reason knowable up front is refused at parse.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedEvent } from '../../src/delivery/intake/event-intake.js';
import { privateVhost, publishKazooEvents, publishRaw, readQueue, uniqueName } from '../support/amqp.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import type { Receiver } from '../support/receiver.js';
import { startScenario, type Scenario } from '../support/scenario.js';
import { Receiver as ReceiverClass } from '../support/receiver.js';
import { until } from '../support/wait.js';

/** A handler bug that only some messages trigger: events whose Call-ID starts with `poison-`. */
function poisonIntake(s: Scenario): void {
  const intake = s.app.app.pipeline.intake;
  const take = intake.take.bind(intake);
  intake.take = async (parsed: Extract<ParsedEvent, { ok: true }>, raw: string, source: 'amqp' | 'http') => {
    if (parsed.event.callId.startsWith('poison-')) throw new Error('handler bug on this message');
    return take(parsed, raw, source);
  };
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

for (const queueType of ['quorum', 'classic'] as const) {
  describe(`poison messages on a ${queueType} queue`, () => {
    const queue = uniqueName(`callhook.test.poison.${queueType}`);
    let s: Scenario;
    let broker: Awaited<ReturnType<typeof privateVhost>>;
    let receiver: Receiver;
    before(async () => {
      broker = await privateVhost();
      receiver = await ReceiverClass.start();
      s = await startScenario({
        amqpUrl: broker.url,
        amqpQueue: queue,
        amqpDeadLetterQueue: `${queue}.dead`,
        amqpQueueType: queueType,
        amqpDeliveryLimit: 5,
        amqpPrefetch: 50,
      });
      await s.app.app.consumer?.waitUntilUp(10_000);
      poisonIntake(s);
    });
    after(async () => {
      await s.stop();
      await receiver.close();
      await broker.dispose();
    });

    it('dead-letters 250 failing messages after 5 tries each, and every good event still goes out', { timeout: 60_000 }, async () => {
      await s.hook({ name: 'good', uri: receiver.url('/good'), hook: 'channel_create', format: 'json' });
      const poison = Array.from({ length: 250 }, () =>
        buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id, callId: `poison-${newHexId()}` }),
      );
      const good = Array.from({ length: 50 }, () => buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id }));
      // The poison first, more than a prefetch window of it, then the good events.
      await publishKazooEvents(broker.url, 'callevt', [...poison, ...good]);
      await until(() => (receiver.requests.filter((r) => r.path === '/good').length >= 50 ? true : undefined), 40_000, 'the good events');
      const parked = await readQueue(broker.url, `${queue}.dead`, 250, 30_000);
      assert.equal(parked.length, 250, 'every failing message is dead-lettered');
      for (const message of parked) {
        assert.match(String(message.headers['x-callhook-reason']), /^failed 5 times; last: handler threw: handler bug on this message$/);
        assert.match(String((JSON.parse(message.body.toString('utf8')) as { 'Call-ID': string })['Call-ID']), /^poison-/);
      }
      const delivered = new Set(
        receiver.requests.filter((r) => r.path === '/good').map((r) => (JSON.parse(r.body) as { call_id: string }).call_id),
      );
      assert.equal(delivered.size, 50, 'each good event once');
    });
  });
}

describe('events refused at parse', () => {
  const queue = uniqueName('callhook.test.parse');
  let s: Scenario;
  let broker: Awaited<ReturnType<typeof privateVhost>>;
  let receiver: Receiver;
  before(async () => {
    broker = await privateVhost();
    receiver = await ReceiverClass.start();
    s = await startScenario({ amqpUrl: broker.url, amqpQueue: queue, amqpDeadLetterQueue: `${queue}.dead`, maxEventBytes: 65_536 });
    await s.app.app.consumer?.waitUntilUp(10_000);
  });
  after(async () => {
    await s.stop();
    await receiver.close();
    await broker.dispose();
  });

  it('dead-letters at once (no retries) what is too big, too deep or out of range, and moves on', { timeout: 30_000 }, async () => {
    await s.hook({ name: 'parse', uri: receiver.url('/parse'), hook: 'channel_create', format: 'json' });
    const callId = `deep-${newHexId()}`;
    const deep = `{"Event-Name":"CHANNEL_CREATE","Call-ID":"${callId}","Custom-Application-Vars":{"x":${nested(3000)}}}`;
    await publishRaw(broker.url, 'callevt', `call.CHANNEL_CREATE.${callId}`, deep, { contentType: 'application/json' });
    const big = buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id, headers: { 'Caller-ID-Name': 'x'.repeat(70_000) } });
    const future = buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id, headers: { Timestamp: 1e15 } });
    const fine = buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id });
    await publishKazooEvents(broker.url, 'callevt', [big, future, fine]);
    await until(() => (receiver.requests.some((r) => r.path === '/parse') ? true : undefined), 10_000, 'the good event');
    const parked = await readQueue(broker.url, `${queue}.dead`, 3, 10_000);
    const reasons = parked.map((message) => String(message.headers['x-callhook-reason'])).sort();
    assert.deepEqual(reasons.length, 3);
    assert.match(reasons.find((r) => r.includes('nested')) ?? '', /message refused: nested more than 32 levels deep/);
    assert.match(reasons.find((r) => r.includes('large')) ?? '', /message too large: \d+ bytes is more than the 65536 allowed/);
    assert.match(reasons.find((r) => r.includes('range')) ?? '', /out-of-range values \(Timestamp\)/);
    assert.ok(
      parked.every((message) => message.headers['x-delivery-count'] === undefined),
      'refused at once, never tried again',
    );
  });

  it('answers the same inputs over POST /v2/events with 400 (or 413 past the body limit), never 500', async () => {
    const post = (raw: string) => s.client.request('POST', '/v2/events', { token: s.master.token, raw });
    const deep = await post(`{"data":${nested(5000)}}`);
    assert.equal(deep.status, 400);
    assert.match(JSON.stringify(deep.body.data), /nested more than 32 levels deep/);
    const future = await post(
      JSON.stringify(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id, headers: { Timestamp: 1e15 } })),
    );
    assert.equal(future.status, 400);
    assert.deepEqual(Object.keys(future.body.data as object), ['0.Timestamp']);
    const negative = await post(
      JSON.stringify(buildKazooMessage('CHANNEL_DESTROY', { accountId: s.account.id, headers: { 'Billing-Seconds': '-5' } })),
    );
    assert.equal(negative.status, 400);
    const big = await post(
      JSON.stringify(buildKazooMessage('CHANNEL_CREATE', { accountId: s.account.id, headers: { 'Caller-ID-Name': 'x'.repeat(70_000) } })),
    );
    assert.equal(big.status, 400, 'one event over CALLHOOK_MAX_EVENT_BYTES');
    assert.match(JSON.stringify(big.body.data), /more than the 65536 allowed/);
    const huge = await post(JSON.stringify({ data: 'y'.repeat(2_000_000) }));
    assert.equal(huge.status, 413, 'past the body limit');
  });
});
