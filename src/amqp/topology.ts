/**
 * What callhook declares on every (re)connection, before it consumes: one queue of its own, bound
 * to each Kazoo exchange it reads (callevt, configuration, notifications, im) with the keys the
 * enabled hook types need. Each exchange is declared exactly as Kazoo declares it (kz_amqp.hrl:
 * topic, non-durable, non-auto-delete): any other flag makes one of the two declarations fail with
 * PRECONDITION_FAILED, so callhook and Kazoo could not share a broker. Bindings are only ever added:
 * a key no longer needed stays on the queue until an operator removes it (the handler acks what no
 * enabled hook type wants).
 *
 * The queue is a quorum queue by default: RabbitMQ then counts every delivery of a message and,
 * past `brokerDeliveryLimit`, dead-letters it into the dead-letter queue itself, which is the one
 * protection against a message that kills the consumer each time it is handled (callhook never
 * gets to count those). A queue that exists already with other arguments (a classic queue from an
 * earlier callhook, or one an operator pre-declared) is used as it is, and callhook counts failed
 * handlings itself; the README says how to migrate it.
 */
import type { Channel, ChannelModel, Options } from 'amqplib';
import type { Logger } from 'pino';

export const KAZOO_EXCHANGE_TYPE = 'topic';
export const KAZOO_EXCHANGE_OPTIONS: Readonly<Options.AssertExchange> = Object.freeze({ durable: false, autoDelete: false });

export type QueueType = 'quorum' | 'classic';

/** One exchange and the routing keys the queue is bound to on it. */
export interface ExchangeBindings {
  exchange: string;
  keys: readonly string[];
}

export interface Topology {
  queue: string;
  deadLetterQueue: string;
  bindings: readonly ExchangeBindings[];
  queueType: QueueType;
  /** Deliveries after which the broker dead-letters a message of a quorum queue. */
  brokerDeliveryLimit: number;
}

const PRECONDITION_FAILED = 406;

export function queueOptions(topology: Topology): Options.AssertQueue {
  if (topology.queueType === 'classic') return { durable: true };
  return {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': topology.brokerDeliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': topology.deadLetterQueue,
    },
  };
}

/**
 * Declares the exchanges, queues and bindings; throws (so recovery retries) on failure. Resolves with
 * the kind of queue in use: the one asked for, or `classic` when an existing queue was kept.
 */
export async function declareTopology(model: ChannelModel, topology: Topology, log: Logger): Promise<QueueType> {
  for (const { exchange } of topology.bindings) {
    await withChannel(model, (ch) => ch.assertExchange(exchange, KAZOO_EXCHANGE_TYPE, KAZOO_EXCHANGE_OPTIONS));
  }
  await declareQueue(model, topology.deadLetterQueue, { durable: true }, log);
  const kept = await declareQueue(model, topology.queue, queueOptions(topology), log);
  await withChannel(model, async (ch) => {
    for (const { exchange, keys } of topology.bindings) {
      for (const key of keys) await ch.bindQueue(topology.queue, exchange, key);
    }
  });
  if (kept && topology.queueType === 'quorum') {
    log.warn(
      { queue: topology.queue },
      'the queue exists with other arguments (a classic queue?): callhook counts failed handlings itself, but a message that crashes ' +
        'callhook each time is only stopped by a quorum queue; see the README on migrating the queue',
    );
    return 'classic';
  }
  return topology.queueType;
}

/** True when the queue existed with other arguments and is used as it is. */
async function declareQueue(model: ChannelModel, name: string, options: Options.AssertQueue, log: Logger): Promise<boolean> {
  try {
    await withChannel(model, (ch) => ch.assertQueue(name, options));
    return false;
  } catch (error) {
    if (errorCode(error) !== PRECONDITION_FAILED) throw error;
    // The broker closed that channel; a passive check on a fresh one still proves the queue exists.
    await withChannel(model, (ch) => ch.checkQueue(name));
    log.info({ queue: name, err: error }, 'amqp queue was pre-declared with other arguments; using it as it is');
    return true;
  }
}

/** Runs fn on a short-lived channel: a failed declaration kills its channel, never the consumer's. */
async function withChannel<T>(model: ChannelModel, fn: (ch: Channel) => Promise<T>): Promise<T> {
  const ch = await model.createChannel();
  let closed = false;
  // Without a listener a channel 'error' event would be thrown as an uncaught exception.
  ch.on('error', () => undefined);
  ch.on('close', () => {
    closed = true;
  });
  try {
    return await fn(ch);
  } finally {
    if (!closed) await ch.close().catch(() => undefined);
  }
}

function errorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'number' ? error.code : undefined;
}
