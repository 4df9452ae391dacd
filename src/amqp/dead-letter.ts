/**
 * Copies of messages: into the dead-letter queue (malformed, or out of attempts), or back to the
 * end of a classic queue with a count. A copy goes on a confirm channel and the original is only
 * acked once the broker has confirmed the copy, so a broker or channel failure in between leaves
 * the original unacked and nothing is lost.
 */
import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, Message, Options } from 'amqplib';
import { originOf } from './message.js';

export const DEAD_LETTER_ID_HEADER = 'x-callhook-dead-letter-id';

export interface DeadLetterChannel {
  channel: ConfirmChannel;
  /** Ids of copies the broker returned as unroutable; filled by the channel's 'return' listener. */
  returned: Set<string>;
}

/** Call once per confirm channel: records which dead-letter copies came back unroutable. */
export function trackReturns(target: DeadLetterChannel): void {
  target.channel.on('return', (message: Message) => {
    const id: unknown = message.properties.headers?.[DEAD_LETTER_ID_HEADER];
    if (typeof id === 'string') target.returned.add(id);
  });
}

export function deadLetterHeaders(message: Message, reason: string, now: Date): Record<string, unknown> {
  return {
    'x-callhook-reason': reason,
    'x-callhook-routing-key': originOf(message).routingKey,
    'x-callhook-exchange': originOf(message).exchange,
    'x-callhook-failed-at': now.toISOString(),
  };
}

/** Resolves once the broker has confirmed the copy into `queue`; rejects otherwise. */
export function publishDeadLetter(
  target: DeadLetterChannel,
  queue: string,
  message: Message,
  reason: string,
  timeoutMs: number,
): Promise<void> {
  return publishCopy(target, queue, message, deadLetterHeaders(message, reason, new Date()), timeoutMs);
}

/**
 * Copies `message` into `queue` (body, properties, headers plus `headers`) and resolves once the
 * broker confirmed it there. Mandatory: a missing queue would otherwise swallow the copy and
 * still confirm it.
 */
export function publishCopy(
  target: DeadLetterChannel,
  queue: string,
  message: Message,
  headers: Record<string, unknown>,
  timeoutMs: number,
): Promise<void> {
  const id = randomUUID();
  const p = message.properties;
  const options: Options.Publish = {
    persistent: true,
    mandatory: true,
    headers: { ...p.headers, ...headers, [DEAD_LETTER_ID_HEADER]: id },
    // Kept so the copy can be replayed into the exchange exactly as it came.
    ...(typeof p.contentType === 'string' ? { contentType: p.contentType } : {}),
    ...(typeof p.contentEncoding === 'string' ? { contentEncoding: p.contentEncoding } : {}),
    ...(typeof p.messageId === 'string' ? { messageId: p.messageId } : {}),
    ...(typeof p.correlationId === 'string' ? { correlationId: p.correlationId } : {}),
    ...(typeof p.appId === 'string' ? { appId: p.appId } : {}),
    ...(typeof p.type === 'string' ? { type: p.type } : {}),
    ...(typeof p.timestamp === 'number' ? { timestamp: p.timestamp } : {}),
  };
  return new Promise<void>((resolve, reject) => {
    // A broker that never confirms must not hold the message (and stop()) forever.
    const timer = setTimeout(() => settle(new Error(`no publisher confirm within ${timeoutMs} ms`)), timeoutMs);
    let done = false;
    function settle(error?: Error): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const wasReturned = target.returned.delete(id);
      if (error) reject(error);
      else if (wasReturned) reject(new Error(`queue ${queue} does not exist (copy returned unroutable)`));
      else resolve();
    }
    try {
      target.channel.sendToQueue(queue, message.content, options, (err: unknown) => {
        settle(err ? toError(err) : undefined);
      });
    } catch (error) {
      settle(toError(error));
    }
  });
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
