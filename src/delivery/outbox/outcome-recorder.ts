/**
 * The outbox's side of an attempt: the attempts-log entry, the delivery's new state and the hook's
 * health sample are written together, many attempts per store write (no delivery waits on them).
 * Then the hook is judged: a 410 Gone, or a failure that makes the auto-disable rule hold, turns
 * it off. Deliveries put back without an attempt (hook disabled, queue full) come through here too.
 */
import type { Logger } from 'pino';
import { type DisableRule, disableReason, failuresToKeep, shouldDisable } from '../../domain/disable-policy.js';
import type { JsonObject } from '../../domain/json.js';
import type { Webhook } from '../../domain/webhook.js';
import type { AttemptOutcome, DeliveryRecord, RecordedOutcome, Store } from '../../storage/store.js';
import type { AttemptReport, OutcomeSink } from '../send/ports.js';
import { Batcher } from './batcher.js';

export interface OutcomeRecorderOptions {
  /** This instance's lease owner id: an outcome applies only while it still holds the lease. */
  owner: string;
  logSuccessfulAttempts: boolean;
  disableRule: DisableRule;
}

/** Turns a hook off; resolves once done (or found already off). */
export type DisableHook = (hook: Webhook, reason: string, label: 'gone' | 'failures') => Promise<unknown>;

const goneReason = 'the receiver answered 410 Gone';

function durationOf(doc: JsonObject): number {
  const ms = doc['duration_ms'];
  return typeof ms === 'number' ? ms : 0;
}

export class OutcomeRecorder implements OutcomeSink {
  private readonly batch: Batcher<AttemptOutcome, RecordedOutcome>;

  constructor(
    store: Store,
    private readonly options: OutcomeRecorderOptions,
    private readonly disable: DisableHook,
    private readonly log: Logger,
  ) {
    // No window: under load outcomes group anyway while the previous write runs (see Batcher). A
    // 10 ms window held every attempt (its delivery, payload and log entry) long enough to survive
    // a young-generation collection and be copied into the old one: with it, callhook spent about
    // 5% more CPU per delivery, most of it in the garbage collector.
    this.batch = new Batcher((entries) => store.recordOutcomes(entries), 1000);
  }

  async record(report: AttemptReport): Promise<void> {
    const { job, decision, attempt, at } = report;
    const { hook, delivery } = job;
    // A hook carried by its delivery (callflow webhook action) has no stored state to judge.
    const stored = delivery.inlineHook === undefined;
    if (decision.gone && stored) this.turnOff(hook, goneReason, 'gone');
    this.logFailure(report);
    const recorded = await this.batch.add({
      accountId: hook.accountId,
      deliveryId: delivery.id,
      owner: this.options.owner,
      outcome: { status: decision.status, attemptCount: decision.attemptsMade, nextAttemptAt: decision.nextAttemptAt },
      attempt: decision.succeeded && !this.options.logSuccessfulAttempts ? null : attempt,
      // An interrupted attempt says nothing about the receiver, and a hook carried by its delivery
      // (callflow webhook action) has no health to keep and no stats to show: no sample, no tally.
      ...(decision.interrupted || !stored
        ? {}
        : {
            health: { hookId: hook.id, sample: { succeeded: decision.succeeded, at, keep: failuresToKeep(this.options.disableRule) } },
            tally: { hookId: hook.id, at, succeeded: decision.succeeded, durationMs: durationOf(attempt.doc) },
          }),
    });
    // The lease moved on (we were too slow) or the delivery went with its hook: the attempt
    // stands in the log; the outbox record belongs to whoever holds it now.
    if (!recorded.applied) this.log.warn({ delivery_id: delivery.id }, 'outcome not recorded in the outbox: lease lost');
    if (!decision.succeeded && recorded.health !== null && shouldDisable(recorded.health, this.options.disableRule, Date.now())) {
      this.turnOff(hook, disableReason, 'failures');
    }
  }

  /**
   * One line per failed attempt, so an operator sees failures without polling the attempts API: a
   * warning while retries remain, an error when none are left.
   */
  private logFailure({ job, decision, attempt }: AttemptReport): void {
    if (decision.succeeded || decision.interrupted) return;
    const { doc } = attempt;
    const fields = {
      account_id: job.hook.accountId,
      hook_id: job.hook.id,
      delivery_id: job.delivery.id,
      try: decision.attemptsMade,
      uri: job.hook.settings.uri,
      ...(doc['resp_status_code'] !== undefined ? { status: Number(doc['resp_status_code']) } : { error: doc['client_error'] }),
    };
    if (decision.status === 'pending') {
      this.log.warn({ ...fields, next_attempt_at: decision.nextAttemptAt.toISOString() }, 'delivery attempt failed; retrying');
    } else {
      this.log.error(fields, 'delivery failed: no retries left');
    }
  }

  /** Puts a leased delivery back (or cancels it) without an attempt, releasing the lease. */
  async settle(
    delivery: Pick<DeliveryRecord, 'accountId' | 'id' | 'attemptCount'>,
    status: 'pending' | 'cancelled',
    atMs: number,
  ): Promise<void> {
    await this.batch.add({
      accountId: delivery.accountId,
      deliveryId: delivery.id,
      owner: this.options.owner,
      outcome: { status, attemptCount: delivery.attemptCount, nextAttemptAt: new Date(atMs) },
      attempt: null,
    });
  }

  private turnOff(hook: Webhook, reason: string, label: 'gone' | 'failures'): void {
    this.disable(hook, reason, label).catch((error: unknown) =>
      this.log.error({ err: error, account_id: hook.accountId, hook_id: hook.id }, 'could not disable a webhook'),
    );
  }
}
