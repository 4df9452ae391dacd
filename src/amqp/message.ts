/**
 * The contract between the AMQP adapter and whoever handles call events: the handler sees a
 * plain message (no amqplib types) and answers with what should happen to it. It never acks
 * itself, so the ack can only follow a durable hand-off.
 */
import type { ConsumeMessage } from 'amqplib';

export type HandleResult =
  | { kind: 'ack' } // handled and durably persisted (or deliberately ignored)
  | { kind: 'dead-letter'; reason: string } // malformed: park it, never retry
  | { kind: 'requeue'; reason: string }; // transient failure (store down): give it back, later

export interface InboundMessage {
  routingKey: string;
  body: Buffer;
  redelivered: boolean;
  messageId?: string;
  contentType?: string;
}

/** May be called concurrently, up to `prefetch` at a time, and more than once per message. */
export type MessageHandler = (message: InboundMessage) => Promise<HandleResult>;

export function toInbound(msg: ConsumeMessage): InboundMessage {
  const { messageId, contentType } = msg.properties as { messageId?: unknown; contentType?: unknown };
  return {
    routingKey: msg.fields.routingKey,
    body: msg.content,
    redelivered: msg.fields.redelivered,
    ...(typeof messageId === 'string' ? { messageId } : {}),
    ...(typeof contentType === 'string' ? { contentType } : {}),
  };
}

/** A result from plain JS (or a future variant) that is none of the three is handled as requeue. */
export function asHandleResult(value: unknown): HandleResult {
  if (typeof value === 'object' && value !== null && 'kind' in value) {
    const { kind, reason } = value as { kind: unknown; reason?: unknown };
    const why = typeof reason === 'string' ? reason : 'no reason given';
    if (kind === 'ack') return { kind };
    if (kind === 'dead-letter' || kind === 'requeue') return { kind, reason: why };
  }
  return { kind: 'requeue', reason: `handler returned an unknown result: ${JSON.stringify(value)}` };
}
