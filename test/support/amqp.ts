/**
 * RabbitMQ helpers for tests: publish as Kazoo would, read queues back, and clean up. Each helper
 * opens its own short-lived connection so a test never shares channel state with the code under
 * test. Tests isolate themselves with unique queue names and unique call ids (bound one by one),
 * because the `callevt` exchange is shared with every other test and with Kazoo itself.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect, type ConfirmChannel, type MessageProperties } from 'amqplib';
import { KAZOO_EXCHANGE_OPTIONS, KAZOO_EXCHANGE_TYPE } from '../../src/amqp/topology.js';
import { sleep } from './wait.js';

export const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** kz_amqp_util:encode — bytes [A-Za-z0-9-~_] kept, space → '+', anything else (even '.') → %XX. */
export function encodeCallId(id: string): string {
  let out = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/^[A-Za-z0-9\-~_]$/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The routing key Kazoo publishes a call event under. */
export function callRoutingKey(eventName: string, callId: string): string {
  return `call.${eventName}.${encodeCallId(callId)}`;
}

export function uniqueName(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}

async function withChannel<T>(url: string, fn: (ch: ConfirmChannel) => Promise<T>): Promise<T> {
  const connection = await connect(url);
  connection.on('error', () => undefined);
  try {
    const ch = await connection.createConfirmChannel();
    ch.on('error', () => undefined);
    const result = await fn(ch);
    await ch.waitForConfirms();
    return result;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export interface PublishOptions {
  messageId?: string;
  contentType?: string;
  /** `gzip` for what Kazoo publishes compressed (MMS). */
  contentEncoding?: string;
  headers?: Record<string, unknown>;
}

/** Publishes `message` as Kazoo does: JSON on `callevt` under call.<Event-Name>.<encoded Call-ID>. */
export async function publishKazooEvent(url: string, exchange: string, message: object, options: PublishOptions = {}): Promise<string> {
  const [routingKey] = await publishKazooEvents(url, exchange, [message], options);
  return routingKey ?? '';
}

/** Same as publishKazooEvent for many messages, in order, over one connection; returns their keys. */
export async function publishKazooEvents(
  url: string,
  exchange: string,
  messages: readonly object[],
  options: PublishOptions = {},
): Promise<string[]> {
  return withChannel(url, async (ch) => {
    await ch.assertExchange(exchange, KAZOO_EXCHANGE_TYPE, KAZOO_EXCHANGE_OPTIONS);
    return messages.map((message) => {
      const routingKey = kazooRoutingKey(message);
      ch.publish(exchange, routingKey, Buffer.from(JSON.stringify(message)), { contentType: 'application/json', ...options });
      return routingKey;
    });
  });
}

function kazooRoutingKey(message: object): string {
  const fields = message as { 'Event-Name'?: unknown; 'Call-ID'?: unknown };
  if (typeof fields['Event-Name'] !== 'string' || typeof fields['Call-ID'] !== 'string') {
    throw new Error('a Kazoo call event needs string Event-Name and Call-ID');
  }
  return callRoutingKey(fields['Event-Name'], fields['Call-ID']);
}

export async function publishRaw(
  url: string,
  exchange: string,
  routingKey: string,
  body: Buffer | string,
  options: PublishOptions = {},
): Promise<void> {
  await withChannel(url, async (ch) => {
    await ch.assertExchange(exchange, KAZOO_EXCHANGE_TYPE, KAZOO_EXCHANGE_OPTIONS);
    ch.publish(exchange, routingKey, Buffer.isBuffer(body) ? body : Buffer.from(body), options);
  });
}

export interface ReadMessage {
  routingKey: string;
  body: Buffer;
  headers: Record<string, unknown>;
  properties: MessageProperties;
}

/** basic.get up to `max` messages (acking them), polling until `max` arrived or the time is up. */
export async function readQueue(url: string, queue: string, max: number, timeoutMs: number): Promise<ReadMessage[]> {
  return withChannel(url, async (ch) => {
    const found: ReadMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (found.length < max) {
      const msg = await ch.get(queue, { noAck: true });
      if (msg) {
        const headers: Record<string, unknown> = { ...msg.properties.headers };
        found.push({ routingKey: msg.fields.routingKey, body: msg.content, headers, properties: msg.properties });
      } else if (Date.now() >= deadline) {
        break;
      } else {
        await sleep(20);
      }
    }
    return found;
  });
}

/** Ready (not unacked) messages in the queue. */
export async function queueDepth(url: string, queue: string): Promise<number> {
  return withChannel(url, async (ch) => (await ch.checkQueue(queue)).messageCount);
}

export async function deleteQueues(url: string, names: readonly string[]): Promise<void> {
  await withChannel(url, async (ch) => {
    for (const name of names) await ch.deleteQueue(name);
  });
}

const run = promisify(execFile);

/** Has the broker close the connections that carry this connection_name (as an outage would). */
export async function closeBrokerConnections(connectionName: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q', '-s']);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${connectionName}"}`))
    .map((line) => line.split('\t')[0] ?? '')
    .filter((pid) => pid !== '');
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'test: simulated outage', '-q']);
  return pids.length;
}

/** Publishes `messages` at about `perSecond`, in batches every 50 ms, over one connection. */
export async function publishAtRate(url: string, exchange: string, messages: readonly object[], perSecond: number): Promise<void> {
  await withChannel(url, async (ch) => {
    await ch.assertExchange(exchange, KAZOO_EXCHANGE_TYPE, KAZOO_EXCHANGE_OPTIONS);
    const started = Date.now();
    for (let sent = 0; sent < messages.length;) {
      const due = Math.min(messages.length, Math.floor(((Date.now() - started) / 1000) * perSecond) + 1);
      for (; sent < due; sent += 1) {
        const message = messages[sent] as object;
        ch.publish(exchange, kazooRoutingKey(message), Buffer.from(JSON.stringify(message)), { contentType: 'application/json' });
      }
      await ch.waitForConfirms();
      await sleep(50);
    }
  });
}

/**
 * A RabbitMQ virtual host of the test's own: its `callevt` exchange and queues are invisible to
 * every other test and run sharing the broker (their events, their queue deletions). Returns the
 * URL to use; removed by `dispose`.
 */
export async function privateVhost(): Promise<{ url: string; dispose: () => Promise<void> }> {
  const vhost = uniqueName('callhook-test');
  await run('rabbitmqctl', ['add_vhost', vhost, '-q']);
  await run('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*', '-q']);
  return {
    url: `${AMQP_URL.replace(/\/+$/, '')}/${encodeURIComponent(vhost)}`,
    dispose: async () => {
      await run('rabbitmqctl', ['delete_vhost', vhost, '-q']).catch(() => undefined);
    },
  };
}
