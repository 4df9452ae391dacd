/**
 * One attempt of one delivery: shape the request from the hook as it is now, send it, decide
 * (delivered, retry later, or no retries left) and report to the outbox, which records the attempt
 * and the outcome. Sends nothing unless this instance still holds the delivery's lease for longer
 * than an attempt can take, so two instances never send one attempt at once.
 *
 * Memory is bounded whatever the payload: bodies in flight together stay under a byte budget, and a
 * payload whose request would be larger than the cap is failed at once with the reason, never
 * built (and never retried into the same wall).
 */
import type { Logger } from 'pino';
import type { LimitSignal } from '../../domain/adaptive-limit.js';
import { approximateJsonLength } from '../../domain/json.js';
import { isSuccess, nextRetryDelayMs, parseRetryAfter } from '../../domain/retry-policy.js';
import type { WeightedGate } from '../../lib/weighted-gate.js';
import type { NetworkPolicy } from '../../domain/network-policy.js';
import type { Metrics } from '../../metrics.js';
import type { DeliveryStatus } from '../../storage/store.js';
import type { JobFeedback } from './dispatcher.js';
import type { HttpClient, HttpOutcome } from './http-client.js';
import { attemptRecordFor, buildOutboundRequest, unbuiltRequest, type BuiltRequest } from './outbound-request.js';
import type { AttemptDecision, DeliveryJob, OutcomeSink } from './ports.js';

/** Outcomes written in the background at most (about one outcome batch); see attempt(). */
const maxUnrecorded = 1000;

export interface DeliveryWorkerOptions {
  timeoutMs: number;
  /** CALLHOOK_RETRY_SCHEDULE, for hooks without their own retry_schedule. */
  retrySchedule: readonly number[];
  /** CALLHOOK_MIN_RETRY_DELAY_S: hooks stored before the floor existed may still hold shorter waits. */
  minRetryDelaySeconds: number;
  /** Largest request body an attempt may build (form encoding can triple a payload). */
  maxBodyBytes: number;
  random?: () => number;
}

export interface DeliveryWorkerDeps {
  http: HttpClient;
  outcomes: OutcomeSink;
  /** The private ranges a hook's account may reach. */
  networksOf(accountId: string): Promise<NetworkPolicy>;
  /** Request bodies in flight together (pings take from it too). */
  bodies: WeightedGate;
}

/** Form encoding writes a non-ASCII character as up to nine bytes; three is the worst for ASCII. */
export const encodingFactor = 3;

export class DeliveryWorker {
  private readonly recording = new Set<Promise<void>>();

