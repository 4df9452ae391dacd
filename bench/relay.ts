/**
 * The bare relay the benchmark compares callhook with: what the same machine does with the same
 * broker, queue and receiver when nothing is stored. An amqplib consumer on a quorum queue bound
 * like callhook's (same prefetch), POSTing each message's body as it is to one destination
 * through an undici Pool (as many connections as callhook lets one destination have) and acking
 * after a 2xx; anything else is given back to the queue. No parsing, no matching, no storage.
 *
 * Runs as its own process (`node --import tsx bench/relay.ts`), as callhook does, so it does not
 * share the bench's event loop with the receiver. Configured by RELAY_* variables; prints
 * `relay consuming` once its queue is bound. Bounded: it exits by itself after RELAY_MAX_SECONDS.
 */
import { connect, type ConsumeMessage } from 'amqplib';
import { Pool } from 'undici';

function setting(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const url = setting('RELAY_AMQP_URL');
  const queue = setting('RELAY_QUEUE');
  const target = new URL(setting('RELAY_TARGET'));
  const prefetch = Number(setting('RELAY_PREFETCH', '200'));
  const connections = Number(setting('RELAY_CONNECTIONS', '128'));
  const maxSeconds = Number(setting('RELAY_MAX_SECONDS', '900'));

  const pool = new Pool(target.origin, { connections, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const model = await connect(url);
  const channel = await model.createChannel();
  // An exchange like Kazoo's callevt but its own, so callhook's queue (bound to callevt) gets none of
  // the relay's events while both run, nor the relay any of callhook's.
  const exchange = setting('RELAY_EXCHANGE', 'callevt');
  await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(queue, exchange, 'call.CHANNEL_CREATE.*');
  await channel.prefetch(prefetch);

  const relay = async (msg: ConsumeMessage): Promise<void> => {
    try {
      const response = await pool.request({
        path: target.pathname,
        method: 'POST',
        body: msg.content,
        headers: { 'content-type': 'application/json' },
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) channel.ack(msg);
      else channel.nack(msg, false, true);
    } catch {
      channel.nack(msg, false, true);
    }
  };
  await channel.consume(queue, (msg) => {
    if (msg !== null) void relay(msg);
  });
  console.log('relay consuming');

  const stop = async (): Promise<void> => {
    clearTimeout(deadline);
    await channel.close().catch(() => undefined);
    await model.close().catch(() => undefined);
    await pool.close().catch(() => undefined);
    process.exit(0);
  };
  const deadline = setTimeout(() => void stop(), maxSeconds * 1000);
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
