/**
 * AMQP call events → the event intake. The router (kazoo-router.ts) has refused what is too big,
 * nested too deep or not JSON; what fails the schema or its ranges is dead-lettered here at once
 * with the reason, and counted. A failure to store throws, which the consumer turns into a retry:
 * a message is acked only once its deliveries are in the outbox.
 */
import type { EventIntake } from '../delivery/intake/event-intake.js';
import type { JsonObject } from '../domain/json.js';
import type { Metrics } from '../metrics.js';
import type { HandleResult } from './consumer.js';

/** The bindings callhook needs from Kazoo's `callevt` exchange. */
export const callEventBindings = [
  'call.CHANNEL_CREATE.*',
  'call.CHANNEL_ANSWER.*',
  'call.CHANNEL_BRIDGE.*',
  'call.CHANNEL_DESTROY.*',
  'call.RECORD_STOP.*',
  'call.DTMF.*',
] as const;

/** A call event the router has already read (size, encoding, depth, JSON) and parsed once. */
export type DecodedCallEvent = (decoded: { text: string; value: JsonObject }) => Promise<HandleResult>;

export function callEventHandler(intake: EventIntake, metrics: Metrics): DecodedCallEvent {
  // The consumer logs each dead-lettered message with its routing key and reason.
  return async ({ text, value }) => {
    const parsed = intake.parse(value);
    if (!parsed.ok) {
      metrics.deadLettered.inc({ reason: 'invalid_event' });
      return { kind: 'dead-letter', reason: parsed.reason };
    }
    await intake.take(parsed, text, 'amqp');
    return { kind: 'ack' };
  };
}
