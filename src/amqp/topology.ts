/**
 * What callhook declares on every (re)connection. The exchange is declared exactly as Kazoo
 * declares it (kz_amqp.hrl: topic, non-durable, non-auto-delete): any other flag makes one of
 * the two declarations fail with PRECONDITION_FAILED, so callhook and Kazoo could not share a
 * broker. The queues are plain durable queues with no arguments, so an operator can pre-declare
 * them; if they pre-declared them differently (quorum, TTL, ...) we use them as they are.
 */
import type { Channel, ChannelModel, Options } from 'amqplib';
import type { Logger } from 'pino';

export const KAZOO_EXCHANGE_TYPE = 'topic';
export const KAZOO_EXCHANGE_OPTIONS: Readonly<Options.AssertExchange> = Object.freeze({ durable: false, autoDelete: false });
export const QUEUE_OPTIONS: Readonly<Options.AssertQueue> = Object.freeze({ durable: true });

export interface Topology {
  exchange: string;
  queue: string;
  deadLetterQueue: string;
  bindingKeys: readonly string[];
}

const PRECONDITION_FAILED = 406;

/** Declares exchange, queue, dead-letter queue and bindings; throws (so recovery retries) on failure. */
export async function declareTopology(model: ChannelModel, topology: Topology, log: Logger): Promise<void> {
  await withChannel(model, (ch) => ch.assertExchange(topology.exchange, KAZOO_EXCHANGE_TYPE, KAZOO_EXCHANGE_OPTIONS));
  await declareQueue(model, topology.queue, log);
  await declareQueue(model, topology.deadLetterQueue, log);
  await withChannel(model, async (ch) => {
    for (const key of topology.bindingKeys) await ch.bindQueue(topology.queue, topology.exchange, key);
  });
}

async function declareQueue(model: ChannelModel, name: string, log: Logger): Promise<void> {
  try {
    await withChannel(model, (ch) => ch.assertQueue(name, QUEUE_OPTIONS));
  } catch (error) {
    if (errorCode(error) !== PRECONDITION_FAILED) throw error;
    // The broker closed that channel; a passive check on a fresh one still proves the queue exists.
    await withChannel(model, (ch) => ch.checkQueue(name));
    log.info({ queue: name, err: error }, 'amqp queue was pre-declared with other arguments; using it as it is');
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
