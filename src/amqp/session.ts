/**
 * One connection's worth of channels: a consume channel (manual acks, prefetch) and a confirm
 * channel for dead-letter copies. A session is never reused: recovery builds a fresh one on
 * every connection, and delivery tags only mean something on the channel that issued them.
 */
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { AckBatch } from './ack-batch.js';
import { trackReturns, type DeadLetterChannel } from './dead-letter.js';

export interface Session extends DeadLetterChannel {
  model: ChannelModel;
  consume: Channel;
  /** The consume channel's acks, sent together (see ack-batch.ts). */
  acks: AckBatch;
  consumerTag?: string;
  connectionClosed: boolean;
  consumeClosed: boolean;
}

/** `onChannelLost` fires when a channel dies while its connection lives on (recovery won't notice). */
export async function openSession(
  model: ChannelModel,
  prefetch: number,
  log: Logger,
  onChannelLost: (session: Session) => void,
): Promise<Session> {
  const confirm = await model.createConfirmChannel();
  const consume = await model.createChannel();
  const session: Session = {
    model,
    consume,
    acks: new AckBatch((msg, upTo) => send(session, msg, upTo ? 'ack-up-to' : 'ack', log)),
    channel: confirm,
    returned: new Set(),
    connectionClosed: false,
    consumeClosed: false,
  };
  model.on('close', () => {
    session.connectionClosed = true;
  });
  trackReturns(session);
  for (const ch of [consume, confirm]) {
    // Without a listener a channel 'error' event would be thrown as an uncaught exception.
    ch.on('error', (err: Error) => log.warn({ err }, 'amqp channel error'));
    ch.on('close', () => {
      if (ch === consume) session.consumeClosed = true;
      // When the connection drops, its channels close first in the same tick: wait one turn to
      // tell that apart from a channel dying alone (queue deleted, unknown delivery tag).
      setImmediate(() => {
        if (!session.connectionClosed) onChannelLost(session);
      });
    });
  }
  await consume.prefetch(prefetch);
  return session;
}

/**
 * Acks, gives back (nack) or rejects (requeue, counted by a quorum queue in every RabbitMQ version);
 * a message whose channel is gone is left alone: the broker redelivers it.
 */
export function settle(session: Session, msg: ConsumeMessage, how: 'ack' | 'nack' | 'reject', log: Logger): void {
  if (how === 'ack') {
    session.acks.ack(msg);
    return;
  }
  session.acks.settled(msg);
  send(session, msg, how, log);
}

function send(session: Session, msg: ConsumeMessage, how: 'ack' | 'ack-up-to' | 'nack' | 'reject', log: Logger): void {
  const routingKey = msg.fields.routingKey;
  if (session.connectionClosed || session.consumeClosed) {
    log.debug({ routing_key: routingKey }, `channel gone before ${how}; the broker redelivers it`);
    return;
  }
  try {
    if (how === 'ack' || how === 'ack-up-to') session.consume.ack(msg, how === 'ack-up-to');
    else if (how === 'reject') session.consume.reject(msg, true);
    else session.consume.nack(msg, false, true);
  } catch (err) {
    log.warn({ err, routing_key: routingKey }, `amqp ${how} failed; the broker redelivers it`);
  }
}

/**
 * Closes the channels before the connection is closed. Each channel has its own write buffer,
 * muxed onto the socket, so a connection.close sent straight away could overtake acks just
 * written; a channel's close-ok only comes back after the broker has read its acks.
 */
export async function closeChannels(session: Session): Promise<void> {
  if (session.connectionClosed) return;
  session.acks.flush();
  const quietly = (ch: Channel) =>
    Promise.resolve()
      .then(() => ch.close())
      .catch(() => undefined);
  await Promise.all([quietly(session.consume), quietly(session.channel)]);
}
