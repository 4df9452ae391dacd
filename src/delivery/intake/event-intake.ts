/**
 * The one entrance for call events, whichever way they come (AMQP, or POST /v2/events): check
 * the message against schemas/kazoo-call-event.json, read it as a CallEvent, fan it out. A message
 * that is not a call event is rejected with the reason (the AMQP side dead-letters it, the HTTP
 * side answers 400); a store failure propagates, so the message is retried, never dropped.
 */
import type { Logger } from 'pino';
import { toCallEvent, type CallEvent } from '../../domain/call-event.js';
import { eventKey } from '../../domain/delivery-id.js';
import { scopedEventKey, trustedScope, type EventScope } from '../../domain/event-scope.js';
import { eventRangeProblems } from '../../domain/event-ranges.js';
import { isJsonObject, type JsonObject } from '../../domain/json.js';
import type { ValidationDetails } from '../../errors.js';
import { Gate } from '../../lib/gate.js';
import { OncePer } from '../../lib/once-per.js';
import type { Metrics } from '../../metrics.js';
import type { Validator } from '../../validation/validator.js';
import type { FanOut, FanOutResult } from './fan-out.js';

export type ParsedEvent = { ok: true; event: CallEvent; message: JsonObject } | { ok: false; reason: string; details: ValidationDetails };

export class EventIntake {
  /**
   * Events are fanned out up to 64 at a time, each after waiting for room in the dispatcher.
   * Without the gate a whole prefetch window would pass the room check at once and flood the
   * dispatcher (200 events × 50 hooks); with too narrow a gate, intake is bound by the event
   * loop's turns rather than by the work (8 held a 50 ms receiver to 500 events/s).
   */
  private readonly gate = new Gate(64);
  /** Events for an account callhook does not know: one warning per account per minute. */
  private readonly unknownAccounts = new OncePer(60_000);

  constructor(
    private readonly validator: Validator,
    private readonly fanOut: FanOut,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    /** Resolves when there is room for more deliveries (backpressure towards the broker). */
    private readonly room: () => Promise<void> = () => Promise.resolve(),
  ) {}

  parse(value: unknown): ParsedEvent {
    if (!isJsonObject(value)) {
      return {
        ok: false,
        reason: 'not a JSON object',
        details: { '': { type: { message: 'Value did not match type(s): object', target: 'object' } } },
      };
    }
    // Validation converts numeric strings in place: callers hand over a freshly parsed value.
    const message = value;
    const checked = this.validator.validate('kazoo-call-event', message);
    if (!checked.ok) {
      const fields = Object.keys(checked.details).join(', ');
      return { ok: false, reason: `invalid call event (${fields})`, details: checked.details };
    }
    const outOfRange = eventRangeProblems(message);
    if (Object.keys(outOfRange).length > 0) {
      return { ok: false, reason: `out-of-range values (${Object.keys(outOfRange).join(', ')})`, details: outOfRange };
    }
    const event = toCallEvent(message);
    if ('error' in event) {
      return {
        ok: false,
        reason: event.error,
        details: { 'Event-Name': { enum: { message: event.error, value: message['Event-Name'] ?? null } } },
      };
    }
    return { ok: true, event, message };
  }

  /** `scope`: whose hooks the event may fire (see domain/event-scope.ts); Kazoo's events are trusted. */
  async take(
    parsed: Extract<ParsedEvent, { ok: true }>,
    rawBody: string,
    source: 'amqp' | 'http',
    scope: EventScope = trustedScope,
  ): Promise<FanOutResult> {
    const key = scopedEventKey(eventKey(parsed.message, rawBody, parsed.event.accountId), scope);
    const result = await this.gate.run(async () => {
      await this.room();
      return this.fanOut.handle(parsed.event, key, new Date(), scope);
    });
    this.metrics.eventsConsumed.inc({ event: parsed.event.name, source });
    // Guarded: the fields object would be built for every event even with debug off.
    if (this.log.isLevelEnabled('debug')) {
      this.log.debug({ call_id: parsed.event.callId, event: parsed.event.name, source, ...result }, 'event taken');
    }
    const accountId = parsed.event.accountId;
    if (result.skipped === 'unknown_account' && accountId !== undefined && this.unknownAccounts.due(accountId)) {
      this.log.warn(
        { account_id: accountId, event: parsed.event.name, source },
        'event for an account callhook does not know: no hook can fire (create the account with its Kazoo id); warned once a minute per account',
      );
    }
    return result;
  }
}
