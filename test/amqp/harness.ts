/**
 * Per-test rig for the consumer tests: unique queue, dead-letter queue, connection name and call
 * id, bound by that call id only, so concurrent tests (and other suites publishing to the shared
 * `callevt` exchange) never see each other's messages. Cleanup stops every consumer before the
 * queues are deleted, otherwise a live consumer would reconnect and declare them again.
 */
import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { pino } from 'pino';
import { AmqpConsumer, type AmqpConsumerOptions, type MessageHandler } from '../../src/amqp/consumer.js';
import { AMQP_URL, deleteQueues, encodeCallId, uniqueName } from '../support/amqp.js';

export const EXCHANGE = 'callevt';
export const log = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });

export interface Rig {
  queue: string;
  deadLetterQueue: string;
  /** Contains '@' and '.', so the routing key exercises Kazoo's encoding. */
  callId: string;
  bindingKeys: string[];
  consumers: AmqpConsumer[];
}

export function makeRig(t: TestContext): Rig {
  const queue = uniqueName('callhook.test');
  const callId = `${randomUUID()}@10.0.0.1`;
  const rig: Rig = { queue, deadLetterQueue: `${queue}.dead`, callId, bindingKeys: [`call.*.${encodeCallId(callId)}`], consumers: [] };
  t.after(async () => {
    await Promise.all(rig.consumers.map((c) => c.stop()));
    await deleteQueues(AMQP_URL, [rig.queue, rig.deadLetterQueue]);
  });
  return rig;
}

/** Builds and starts a consumer on the rig's queues; it is stopped by the rig's cleanup. */
export async function startConsumer(
  rig: Rig,
  handler: MessageHandler,
  overrides: Partial<AmqpConsumerOptions> = {},
): Promise<AmqpConsumer> {
  const consumer = new AmqpConsumer(
    {
      url: AMQP_URL,
      queue: rig.queue,
      deadLetterQueue: rig.deadLetterQueue,
      bindings: [{ exchange: EXCHANGE, keys: rig.bindingKeys }],
      prefetch: 10,
      deliveryLimit: 5,
      queueType: 'quorum',
      retryDelayMs: 50,
      log,
      ...overrides,
    },
    handler,
  );
  rig.consumers.push(consumer);
  await consumer.start();
  return consumer;
}

/** A minimal Kazoo call event; `seq` lets a test tell its messages apart. */
export function callEvent(callId: string, seq: number, name = 'CHANNEL_CREATE'): Record<string, unknown> {
  return { 'Event-Category': 'call_event', 'Event-Name': name, 'Call-ID': callId, 'Msg-ID': String(Date.now() * 1000 + seq), seq };
}

export function seqOf(body: Buffer): number {
  const parsed = JSON.parse(body.toString('utf8')) as { seq?: unknown };
  if (typeof parsed.seq !== 'number') throw new Error('message without seq');
  return parsed.seq;
}

/** Holds handlers until opened, to keep messages in flight on purpose. */
export class Gate {
  private release: () => void = () => undefined;
  private readonly opened = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  open(): void {
    this.release();
  }

  wait(): Promise<void> {
    return this.opened;
  }
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
