/**
 * One attempt of one delivery: shape the request from the hook as it is now, send it, decide
 * (delivered, retry later, or no retries left), and record the attempt in Kazoo's attempts log
 * together with the outcome in the outbox. Sends nothing unless this instance still holds the
 * delivery's lease for longer than an attempt can take, so two instances never send one attempt at once.
 */
import type { Logger } from 'pino';
import { type DisableRule, disableReason, failuresToKeep, shouldDisable } from '../domain/disable-policy.js';
import type { JsonObject } from '../domain/json.js';
import { isSuccess, nextRetryDelayMs, parseRetryAfter } from '../domain/retry-policy.js';
import type { Metrics } from '../metrics.js';
import type { DeliveryStatus, RecordedOutcome, WebhookRecord } from '../storage/store.js';
import type { HookDisabler } from './hook-disabler.js';
import type { HttpClient, HttpOutcome } from './http-client.js';
import type { DeliveryJob, OutcomeWriter } from './job.js';
import { attemptRecordFor, buildOutboundRequest } from './outbound-request.js';

export interface DeliverOptions {
  owner: string;
  timeoutMs: number;
  retrySchedule: readonly number[];
  logSuccessfulAttempts: boolean;
  disableRule: DisableRule;
  random?: () => number;
}

const goneReason = 'the receiver answered 410 Gone';

/** The hook's own `retry_schedule`, when it has one (validated on write). */
function hookSchedule(doc: JsonObject): number[] | undefined {
  const schedule = doc['retry_schedule'];
  return Array.isArray(schedule) && schedule.every((n) => typeof n === 'number') ? (schedule as number[]) : undefined;
}

interface Decision {
  status: DeliveryStatus;
  succeeded: boolean;
  attemptsMade: number;
  retriesLeft: number;
  nextAttemptAt: Date;
}

export class DeliveryWorker {
  private readonly recording = new Set<Promise<void>>();

  /** @param outcomes commits attempts and outcomes of concurrent deliveries together. */
  constructor(
    private readonly outcomes: OutcomeWriter,
    private readonly disabler: HookDisabler,
    private readonly http: HttpClient,
    private readonly options: DeliverOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async run(job: DeliveryJob): Promise<void> {
    const { delivery, hook } = job;
    const leaseLeft = (delivery.leaseExpiresAt?.getTime() ?? 0) - Date.now();
    if (leaseLeft < this.options.timeoutMs + 1000) {
      // Waited in a queue too long: whoever claims it after the lease expires will send it.
      this.log.debug({ delivery_id: delivery.id }, 'lease too short to attempt, leaving it to the next claim');
      return;
    }
    const built = buildOutboundRequest(hook, delivery.payload, delivery.id, Date.now());
    const outcome = await this.http.send(built.request);
    const now = Date.now();
    const decision = this.decide(job, outcome, now);
    this.observe(outcome, decision.status, delivery.eventAt, now);

    const logged = !decision.succeeded || this.options.logSuccessfulAttempts;
    // Recorded in the background: the destination's slot is free as soon as the answer is in.
    // The delivery stays leased until its outcome is written, so nothing else sends it meanwhile.
    const recording = this.outcomes
      .add({
        accountId: hook.accountId,
        deliveryId: delivery.id,
        owner: this.options.owner,
        outcome: { status: decision.status, attemptCount: decision.attemptsMade, nextAttemptAt: decision.nextAttemptAt },
        attempt: logged
          ? attemptRecordFor(hook, built, outcome, {
              hookEvent: delivery.hookEvent,
              deliveryId: delivery.id,
              attempt: decision.attemptsMade,
              succeeded: decision.succeeded,
              retriesLeft: decision.retriesLeft,
              nextAttemptAt: decision.status === 'pending' ? decision.nextAttemptAt : null,
              nowMs: now,
            })
          : null,
        health: {
          hookId: hook.id,
          sample: { succeeded: decision.succeeded, at: new Date(now), keep: failuresToKeep(this.options.disableRule) },
        },
      })
      .then(
        (recorded) => {
          // The lease moved on (we were too slow) or the delivery went with its hook: the
          // attempt stands in the log; the outbox record belongs to whoever holds it now.
          if (!recorded.applied) this.log.warn({ delivery_id: delivery.id }, 'outcome not recorded in the outbox: lease lost');
          if (!decision.succeeded) this.judge(hook, recorded);
        },
        (error: unknown) =>
          this.log.error({ err: error, delivery_id: delivery.id }, 'could not record an attempt; it will be retried after its lease'),
      )
      .finally(() => this.recording.delete(recording));
    this.recording.add(recording);
    if (outcome.kind === 'response' && outcome.status === 410) {
      this.disabler
        .disable(hook.accountId, hook.id, goneReason, 'gone')
        .catch((error: unknown) => this.log.error({ err: error, hook_id: hook.id }, 'could not disable a gone webhook'));
    }
  }

  /** Applies the auto-disable rule to the hook's health as the store has it after this attempt. */
  private judge(hook: WebhookRecord, recorded: RecordedOutcome): void {
    if (recorded.health === null || !shouldDisable(recorded.health, this.options.disableRule, Date.now())) return;
    this.disabler
      .disable(hook.accountId, hook.id, disableReason, 'failures')
      .catch((error: unknown) => this.log.error({ err: error, hook_id: hook.id }, 'could not disable a failing webhook'));
  }

  /** Waits for outcomes still being written (shutdown). */
  async drain(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  private decide(job: DeliveryJob, outcome: HttpOutcome, now: number): Decision {
    const attemptsMade = job.delivery.attemptCount + 1;
    const retries = typeof job.hook.doc['retries'] === 'number' ? job.hook.doc['retries'] : 2;
    const retriesLeft = Math.max(0, retries - attemptsMade + 1);
    const status = outcome.kind === 'response' ? outcome.status : undefined;
    if (isSuccess(status)) return { status: 'delivered', succeeded: true, attemptsMade, retriesLeft, nextAttemptAt: new Date(now) };
    // 410 Gone: the receiver says the endpoint is no more; retrying would only be noise.
    if (status === 410) return { status: 'failed', succeeded: false, attemptsMade, retriesLeft: 0, nextAttemptAt: new Date(now) };
    const retryAfter = outcome.kind === 'response' ? parseRetryAfter(outcome.headers['retry-after'], now) : undefined;
    const delay = nextRetryDelayMs({
      attemptsMade,
      retries,
      schedule: hookSchedule(job.hook.doc) ?? this.options.retrySchedule,
      result: { ...(status !== undefined ? { status } : {}), ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) },
      random: this.options.random ?? Math.random,
    });
    return delay === null
      ? { status: 'failed', succeeded: false, attemptsMade, retriesLeft, nextAttemptAt: new Date(now) }
      : { status: 'pending', succeeded: false, attemptsMade, retriesLeft, nextAttemptAt: new Date(now + delay) };
  }

  private observe(outcome: HttpOutcome, next: DeliveryStatus, eventAt: Date, now: number): void {
    const label = next === 'delivered' ? 'delivered' : next === 'pending' ? 'retry' : 'failed';
    this.metrics.deliveries.inc({ result: label });
    const kind = outcome.kind === 'error' ? 'error' : next === 'delivered' ? 'success' : 'failure';
    this.metrics.attemptDuration.observe({ outcome: kind }, outcome.durationMs / 1000);
    if (next === 'delivered') this.metrics.endToEnd.observe(Math.max(0, now - eventAt.getTime()) / 1000);
  }
}
