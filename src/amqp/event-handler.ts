/**
 * AMQP messages → the event intake. What cannot be a call event (too big, nested too deep, not
 * JSON, failing the schema or its ranges) is dead-lettered at once with the reason, and counted;
 * a failure to store throws, which the consumer turns into a retry: a message is acked only once
 * its deliveries are in the outbox.
 */
import { describeJsonLimitProblem, jsonLimitProblem, type JsonLimits } from '../domain/json-limits.js';
import type { EventIntake } from '../delivery/intake/event-intake.js';
import type { Metrics } from '../metrics.js';
import type { HandleResult, MessageHandler } from './consumer.js';

/** The bindings callhook needs from Kazoo's `callevt` exchange. */
export const callEventBindings = [
  'call.CHANNEL_CREATE.*',
  'call.CHANNEL_ANSWER.*',
  'call.CHANNEL_BRIDGE.*',
  'call.CHANNEL_DESTROY.*',
  'call.RECORD_STOP.*',
  'call.DTMF.*',
] as const;

export function callEventHandler(intake: EventIntake, metrics: Metrics, limits: JsonLimits): MessageHandler {
  // The consumer logs each dead-lettered message with its routing key and reason.
  const deadLetter = (reason: string, label: string): HandleResult => {
    metrics.deadLettered.inc({ reason: label });
    return { kind: 'dead-letter', reason };
  };
  return async (message) => {
    // Checked on the bytes, before anything is decoded or parsed.
    if (message.body.length > limits.maxBytes) {
      return deadLetter(`message too large: ${message.body.length} bytes is more than the ${limits.maxBytes} allowed`, 'too_large');
    }
    const text = message.body.toString('utf8');
    const problem = jsonLimitProblem(text, message.body.length, limits);
    if (problem !== null) {
      return deadLetter(`message refused: ${describeJsonLimitProblem(problem)}`, problem.kind === 'size' ? 'too_large' : 'too_deep');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return deadLetter(`not JSON: ${(error as Error).message}`, 'not_json');
    }
    const parsed = intake.parse(value);
    if (!parsed.ok) return deadLetter(parsed.reason, 'invalid_event');
    await intake.take(parsed, text, 'amqp');
    return { kind: 'ack' };
  };
}
