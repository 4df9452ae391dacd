/**
 * One attempt of one delivery: shape the request from the hook as it is now, send it, decide
 * (delivered, retry later, or no retries left) and report to the outbox, which records the attempt
 * and the outcome. Sends nothing unless this instance still holds the delivery's lease for longer
 * than an attempt can take, so two instances never send one attempt at once.
 */
import type { Logger } from 'pino';
import { isSuccess, nextRetryDelayMs, parseRetryAfter } from '../../domain/retry-policy.js';
import type { Metrics } from '../../metrics.js';
import type { DeliveryStatus } from '../../storage/store.js';
import type { HttpClient, HttpOutcome } from './http-client.js';
import { attemptRecordFor, buildOutboundRequest } from './outbound-request.js';
import type { AttemptDecision, DeliveryJob, OutcomeSink } from './ports.js';

export interface DeliveryWorkerOptions {
  timeoutMs: number;
  /** CALLHOOK_RETRY_SCHEDULE, for hooks without their own retry_schedule. */
  retrySchedule: readonly number[];
  random?: () => number;
}

export class DeliveryWorker {
  private readonly recording = new Set<Promise<void>>();

  constructor(
    private readonly http: HttpClient,
    private readonly outcomes: OutcomeSink,
    private readonly options: DeliveryWorkerOptions,
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
    const attempt = attemptRecordFor(hook, built, outcome, {
      hookEvent: delivery.hookEvent,
      deliveryId: delivery.id,
      attempt: decision.attemptsMade,
      succeeded: decision.succeeded,
      retriesLeft: decision.retriesLeft,
      nextAttemptAt: decision.status === 'pending' ? decision.nextAttemptAt : null,
      nowMs: now,
    });
    // Recorded in the background: the destination's slot is free as soon as the answer is in.
    // The delivery stays leased until its outcome is written, so nothing else sends it meanwhile.
    const recording = this.outcomes
      .record({ job, decision, attempt, at: new Date(now) })
      .catch((error: unknown) =>
        this.log.error({ err: error, delivery_id: delivery.id }, 'could not record an attempt; it will be retried after its lease'),
      )
      .finally(() => this.recording.delete(recording));
    this.recording.add(recording);
  }

  /** Waits for outcomes still being written (shutdown). */
  async drain(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  private decide(job: DeliveryJob, outcome: HttpOutcome, now: number): AttemptDecision {
    const { settings } = job.hook;
    const attemptsMade = job.delivery.attemptCount + 1;
    const retriesLeft = Math.max(0, settings.retries - attemptsMade + 1);
    const status = outcome.kind === 'response' ? outcome.status : undefined;
    const at = new Date(now);
    if (isSuccess(status)) return { status: 'delivered', succeeded: true, attemptsMade, retriesLeft, nextAttemptAt: at, gone: false };
    // 410 Gone: the receiver says the endpoint is no more; retrying would only be noise.
    if (status === 410) return { status: 'failed', succeeded: false, attemptsMade, retriesLeft: 0, nextAttemptAt: at, gone: true };
    const retryAfter = outcome.kind === 'response' ? parseRetryAfter(outcome.headers['retry-after'], now) : undefined;
    const delay = nextRetryDelayMs({
      attemptsMade,
      retries: settings.retries,
      schedule: settings.retry_schedule ?? this.options.retrySchedule,
      result: { ...(status !== undefined ? { status } : {}), ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) },
      random: this.options.random ?? Math.random,
    });
    return delay === null
      ? { status: 'failed', succeeded: false, attemptsMade, retriesLeft, nextAttemptAt: at, gone: false }
      : { status: 'pending', succeeded: false, attemptsMade, retriesLeft, nextAttemptAt: new Date(now + delay), gone: false };
  }

  private observe(outcome: HttpOutcome, next: DeliveryStatus, eventAt: Date, now: number): void {
    const label = next === 'delivered' ? 'delivered' : next === 'pending' ? 'retry' : 'failed';
    this.metrics.deliveries.inc({ result: label });
    const kind = outcome.kind === 'error' ? 'error' : next === 'delivered' ? 'success' : 'failure';
    this.metrics.attemptDuration.observe({ outcome: kind }, outcome.durationMs / 1000);
    if (next === 'delivered') this.metrics.endToEnd.observe(Math.max(0, now - eventAt.getTime()) / 1000);
  }
}
