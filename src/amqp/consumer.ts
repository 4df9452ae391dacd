/**
 * AMQP input: consumes Kazoo call events from a durable queue bound to the `callevt` exchange
 * and settles each message by what the handler says (ack / dead-letter / requeue). amqplib's
 * recovery owns reconnecting; on every connection `setup` re-declares the topology and starts
 * consuming again. Acks are channel-scoped, so a message whose channel died is never acked on a
 * later one: the broker redelivers it instead (at least once, never lost).
 */
import { hostname } from 'node:os';
import { connect, type ChannelModel, type ConsumeMessage, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { publishDeadLetter } from './dead-letter.js';
import { asHandleResult, toInbound, type HandleResult, type MessageHandler } from './message.js';
import { attachRecoveryLogging } from './recovery-events.js';
import { closeChannels, openSession, settle, type Session } from './session.js';
import { StateTracker, type AmqpState } from './state.js';
import { declareTopology } from './topology.js';

export type { AmqpState } from './state.js';
export type { HandleResult, InboundMessage, MessageHandler } from './message.js';

export interface AmqpConsumerOptions {
  url: string;
  exchange: string;
  queue: string;
  deadLetterQueue: string;
  bindingKeys: readonly string[];
  prefetch: number;
  requeueDelayMs?: number;
  /** Shown by the broker (management UI, rabbitmqctl); defaults to callhook@<host>:<pid>. */
  connectionName?: string;
  log: Logger;
}

const RECOVERY = { initialDelay: 200, maxDelay: 10_000, factor: 2, jitter: 0.2 } as const;
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

  constructor(
    private readonly options: AmqpConsumerOptions,
    private readonly handler: MessageHandler,
  ) {
    this.log = options.log.child({ component: 'amqp', queue: options.queue });
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
    await declareTopology(model, this.options, this.log);
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
    if (this.stopping) {
      // Arrived after stop() began: give it straight back so another instance takes it.
      settle(session, msg, 'nack', this.log);
      return;
    }
    const work = this.process(session, msg)
      .catch(async (err: unknown) => {
        // Only a bug can land here; an unhandled rejection would kill the process, so requeue.
        this.log.error({ err, routing_key: msg.fields.routingKey }, 'message processing failed; requeueing');
        await this.requeueLater(session, msg);
      })
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async process(session: Session, msg: ConsumeMessage): Promise<void> {
    const { routingKey } = msg.fields;
    let result: HandleResult;
    try {
      result = asHandleResult(await this.handler(toInbound(msg)));
    } catch (error) {
      result = { kind: 'requeue', reason: `handler threw: ${error instanceof Error ? error.message : String(error)}` };
    }
    switch (result.kind) {
      case 'ack':
        return settle(session, msg, 'ack', this.log);
      case 'dead-letter':
        try {
          await publishDeadLetter(session, this.options.deadLetterQueue, msg, result.reason, CONFIRM_TIMEOUT_MS);
          this.log.warn({ routing_key: routingKey, reason: result.reason }, 'message dead-lettered');
          return settle(session, msg, 'ack', this.log);
        } catch (err) {
          this.log.error({ err, routing_key: routingKey, reason: result.reason }, 'dead-letter publish failed; requeueing');
          return this.requeueLater(session, msg);
        }
      case 'requeue':
        this.log.warn({ routing_key: routingKey, reason: result.reason }, 'message requeued');
        return this.requeueLater(session, msg);
      default: {
        const unreachable: never = result;
        throw new Error(`unhandled result ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async requeueLater(session: Session, msg: ConsumeMessage): Promise<void> {
    // Holding the message keeps its prefetch slot, which slows intake while the store is down.
    if (!this.stopping) await this.sleep(this.options.requeueDelayMs ?? 1000);
    settle(session, msg, 'nack', this.log);
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
