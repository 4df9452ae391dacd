import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'amqplib';
import { ORIGIN_EXCHANGE_HEADER, ORIGIN_ROUTING_KEY_HEADER, originHeaders, originOf } from '../../src/amqp/message.js';

function message(exchange: string, routingKey: string, headers?: Record<string, unknown>): Pick<Message, 'fields' | 'properties'> {
  return {
    fields: { exchange, routingKey, deliveryTag: 1, redelivered: false },
    properties: { headers } as Message['properties'],
  };
}

describe('where a message came from', () => {
  it('is the exchange and key Kazoo used, also for a copy callhook put back at the end of its queue', () => {
    const original = message('notifications', 'notifications.voicemail.new');
    assert.deepEqual(originOf(original), { exchange: 'notifications', routingKey: 'notifications.voicemail.new' });
    const copy = message('', 'callhook.callevt', originHeaders(original));
    assert.deepEqual(originOf(copy), { exchange: 'notifications', routingKey: 'notifications.voicemail.new' });
    const copyOfCopy = message('', 'callhook.callevt', originHeaders(copy));
    assert.deepEqual(originOf(copyOfCopy), originOf(original));
  });

  it('trusts the headers only on a message that came through the default exchange', () => {
    const forged = message('im', 'sms.inbound.offnet.x', { [ORIGIN_EXCHANGE_HEADER]: 'configuration', [ORIGIN_ROUTING_KEY_HEADER]: 'k' });
    assert.deepEqual(originOf(forged), { exchange: 'im', routingKey: 'sms.inbound.offnet.x' });
    assert.deepEqual(originOf(message('', 'q')), { exchange: '', routingKey: 'q' });
  });
});
