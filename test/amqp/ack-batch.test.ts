import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsumeMessage } from 'amqplib';
import { AckBatch } from '../../src/amqp/ack-batch.js';

function message(tag: number): ConsumeMessage {
  return { fields: { deliveryTag: tag } } as ConsumeMessage;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function batch(): { acks: AckBatch; sent: Array<[number, boolean]> } {
  const sent: Array<[number, boolean]> = [];
  return { acks: new AckBatch((msg, upTo) => sent.push([msg.fields.deliveryTag, upTo])), sent };
}

describe('AckBatch', () => {
  it('acks a turn’s worth of settled messages with one `multiple` ack', async () => {
    const { acks, sent } = batch();
    const msgs = [1, 2, 3, 4, 5].map(message);
    msgs.forEach((msg) => acks.received(msg));
    for (const msg of [msgs[2], msgs[0], msgs[4], msgs[1], msgs[3]]) acks.ack(msg as ConsumeMessage);
    assert.deepEqual(sent, [], 'nothing is sent within the turn');
    await turn();
    assert.deepEqual(sent, [[5, true]]);
  });

  it('never covers a message still being handled: acks behind it go one by one', async () => {
    const { acks, sent } = batch();
    const msgs = [1, 2, 3, 4, 5].map(message);
    msgs.forEach((msg) => acks.received(msg));
    acks.ack(msgs[0] as ConsumeMessage);
    acks.ack(msgs[1] as ConsumeMessage);
    acks.ack(msgs[3] as ConsumeMessage);
    acks.ack(msgs[4] as ConsumeMessage);
    await turn();
    assert.deepEqual(sent, [
      [2, true],
      [4, false],
      [5, false],
    ]);
    acks.ack(msgs[2] as ConsumeMessage);
    await turn();
    assert.deepEqual(sent.at(-1), [3, true], 'once nothing older is open, `multiple` again');
  });

  it('lets a nacked or rejected message out of the way', async () => {
    const { acks, sent } = batch();
    const msgs = [1, 2, 3].map(message);
    msgs.forEach((msg) => acks.received(msg));
    acks.settled(msgs[0] as ConsumeMessage);
    acks.ack(msgs[1] as ConsumeMessage);
    acks.ack(msgs[2] as ConsumeMessage);
    await turn();
    assert.deepEqual(sent, [[3, true]]);
  });

  it('sends what is ready at once when flushed (before a channel closes)', () => {
    const { acks, sent } = batch();
    const msg = message(7);
    acks.received(msg);
    acks.ack(msg);
    acks.flush();
    assert.deepEqual(sent, [[7, true]]);
    acks.flush();
    assert.equal(sent.length, 1, 'nothing twice');
  });
});
