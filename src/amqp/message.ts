/**
 * The contract between the AMQP adapter and whoever handles call events: the handler sees a
 * plain message (no amqplib types) and answers with what should happen to it. It never acks
 * itself, so the ack can only follow a durable hand-off.
 */
import type { ConsumeMessage, Message } from 'amqplib';

export type HandleResult =
  | { kind: 'ack' } // handled and durably persisted (or deliberately ignored)
  | { kind: 'dead-letter'; reason: string } // malformed: park it, never retry
  | { kind: 'retry'; reason: string } // failed, perhaps because of the message: try again, counted
  | { kind: 'hold'; reason: string }; // not the message's fault (store down): keep it, try again, not counted

export interface InboundMessage {
  /** The Kazoo exchange it came through (callevt, configuration, notifications, im). */
  exchange: string;
  routingKey: string;
  body: Buffer;
  redelivered: boolean;
  /** Failed handlings so far (the broker's count on a quorum queue, callhook's own on a classic one). */
  attempts: number;
  messageId?: string;
  contentType?: string;
  /** `gzip` for Kazoo's MMS messages (kapi_im), which the handler must inflate. */
  contentEncoding?: string;
}

/** May be called concurrently, up to `prefetch` at a time, and more than once per message. */
export type MessageHandler = (message: InboundMessage) => Promise<HandleResult>;

/** Header callhook sets on a copy it puts back at the end of a classic queue. */
export const ATTEMPTS_HEADER = 'x-callhook-attempts';

/** Where a copy put back at the end of the queue first came from (the copy itself comes from ''). */
export const ORIGIN_EXCHANGE_HEADER = 'x-callhook-origin-exchange';
export const ORIGIN_ROUTING_KEY_HEADER = 'x-callhook-origin-routing-key';

/** The exchange and routing key Kazoo published the message with, for a copy too. */
export function originOf(msg: Pick<Message, 'fields' | 'properties'>): { exchange: string; routingKey: string } {
  const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
  const exchange = headers[ORIGIN_EXCHANGE_HEADER];
  const routingKey = headers[ORIGIN_ROUTING_KEY_HEADER];
  if (msg.fields.exchange === '' && typeof exchange === 'string' && typeof routingKey === 'string') return { exchange, routingKey };
  return { exchange: msg.fields.exchange, routingKey: msg.fields.routingKey };
}

/** Headers that keep a copy's origin (see originOf). */
export function originHeaders(msg: Pick<Message, 'fields' | 'properties'>): Record<string, string> {
  const origin = originOf(msg);
  return { [ORIGIN_EXCHANGE_HEADER]: origin.exchange, [ORIGIN_ROUTING_KEY_HEADER]: origin.routingKey };
}

/** Failed handlings so far: a quorum queue's `x-delivery-count`, else callhook's own header. */
export function attemptsOf(msg: ConsumeMessage): number {
  const headers = msg.properties.headers ?? {};
  for (const name of ['x-delivery-count', ATTEMPTS_HEADER]) {
    const value: unknown = headers[name];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  }
  return 0;
}

export function toInbound(msg: ConsumeMessage): InboundMessage {
  const { messageId, contentType, contentEncoding } = msg.properties as {
    messageId?: unknown;
    contentType?: unknown;
    contentEncoding?: unknown;
  };
  return {
    ...originOf(msg),
    body: msg.content,
    redelivered: msg.fields.redelivered,
    attempts: attemptsOf(msg),
    ...(typeof messageId === 'string' ? { messageId } : {}),
    ...(typeof contentType === 'string' ? { contentType } : {}),
    ...(typeof contentEncoding === 'string' ? { contentEncoding } : {}),
  };
}

/** A result from plain JS (or a future variant) that is none of the three is handled as requeue. */
export function asHandleResult(value: unknown): HandleResult {
  if (typeof value === 'object' && value !== null && 'kind' in value) {
    const { kind, reason } = value as { kind: unknown; reason?: unknown };
    const why = typeof reason === 'string' ? reason : 'no reason given';
    if (kind === 'ack') return { kind };
    if (kind === 'dead-letter' || kind === 'retry' || kind === 'hold') return { kind, reason: why };
  }
  return { kind: 'retry', reason: `handler returned an unknown result: ${JSON.stringify(value)}` };
}
