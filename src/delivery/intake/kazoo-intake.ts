/**
 * The entrance for Kazoo's events other than call legs: parking (`callevt`), document changes
 * (`configuration`), notifications (`notifications`), inbound SMS and MMS (`im`). Each message is
 * checked as Kazoo's module checks it, read into a hook event (domain/payloads/), and fanned out
 * into the outbox. An invalid message is rejected with the reason (the AMQP side dead-letters it);
 * a valid one that fires nothing is counted; a store failure propagates, so the message is retried.
 */
import type { Logger } from 'pino';
import type { JsonObject } from '../../domain/json.js';
import type { ParsedKazooEvent } from '../../domain/payloads/kazoo-event.js';
import { parseInboundIm } from '../../domain/payloads/im.js';
import { parseNotification } from '../../domain/payloads/notification.js';
import { parseDocChange } from '../../domain/payloads/object.js';
import { parseParking } from '../../domain/payloads/parking.js';
import { Gate } from '../../lib/gate.js';
import type { Metrics } from '../../metrics.js';
import type { FanOutResult } from './fan-out.js';
import type { HookEventFanOut } from './hook-event-fan-out.js';

export type KazooEventKind = 'parking' | 'object' | 'notifications' | 'sms' | 'mms';

const parsers: Readonly<Record<KazooEventKind, (message: JsonObject) => ParsedKazooEvent>> = {
  parking: parseParking,
  object: parseDocChange,
  notifications: parseNotification,
  sms: (message) => parseInboundIm('sms', message),
  mms: (message) => parseInboundIm('mms', message),
};

export type TakeableEvent = Exclude<ParsedKazooEvent, { kind: 'invalid' }>;

export class KazooEventIntake {
  /** As for call events: a few at a time, each after waiting for room in the send stage. */
  private readonly gate = new Gate(8);

  constructor(
    private readonly fanOut: HookEventFanOut,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly room: () => Promise<void> = () => Promise.resolve(),
  ) {}

  parse(kind: KazooEventKind, message: JsonObject): ParsedKazooEvent {
    return parsers[kind](message);
  }

  async take(parsed: TakeableEvent, key: string, receivedAt = new Date()): Promise<FanOutResult> {
    if (parsed.kind === 'ignored') {
      this.metrics.eventsUnmatched.inc({ reason: parsed.reason });
      return { deliveries: 0, skipped: 'no_account' };
    }
    const name = parsed.kind === 'fire' ? parsed.event.eventName : parsed.eventName;
    const result = await this.gate.run(async () => {
      await this.room();
      return parsed.kind === 'fire' ? this.fanOut.fire(parsed.event, key, receivedAt) : this.fanOut.fireInline(parsed, key, receivedAt);
    });
    this.metrics.eventsConsumed.inc({ event: name, source: 'amqp' });
    if (this.log.isLevelEnabled('debug')) this.log.debug({ event: name, ...result }, 'kazoo event taken');
    return result;
  }
}