  constructor(
    private readonly deps: DeliveryWorkerDeps,
    private readonly options: DeliveryWorkerOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async run(job: DeliveryJob): Promise<JobFeedback> {
    const { delivery } = job;
    const leaseLeft = (delivery.leaseExpiresAt?.getTime() ?? 0) - Date.now();
    if (leaseLeft < this.options.timeoutMs + 1000) {
      // Waited in a queue too long: whoever claims it after the lease expires will send it.
      this.log.debug({ delivery_id: delivery.id }, 'lease too short to attempt, leaving it to the next claim');
      return { signal: 'neutral', rttMs: 0 };
    }
    const estimate = (delivery.payloadJson?.length ?? approximateJsonLength(delivery.payload)) * encodingFactor;
    if (estimate > this.options.maxBodyBytes) {
      return this.refuse(
        job,
        `payload too large: its request would be about ${estimate} bytes, more than the ${this.options.maxBodyBytes} allowed`,
      );
    }
    return this.deps.bodies.run(estimate, () => this.attempt(job));
  }

  private async attempt(job: DeliveryJob): Promise<JobFeedback> {
    const { delivery, hook } = job;
    let built: BuiltRequest;
    try {
      built = buildOutboundRequest(hook, delivery, delivery.id, Date.now());
    } catch (error) {
      return this.refuse(job, `request could not be built: ${error instanceof Error ? error.message : String(error)}`);
    }
    const networks = await this.deps.networksOf(hook.accountId);
    const outcome = await this.deps.http.send(built.request, { networks, accountId: hook.accountId, hookId: hook.id });
    const now = Date.now();
    const decision = this.decide(job, outcome, now);
    this.observe(outcome, decision.status, delivery.eventAt, now);
    const recording = this.report(job, built, outcome, decision, now);
    // Outcomes wait for the store in the background, but not without bound: past this many, the
    // slot is held until this one is written, so sending slows to the store's pace instead of
    // outcomes (each holding its delivery) piling up in memory.
    if (this.recording.size > maxUnrecorded) await recording;
    return { signal: signalOf(outcome), rttMs: outcome.durationMs };
  }

  /** Fails a delivery that cannot be sent as it is, with the reason in its attempt; no retries. */
  private refuse(job: DeliveryJob, reason: string): JobFeedback {
    const now = Date.now();
    const outcome: HttpOutcome = { kind: 'error', error: reason, durationMs: 0 };
    const attemptsMade = job.delivery.attemptCount + 1;
    this.observe(outcome, 'failed', job.delivery.eventAt, now);
    void this.report(
      job,
      unbuiltRequest(job.hook),
      outcome,
      {
        status: 'failed',
        succeeded: false,
        attemptsMade,
        retriesLeft: 0,
        nextAttemptAt: new Date(now),
        gone: false,
        interrupted: false,
      },
      now,
    );
    return { signal: 'neutral', rttMs: 0 };
  }

  /**
   * Recorded in the background: the destination's slot is free as soon as the answer is in. The
   * delivery stays leased until its outcome is written, so nothing else sends it meanwhile.
   */
  private report(job: DeliveryJob, built: BuiltRequest, outcome: HttpOutcome, decision: AttemptDecision, now: number): Promise<void> {
    const attempt = attemptRecordFor(job.hook, built, outcome, {
      hookEvent: job.delivery.hookEvent,
      deliveryId: job.delivery.id,
      attempt: decision.interrupted ? job.delivery.attemptCount + 1 : decision.attemptsMade,
      succeeded: decision.succeeded,
      retriesLeft: decision.retriesLeft,
      nextAttemptAt: decision.status === 'pending' ? decision.nextAttemptAt : null,
      nowMs: now,
    });
    const recording = this.deps.outcomes
      .record({ job, decision, attempt, at: new Date(now) })
      .catch((error: unknown) =>
        this.log.error({ err: error, delivery_id: job.delivery.id }, 'could not record an attempt; it will be retried after its lease'),
      )
      .finally(() => this.recording.delete(recording));
    this.recording.add(recording);
    return recording;
  }

  /** Waits for outcomes still being written (shutdown). */
  async drain(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  private decide(job: DeliveryJob, outcome: HttpOutcome, now: number): AttemptDecision {
    const { settings } = job.hook;
    const at = new Date(now);
    if (outcome.kind === 'interrupted') {
      // Not an attempt that counts: the same try goes out again, at once, from whoever claims it.
      const attemptsMade = job.delivery.attemptCount;
      const retriesLeft = Math.max(0, settings.retries - attemptsMade);
      return { status: 'pending', succeeded: false, attemptsMade, retriesLeft, nextAttemptAt: at, gone: false, interrupted: true };
    }
    const attemptsMade = job.delivery.attemptCount + 1;
    const retriesLeft = Math.max(0, settings.retries - attemptsMade + 1);
    const status = outcome.kind === 'response' ? outcome.status : undefined;
    const base = { attemptsMade, retriesLeft, nextAttemptAt: at, gone: false, interrupted: false };
    if (isSuccess(status)) return { ...base, status: 'delivered', succeeded: true };
    // 410 Gone: the receiver says the endpoint is no more; retrying would only be noise.
    if (status === 410) return { ...base, status: 'failed', succeeded: false, retriesLeft: 0, gone: true };
    const retryAfter = outcome.kind === 'response' ? parseRetryAfter(outcome.headers['retry-after'], now) : undefined;
    const delay = nextRetryDelayMs({
      attemptsMade,
      retries: settings.retries,
      schedule: settings.retry_schedule ?? this.options.retrySchedule,
      minDelaySeconds: this.options.minRetryDelaySeconds,
      result: { ...(status !== undefined ? { status } : {}), ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) },
      random: this.options.random ?? Math.random,
    });
    return delay === null
      ? { ...base, status: 'failed', succeeded: false }
      : { ...base, status: 'pending', succeeded: false, nextAttemptAt: new Date(now + delay) };
  }

  private observe(outcome: HttpOutcome, next: DeliveryStatus, eventAt: Date, now: number): void {
    if (outcome.kind === 'interrupted') {
      this.metrics.deliveries.inc({ result: 'interrupted' });
      return;
    }
    const label = next === 'delivered' ? 'delivered' : next === 'pending' ? 'retry' : 'failed';
    this.metrics.deliveries.inc({ result: label });
    const kind = outcome.kind === 'error' ? 'error' : next === 'delivered' ? 'success' : 'failure';
    this.metrics.attemptDuration.observe({ outcome: kind }, outcome.durationMs / 1000);
    if (next === 'delivered') this.metrics.endToEnd.observe(Math.max(0, now - eventAt.getTime()) / 1000);
  }
}

/**
 * What an answer says about the receiver's capacity: an answer is good (even a 4xx: it was
 * handled), a timeout, a connection failure, a 5xx or a 429 says "less"; a refused address or a
 * shutdown says nothing.
 */
export function signalOf(outcome: HttpOutcome): LimitSignal {
  if (outcome.kind === 'interrupted') return 'neutral';
  if (outcome.kind === 'error') {
    return outcome.error.startsWith('blocked_address') || outcome.error.startsWith('malformed_url') ? 'neutral' : 'failure';
  }
  return outcome.status >= 500 || outcome.status === 429 ? 'failure' : 'success';
}
