/**
 * AMQP input: consumes Kazoo events from a durable queue bound to Kazoo's exchanges (see
 * topology.ts) and settles each message by what the handler says. amqplib's recovery owns reconnecting; on every
 * connection `setup` re-declares the topology and binds before it consumes. Acks are
 * channel-scoped, so a message whose channel died is never acked on a later one: the broker
 * redelivers it instead (at least once, never lost).
 *
 * A poison message never stalls intake: a handling that fails (the handler threw, or said `retry`)
 * is counted, and the message is tried again a little later; on its `deliveryLimit`-th failure it is
 * dead-lettered with the reason and the consumer moves on. A store outage is not the message's
 * fault (`hold`, or a thrown error `isOutage` recognises): the message is kept and tried again in
 * place, uncounted, until the store answers.
 */
import { hostname } from 'node:os';
import { connect, type ChannelModel, type ConsumeMessage, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { publishCopy, publishDeadLetter } from './dead-letter.js';
import {
  asHandleResult,
  ATTEMPTS_HEADER,
  attemptsOf,
  originHeaders,
  toInbound,
  type HandleResult,
  type MessageHandler,
} from './message.js';
import { attachRecoveryLogging } from './recovery-events.js';
import { closeChannels, openSession, settle, type Session } from './session.js';
import { StateTracker, type AmqpState } from './state.js';
import { declareTopology, type ExchangeBindings, type QueueType } from './topology.js';

export type { AmqpState } from './state.js';
export type { HandleResult, InboundMessage, MessageHandler } from './message.js';
export type { ExchangeBindings } from './topology.js';

export interface AmqpConsumerOptions {
  url: string;
  queue: string;
  deadLetterQueue: string;
  /** Each Kazoo exchange to read and the routing keys to bind on it. */
  bindings: readonly ExchangeBindings[];
  prefetch: number;
  /** Failed handlings after which a message is dead-lettered. */
  deliveryLimit: number;
  /** `quorum` (the broker counts deliveries too) or `classic`. */
  queueType: QueueType;
  /** A thrown error that means "not now" (store outage) rather than "this message fails". */
  isOutage?: (error: unknown) => boolean;
  /** Pause before a failed handling is tried again (grows with the attempts). */
  retryDelayMs?: number;
  /** Longest pause between tries of a message held through an outage. */
  holdMaxDelayMs?: number;
  /** Shown by the broker (management UI, rabbitmqctl); defaults to callhook@<host>:<pid>. */
  connectionName?: string;
  log: Logger;
}

/** Back on a returning broker within a second: re-declared, re-bound, consuming. */
const RECOVERY = { initialDelay: 100, maxDelay: 1_000, factor: 2, jitter: 0.2 } as const;
const CONFIRM_TIMEOUT_MS = 10_000;

export class AmqpConsumer {
  private readonly tracker = new StateTracker();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly wakeSleepers = new Set<() => void>();
  private readonly log: Logger;
  private connection: RecoveringChannelModel | undefined;
  private session: Session | undefined;
  private settingUp: Promise<void> | undefined;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  /** What the declared queue turned out to be (an existing classic queue is kept as it is). */
  private queueType: QueueType;
  private lastHoldLog = 0;

  constructor(
    private readonly options: AmqpConsumerOptions,
    private readonly handler: MessageHandler,
  ) {
    this.log = options.log.child({ component: 'amqp', queue: options.queue });
    this.queueType = options.queueType;
  }

  /** Starts the recovery loop and returns at once: a broker that is down never blocks service start. */
  async start(): Promise<void> {
    if (this.connection || this.stopping) return;
    this.tracker.set('connecting');
    const connectionName = this.options.connectionName ?? `callhook@${hostname()}:${process.pid}`;
    this.connection = await connect(this.options.url, {
      timeout: 10_000,
      clientProperties: { connection_name: connectionName },
      recovery: { ...RECOVERY, waitForConnect: false, setup: (model: ChannelModel) => this.runSetup(model) },
    });
    attachRecoveryLogging(
      this.connection,
      this.log,
      (state, detail) => this.tracker.set(state, detail),
      () => this.stopping,
    );
  }

  waitUntilUp(timeoutMs: number): Promise<void> {
    return this.tracker.waitUntilUp(timeoutMs);
  }

  state(): AmqpState {
    return this.tracker.state;
  }

  stateDetail(): string | undefined {
    return this.tracker.stateDetail;
  }

  /** Stops taking messages, lets in-flight ones finish and settle, then closes. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    const session = this.session;
    if (session?.consumerTag && !session.connectionClosed && !session.consumeClosed) {
      await session.consume.cancel(session.consumerTag).catch((err: unknown) => this.log.warn({ err }, 'amqp cancel failed'));
    }
    // Pending requeue delays end now: the nack hands the message to another instance at once.
    for (const wake of this.wakeSleepers) wake();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (session) await closeChannels(session);
    await this.connection?.close().catch((err: unknown) => this.log.warn({ err }, 'amqp close failed'));
    await this.settingUp?.catch(() => undefined);
    this.tracker.set('stopped');
    this.log.info('amqp consumer stopped');
  }

  private runSetup(model: ChannelModel): Promise<void> {
    const running = this.setup(model);
    this.settingUp = running;
    return running;
  }

  private async setup(model: ChannelModel): Promise<void> {
    // recovery only listens to the connection after setup; an 'error' before that must not crash us.
    model.on('error', (err: Error) => this.log.debug({ err }, 'amqp connection error'));
    this.queueType = await declareTopology(
      model,
      { ...this.options, brokerDeliveryLimit: Math.max(10, this.options.deliveryLimit * 2) },
      this.log,
    );
    const session = await openSession(model, this.options.prefetch, this.log, (lost) => this.onChannelLost(lost));
    if (this.stopping) throw new Error('consumer is stopping');
    this.session = session;
    const reply = await session.consume.consume(this.options.queue, (msg) => this.onDelivery(session, msg), { noAck: false });
    session.consumerTag = reply.consumerTag;
  }

  private onChannelLost(session: Session): void {
    if (this.stopping || this.session !== session) return;
    // Recovery only watches the connection; closing it makes recovery rebuild everything.
    this.log.warn('amqp channel closed under a live connection; reconnecting');
    session.model.close().catch(() => undefined);
  }

  private onDelivery(session: Session, msg: ConsumeMessage | null): void {
    if (msg === null) {
      this.log.warn('amqp consumer cancelled by the broker; reconnecting');
      if (!this.stopping) session.model.close().catch(() => undefined);
      return;
    }
    session.acks.received(msg);
    if (this.stopping) {
      // Arrived after stop() began: give it straight back so another instance takes it.
      settle(session, msg, 'nack', this.log);
      return;
    }
    const work = this.process(session, msg)
      .catch((err: unknown) => {
        // Only a bug can land here; an unhandled rejection would kill the process, so give it back.
        this.log.error({ err, routing_key: msg.fields.routingKey }, 'message processing failed; returning it to the queue');
        settle(session, msg, 'nack', this.log);
      })
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async process(session: Session, msg: ConsumeMessage): Promise<void> {
    const { routingKey } = msg.fields;
    for (let held = 0; ; held += 1) {
      const result = await this.handle(msg);
      switch (result.kind) {
        case 'ack':
          return settle(session, msg, 'ack', this.log);
        case 'dead-letter':
          return this.deadLetter(session, msg, result.reason);
        case 'retry':
          return this.retry(session, msg, result.reason);
        case 'hold':
          if (this.stopping) return settle(session, msg, 'nack', this.log);
          this.logHold(routingKey, result.reason);
          await this.sleep(Math.min(this.options.holdMaxDelayMs ?? 10_000, 250 * 2 ** Math.min(held, 6)));
          if (this.stopping || session.connectionClosed || session.consumeClosed) return settle(session, msg, 'nack', this.log);
          continue;
        default: {
          const unreachable: never = result;
          throw new Error(`unhandled result ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  private async handle(msg: ConsumeMessage): Promise<HandleResult> {
    try {
      return asHandleResult(await this.handler(toInbound(msg)));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return this.options.isOutage?.(error) === true ? { kind: 'hold', reason } : { kind: 'retry', reason: `handler threw: ${reason}` };
    }
  }

  /** Parks the message with its reason; only acked once the broker confirmed the copy. */
  private async deadLetter(session: Session, msg: ConsumeMessage, reason: string): Promise<void> {
    const routingKey = msg.fields.routingKey;
    try {
      await publishDeadLetter(session, this.options.deadLetterQueue, msg, reason, CONFIRM_TIMEOUT_MS);
      this.log.warn({ routing_key: routingKey, reason }, 'message dead-lettered');
      settle(session, msg, 'ack', this.log);
    } catch (err) {
      this.log.error({ err, routing_key: routingKey, reason }, 'dead-letter publish failed; the message goes back to the queue');
      await this.sleep(this.options.retryDelayMs ?? 100);
      settle(session, msg, 'nack', this.log);
    }
  }

  /**
   * A failed handling, counted: dead-lettered at the limit, else tried again after a short pause.
   * A quorum queue counts the return itself (basic.reject increments its delivery count in every
   * RabbitMQ version); on a classic queue, which counts nothing, a copy carrying the count goes to
   * the end of the queue (publisher-confirmed before the original is acked).
   */
  private async retry(session: Session, msg: ConsumeMessage, reason: string): Promise<void> {
    const attempts = attemptsOf(msg) + 1;
    const routingKey = msg.fields.routingKey;
    if (attempts >= this.options.deliveryLimit) {
      return this.deadLetter(session, msg, `failed ${attempts} times; last: ${reason}`);
    }
    this.log.warn(
      { routing_key: routingKey, attempt: attempts, limit: this.options.deliveryLimit, reason },
      'message handling failed; it will be tried again',
    );
    await this.sleep((this.options.retryDelayMs ?? 100) * attempts);
    if (this.queueType === 'quorum' && msg.fields.redelivered && msg.properties.headers?.['x-delivery-count'] === undefined) {
      // Redelivered without the count a quorum queue adds: the broker made it a classic queue.
      this.log.warn('the queue does not count deliveries (not a quorum queue on this broker): callhook counts them itself');
      this.queueType = 'classic';
    }
    if (this.queueType === 'quorum') {
      settle(session, msg, 'reject', this.log);
      return;
    }
    try {
      await publishCopy(session, this.options.queue, msg, { [ATTEMPTS_HEADER]: attempts, ...originHeaders(msg) }, CONFIRM_TIMEOUT_MS);
      settle(session, msg, 'ack', this.log);
    } catch (err) {
      this.log.error({ err, routing_key: routingKey }, 'could not put the message back at the end of the queue; returning it');
      settle(session, msg, 'nack', this.log);
    }
  }

  /** One line per ten seconds while intake holds messages through an outage, not one per message. */
  private logHold(routingKey: string, reason: string): void {
    const now = Date.now();
    if (now - this.lastHoldLog < 10_000) return;
    this.lastHoldLog = now;
    this.log.warn({ routing_key: routingKey, reason }, 'cannot store events now; holding messages and trying again');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleepers.add(wake);
    });
  }
}
